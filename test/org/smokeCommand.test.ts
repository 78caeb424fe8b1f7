/*
 * `sf iamra smoke` in process with TestContext: the command is thin, so this checks what it adds
 * (spinner, success line, the SfError for a failure with exit code, name, actions and data) using
 * canned executeAnonymous answers. The real wire is covered by the simulator tests.
 */
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { SfError } from '@salesforce/core';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import { expect } from 'chai';
import IamraSmoke from '../../src/commands/iamra/smoke.js';
import { signalListenerGuard } from '../helpers/signals.js';

const STS_OK = '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/PartnerCrmRole/s</Arn><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';

describe('sf iamra smoke (command, TestContext)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let anonymousBodies: string[];
  let answer: object;
  let removeSignalListeners: () => void;

  beforeEach(async () => {
    removeSignalListeners = signalListenerGuard();
    await $$.stubAuths(testOrg);
    stubSpinner($$.SANDBOX);
    anonymousBodies = [];
    $$.fakeConnectionRequest = (request): Promise<never> => {
      const url = String((request as { url?: string }).url ?? request);
      if (url.includes('/tooling/executeAnonymous')) {
        anonymousBodies.push(new URL(url, 'https://x').searchParams.get('anonymousBody') ?? '');
        return Promise.resolve(answer as never);
      }
      return Promise.reject(new Error(`unexpected request ${url}`));
    };
  });
  afterEach(() => {
    $$.restore();
    removeSignalListeners();
  });

  it('passes on HTTP 200, prints the assumed role and substitutes --named-credential', async () => {
    const ux = stubSfCommandUx($$.SANDBOX);
    answer = { compiled: true, success: false, exceptionMessage: `SmokeResult: SMOKE::${JSON.stringify({ status: 200, body: STS_OK })}` };
    const result = await IamraSmoke.run(['--target-org', testOrg.username, '--named-credential', 'My_Credential']);
    expect(result).to.deep.include({ passed: true, httpStatus: 200, roleArn: 'arn:aws:iam::123456789012:role/PartnerCrmRole' });
    expect(anonymousBodies[0]).to.include('callout:My_Credential/?Action=GetCallerIdentity');
    expect(ux.logSuccess.firstCall.args[0]).to.match(/HTTP 200 from AWS STS: Salesforce assumed arn:aws:sts::123456789012:assumed-role\/PartnerCrmRole\/s/);
  });

  const failures: Array<{ name: string; answer: object; error: string; message: RegExp }> = [
    {
      name: 'compile failure is our bug',
      answer: { compiled: false, success: false, compileProblem: "Unexpected token 'x'.", line: 2, column: 5 },
      error: 'SmokeApexCompileFailure',
      message: /didn't compile: Unexpected token 'x'\. \(line 2, column 5\)\. This is a bug in plugin-iamra/,
    },
    {
      name: '403 from AWS',
      answer: { compiled: true, success: false, exceptionMessage: `SmokeResult: SMOKE::${JSON.stringify({ status: 403, body: '<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>' })}` },
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
