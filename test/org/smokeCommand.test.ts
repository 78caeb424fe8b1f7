/*
 * `sf iamra smoke` in process with TestContext: the command is thin, so this checks what it adds
 * (spinner, success line, the SfError for a failure with exit code, name, actions and data) with
 * ExecuteService.prototype.executeAnonymous stubbed, as plugin-apex's tests do. The real wire (SOAP
 * executeAnonymous) is covered by the simulator tests.
 */
import { type ApexExecuteOptions, ExecuteService, type ExecuteAnonymousResponse } from '@salesforce/apex-node';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { SfError } from '@salesforce/core';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import { expect } from 'chai';
import IamraSmoke from '../../src/commands/iamra/smoke.js';
import { signalListenerGuard } from '../helpers/signals.js';

const STS_OK = '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/PartnerCrmRole/s</Arn><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';

/** ExecuteService's answer for a block that threw (success false, the message in diagnostic[0], '' where empty). */
const thrown = (exceptionMessage: string): ExecuteAnonymousResponse => ({
  compiled: true,
  success: false,
  diagnostic: [{ lineNumber: 9, columnNumber: 1, compileProblem: '', exceptionMessage, exceptionStackTrace: 'AnonymousBlock: line 9, column 1' }],
});

describe('sf iamra smoke (command, TestContext)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let anonymousBodies: string[];
  let answer: ExecuteAnonymousResponse;
  let removeSignalListeners: () => void;

  beforeEach(async () => {
    removeSignalListeners = signalListenerGuard();
    await $$.stubAuths(testOrg);
    stubSpinner($$.SANDBOX);
    anonymousBodies = [];
    // smoke first reads the named credential to pick its check; this mock org returns none (an empty retrieve),
    // so the check is GetCallerIdentity. Both services are covered through the real sf in e2e/deploySmoke.test.ts.
    $$.SANDBOX.stub(ComponentSet.prototype, 'retrieve').resolves({
      pollStatus: () => Promise.resolve({ response: { id: '09S000000000001AAA', status: 'Succeeded' } }),
    } as unknown as Awaited<ReturnType<ComponentSet['retrieve']>>);
    $$.SANDBOX.stub(ExecuteService.prototype, 'executeAnonymous').callsFake((options: ApexExecuteOptions) => {
      anonymousBodies.push(String(options.apexCode));
      return Promise.resolve(answer);
    });
  });
  afterEach(() => {
    $$.restore();
    removeSignalListeners();
  });

  it('passes on HTTP 200, prints the assumed role and substitutes --named-credential', async () => {
    const ux = stubSfCommandUx($$.SANDBOX);
    answer = thrown(`SmokeResult: SMOKE::${JSON.stringify({ status: 200, body: STS_OK })}`);
    const result = await IamraSmoke.run(['--target-org', testOrg.username, '--named-credential', 'My_Credential']);
    expect(result).to.deep.include({ passed: true, httpStatus: 200, roleArn: 'arn:aws:iam::123456789012:role/PartnerCrmRole' });
    expect(anonymousBodies[0]).to.include('callout:My_Credential/?Action=GetCallerIdentity');
    expect(ux.logSuccess.firstCall.args[0]).to.match(/HTTP 200 from AWS STS: Salesforce assumed arn:aws:sts::123456789012:assumed-role\/PartnerCrmRole\/s/);
  });

  const failures: Array<{ name: string; answer: ExecuteAnonymousResponse; error: string; message: RegExp }> = [
    {
      name: 'compile failure is our bug',
      answer: { compiled: false, success: false, diagnostic: [{ compileProblem: "Unexpected token 'x'.", lineNumber: 2, columnNumber: 5, exceptionMessage: '', exceptionStackTrace: '' }] },
      error: 'SmokeApexCompileFailure',
      message: /didn't compile: Unexpected token 'x'\. \(line 2, column 5\)\. This is a bug in plugin-iamra/,
    },
    {
      name: '403 from AWS',
      answer: thrown(`SmokeResult: SMOKE::${JSON.stringify({ status: 403, body: '<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>' })}`),
      error: 'SmokeAwsAccessDenied',
      message: /AWS refused the request through APN_API_Connection \(HTTP 403\)/,
    },
  ];
  for (const row of failures) {
    it(`${row.name}: ${row.error}, exit 1, result in the error data`, async () => {
      stubSfCommandUx($$.SANDBOX);
      answer = row.answer;
      try {
        await IamraSmoke.run(['--target-org', testOrg.username]);
        expect.fail('should have thrown');
      } catch (error) {
        const sfError = error as SfError;
        expect(sfError.name).to.equal(row.error);
        expect(sfError.exitCode).to.equal(1);
        expect(sfError.message).to.match(row.message);
        expect(sfError.actions?.length).to.be.greaterThan(0);
        expect((sfError.data as { passed: boolean }).passed).to.equal(false);
      }
    });
  }
});
