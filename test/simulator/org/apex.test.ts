/*
 * Anonymous Apex in the simulator without HTTP: which blocks "compile", where compile problems are
 * reported, and what the marker exception carries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { startLocalAws, type LocalAws } from '../../aws/localAws.js';
import { AwsHostMap } from '../callout/awsHosts.js';
import { fixturesDir } from '../harness/project.js';
import { importTestKeystore, testAwsAccount } from '../harness/testAws.js';
import { executeAnonymous } from './apex.js';
import { OrgState } from './state.js';

const SMOKE = readFileSync(join(fixturesDir, 'smoke.apex'), 'utf8');
const ARNS = {
  anchor: 'arn:aws:rolesanywhere:us-west-2:111122223333:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  profile: 'arn:aws:rolesanywhere:us-west-2:111122223333:profile/1a1b2c3d-4e5f-6789-abcd-ef0123456789',
  role: 'arn:aws:iam::111122223333:role/team/CrmRole',
};
let aws: LocalAws;
before(async () => {
  aws = await startLocalAws(testAwsAccount(ARNS));
});
after(() => aws.close());

function orgWithCompleteSetup(): OrgState {
  const state = new OrgState({ orgType: 'sandbox' });
  state.aws.hosts = new AwsHostMap(aws.endpoints);
  importTestKeystore(state);
  state.externalCredentials.push({
    id: state.newId('ExternalCredential'),
    developerName: 'EC',
    label: 'EC',
    authenticationProtocol: 'AwsSv4',
    parameters: [
      { parameterName: 'AwsService', parameterType: 'AuthParameter', parameterValue: 'sts' },
      { parameterName: 'AwsSv4', parameterType: 'AuthProtocolVariant', parameterValue: 'RolesAnywhere' },
      { parameterName: 'AwsRegion', parameterType: 'AuthParameter', parameterValue: 'us-west-2' },
      { parameterName: 'AwsTrustAnchorArn', parameterType: 'AuthParameter', parameterValue: ARNS.anchor },
      { parameterName: 'AwsProfileArn', parameterType: 'AuthParameter', parameterValue: ARNS.profile },
      { parameterName: 'SigningCertificate', parameterType: 'SigningCertificate', certificate: 'iamra' },
      { parameterName: 'P', parameterType: 'NamedPrincipal', sequenceNumber: 1 },
    ],
  });
  state.namedCredentials.push({
    id: state.newId('NamedCredential'),
    developerName: 'APN_API_Connection',
    label: 'APN',
    namedCredentialType: 'SecuredEndpoint',
    url: 'https://sts.us-west-2.amazonaws.com',
    externalCredential: 'EC',
    calloutStatus: 'Enabled',
    allowedNamespaces: [],
    generateAuthorizationHeader: true,
  });
  state.permissionSets.push({ id: state.newId('PermissionSet'), name: 'PS', label: 'PS', principalAccesses: ['EC-P'], isOwnedByProfile: false });
  state.assignPermissionSet(state.adminUser.username, 'PS');
  state.setPrincipalRoleArn('EC', 'P', ARNS.role);
  return state;
}

describe('org simulator anonymous Apex (in process)', () => {
  it('the smoke block with comments and a separate Http variable reaches STS', async () => {
    const state = orgWithCompleteSetup();
    const apex = `// a comment with an apostrophe: don't
/* a block
   comment */
${SMOKE.replace('HttpResponse res = new Http().send(req);', 'Http h = new Http();\nreq.setTimeout(60000);\nHttpResponse res = h.send(req);\nSystem.debug(res.getBody());')}`;
    const result = await executeAnonymous(state, state.adminUser, apex);
    expect(result.compiled, JSON.stringify(result)).to.equal(true);
    expect(result.success).to.equal(false);
    expect(result.exceptionMessage).to.match(/^SmokeResult: SMOKE::\{"status":200,"body":"<GetCallerIdentityResponse/);
    expect(result.exceptionMessage).to.match(/arn:aws:sts::111122223333:assumed-role\/CrmRole\/[0-9a-f]+</);
    // the credentials STS accepted are the ones Roles Anywhere issued for that role
    expect(aws.issued.at(-1)).to.include({ roleArn: ARNS.role });
    expect(aws.services.received.at(-1)).to.include({ host: 'sts.us-west-2.amazonaws.com', status: 200 });
  });

  it('a block without a callout or throw just succeeds', async () => {
    const state = orgWithCompleteSetup();
    expect(await executeAnonymous(state, state.adminUser, "System.debug('hello');")).to.include({ compiled: true, success: true });
  });

  const compileRows: Array<{ name: string; apex: string; line: number; problem: RegExp }> = [
    { name: 'a statement it does not know', apex: 'HttpRequest req = new HttpRequest();\nInteger i = 1;', line: 2, problem: /Unexpected token 'Integer'/ },
    { name: 'a missing semicolon at the end', apex: "System.debug('x')", line: 1, problem: /Missing ';'/ },
    { name: 'an unterminated string', apex: "System.debug('x);", line: 1, problem: /Unterminated string/ },
    { name: 'an undeclared exception class', apex: "throw new Nope('SMOKE::');", line: 1, problem: /Invalid type: Nope/ },
    { name: 'an unbalanced brace', apex: 'class A extends Exception {', line: 1, problem: /Unexpected token '<EOF>'/ },
  ];
  for (const row of compileRows) {
    it(`compile problem: ${row.name}`, async () => {
      const state = orgWithCompleteSetup();
      const result = await executeAnonymous(state, state.adminUser, row.apex);
      expect(result).to.include({ compiled: false, success: false, line: row.line });
      expect(result.compileProblem).to.match(row.problem);
    });
  }

  it('STS reached with an S3-scoped credential: SignatureDoesNotMatch 403', async () => {
    const state = orgWithCompleteSetup();
    state.externalCredential('EC')!.parameters[0].parameterValue = 's3';
    const result = await executeAnonymous(state, state.adminUser, SMOKE);
    expect(result.exceptionMessage).to.include('"status":403').and.include('SignatureDoesNotMatch');
  });

  it('a certificate imported without its key (seed shortcut) cannot sign: CalloutException', async () => {
    const state = orgWithCompleteSetup();
    state.importCertificate('iamra');
    const result = await executeAnonymous(state, state.adminUser, SMOKE);
    expect(result.exceptionMessage).to.match(/^System\.CalloutException: The certificate iamra has no private key/);
  });

  it('a Legacy named credential of that name: AWS rejects the old access key', async () => {
    const state = new OrgState();
    state.aws.hosts = new AwsHostMap(aws.endpoints);
    state.addLegacyNamedCredential('APN_API_Connection', 'https://sts.us-west-2.amazonaws.com');
    const result = await executeAnonymous(state, state.adminUser, SMOKE);
    expect(result.exceptionMessage).to.include('"status":403').and.include('InvalidClientTokenId');
  });

  it('no such named credential: CalloutException', async () => {
    const state = new OrgState();
    const result = await executeAnonymous(state, state.adminUser, SMOKE);
    expect(result.exceptionMessage).to.match(/^System\.CalloutException: .*APN_API_Connection/);
  });
});
