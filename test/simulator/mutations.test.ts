/*
 * The callout chain judged as a hostile tester would: a correct credential set (the fixtures, deployed with
 * `sf project deploy start`, the role ARN stored with `sf api request rest`, the permission set assigned
 * with `sf org assign permset`, a real keystore imported) passes the smoke test run with `sf apex run`;
 * then one input changes at a time, and each change must fail as a real org would: the deploy or the
 * Connect call is refused, or the smoke test gets the error Salesforce or AWS would give.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { passwordBytes, writeJks } from '../../src/shared/keystore/jks.js';
import { SfCli, type SfRun } from '../helpers/sfCli.js';
import { createTestCa } from '../helpers/testCa.js';
import { pki } from '../helpers/fixtures.js';
import { fixtureProject, fixturesDir, type FixtureProject } from './harness/project.js';
import { loginSf } from './harness/sfLogin.js';
import { importTestKeystore, TEST_KEYSTORE, testAwsAccount } from './harness/testAws.js';
import { KeystoreImportError, startOrgSimulator, type OrgSimulator } from './index.js';

const ACCOUNT = '123456789012';
const ARNS = {
  anchor: `arn:aws:rolesanywhere:us-west-2:${ACCOUNT}:trust-anchor/11111111-2222-3333-4444-555555555555`,
  profile: `arn:aws:rolesanywhere:us-west-2:${ACCOUNT}:profile/66666666-7777-8888-9999-000000000000`,
  role: `arn:aws:iam::${ACCOUNT}:role/APNConnectorRole`,
};
const NOT_IN_PROFILE = `arn:aws:iam::${ACCOUNT}:role/SomeOtherRole`;
const EC = 'externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential-meta.xml';
const NC = 'namedCredentials/APN_API_Connection.namedCredential-meta.xml';
const PS = 'permissionsets/APN_Roles_Anywhere_Access.permissionset-meta.xml';
const CREDENTIAL_URL = '/services/data/v62.0/named-credentials/credential';

const credentialBody = (change: Record<string, unknown> = {}): string =>
  JSON.stringify({
    externalCredential: 'AWS_IAM_Anywhere_Credential',
    principalName: 'IAMAW_Principal',
    principalType: 'NamedPrincipal',
    authenticationProtocol: 'AwsSv4',
    authenticationProtocolVariant: 'RolesAnywhere',
    credentials: { awsRoleArn: { value: ARNS.role, encrypted: false } },
    ...change,
  });

/** A keystore for a leaf another CA issued (what a wrong ACM export would hold), written with the plugin's JKS writer. */
function otherCaKeystore(): Buffer {
  const ca = createTestCa();
  const leaf = ca.issueLeaf('iamra');
  const chain = [leaf.certificatePem, ca.intermediatePem, ca.rootPem].map((pem) => new X509Certificate(pem).raw);
  const pkcs8 = createPrivateKey(leaf.privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  return writeJks({ alias: 'iamra', password: passwordBytes(TEST_KEYSTORE.password), pkcs8, chain });
}

type Expectation =
  | { deployRefused: RegExp }
  | { connectRefused: RegExp }
  | { importRefused: RegExp }
  /** the smoke test's outcome: an exception message, or the AWS answer's status and body */
  | { smoke: RegExp; status?: number };

type Mutation = {
  name: string;
  /** A change to the project, deployed with sf project deploy start. */
  edit?: (p: FixtureProject) => void;
  /** A change outside the project; returns how to undo it. */
  arrange?: (sim: OrgSimulator, sf: Rig) => Promise<() => unknown> | (() => unknown);
  /** Run the smoke test as the awsapn package's code (not anonymous Apex). */
  asPackage?: boolean;
  expect: Expectation;
};

type Rig = { sf: SfCli; alias: string; project: FixtureProject; run: (args: string[]) => Promise<SfRun> };

const replaceIn = (file: string, from: string | RegExp, to: string) => (p: FixtureProject): void => p.edit(file, (x) => {
  const changed = x.replace(from, to);
  if (changed === x) throw new Error(`mutation did not apply to ${file}: ${String(from)}`);
  return changed;
});

const mutations: Mutation[] = [
  {
    name: 'variant AwsSv4_STS (with the Roles Anywhere parameters)',
    edit: replaceIn(EC, '<parameterValue>RolesAnywhere<', '<parameterValue>AwsSv4_STS<'),
    expect: { deployRefused: /AwsTrustAnchorArn is only available for the RolesAnywhere protocol variant/ },
  },
  {
    name: 'no AuthProtocolVariant',
    edit: replaceIn(EC, /<externalCredentialParameters>\s*<parameterName>AwsSv4<[\s\S]*?<\/externalCredentialParameters>\s*/, ''),
    expect: { deployRefused: /AwsTrustAnchorArn is only available for the RolesAnywhere protocol variant, not none/ },
  },
  {
    name: 'service s3 while the URL is STS',
    edit: replaceIn(EC, '<parameterValue>sts<', '<parameterValue>s3<'),
    expect: { smoke: /SignatureDoesNotMatch[\s\S]*Credential should be scoped to correct service: 'sts'/, status: 403 },
  },
  {
    name: 'region us-east-1 (the trust anchor lives in us-west-2)',
    edit: replaceIn(EC, '<parameterValue>us-west-2<', '<parameterValue>us-east-1<'),
    expect: { smoke: /System\.CalloutException: .*HTTP 404 ResourceNotFoundException\): Trust anchor not found/ },
  },
  {
    name: 'another trust anchor ARN',
    edit: replaceIn(EC, 'trust-anchor/11111111-2222-3333-4444-555555555555', 'trust-anchor/99999999-2222-3333-4444-555555555555'),
    expect: { smoke: /System\.CalloutException: .*ResourceNotFoundException\): Trust anchor not found/ },
  },
  {
    name: 'another profile ARN',
    edit: replaceIn(EC, 'profile/66666666-7777-8888-9999-000000000000', 'profile/99999999-7777-8888-9999-000000000000'),
    expect: { smoke: /System\.CalloutException: .*ResourceNotFoundException\): Profile not found/ },
  },
  {
    name: 'a session duration over the profile\'s maximum',
    edit: replaceIn(EC, '<label>', '<externalCredentialParameters><parameterName>AwsStsDuration</parameterName><parameterType>AuthParameter</parameterType><parameterValue>7200</parameterValue></externalCredentialParameters>\n    <label>'),
    expect: { smoke: /System\.CalloutException: .*ValidationException\): Requested durationSeconds 7200 exceeds/ },
  },
  {
    name: 'a signing certificate the org does not have',
    edit: replaceIn(EC, '<certificate>iamra<', '<certificate>not_imported<'),
    expect: { deployRefused: /no Certificate named not_imported found/ },
  },
  {
    name: 'the principal access disabled in the permission set',
    edit: replaceIn(PS, '<enabled>true<', '<enabled>false<'),
    expect: { smoke: /System\.CalloutException: We couldn't access the credential\(s\)/ },
  },
  {
    name: 'an allowed namespace no installed package has',
    edit: replaceIn(NC, '<parameterValue>awsapn<', '<parameterValue>otherns<'),
    expect: { deployRefused: /No installed managed package has the namespace otherns/ },
  },
  {
    name: 'the awsapn package calling a named credential that does not allow its namespace',
    edit: replaceIn(NC, /<namedCredentialParameters>\s*<parameterName>AllowedManagedPackageNamespaces<[\s\S]*?<\/namedCredentialParameters>\s*/, ''),
    asPackage: true,
    expect: { smoke: /System\.CalloutException: The named credential APN_API_Connection doesn't allow callouts from the namespace awsapn/ },
  },
  {
    name: 'a role ARN the profile does not allow',
    arrange: async (_sim, rig) => {
      await rig.run(['api', 'request', 'rest', CREDENTIAL_URL, '--method', 'PUT', '--body', credentialBody({ credentials: { awsRoleArn: { value: NOT_IN_PROFILE, encrypted: false } } })]);
      return () => rig.run(['api', 'request', 'rest', CREDENTIAL_URL, '--method', 'PUT', '--body', credentialBody()]);
    },
    expect: { smoke: /System\.CalloutException: .*HTTP 403 AccessDeniedException\): Profile does not allow role arn:aws:iam::123456789012:role\/SomeOtherRole/ },
  },
  {
    name: 'a role whose trust policy does not trust Roles Anywhere',
    arrange: (sim) => {
      const role = sim.aws!.rolesAnywhere.config.roles.find((r) => r.arn === ARNS.role)!;
      role.trustsRolesAnywhere = false;
      return () => (role.trustsRolesAnywhere = true);
    },
    expect: { smoke: /AccessDeniedException\): Unable to assume role for arn arn:aws:iam::123456789012:role\/APNConnectorRole/ },
  },
  {
    name: 'the Connect credential with protocol Oauth',
    expect: { connectRefused: /must match the actual authentication protocol AwsSv4/ },
  },
  {
    name: 'the Connect credential with variant JwtBearer and PerUserPrincipal',
    expect: { connectRefused: /must match the actual protocol variant RolesAnywhere|IAMAW_Principal is a NamedPrincipal/ },
  },
  {
    name: 'the Connect credential with an invented key',
    expect: { connectRefused: /roleArn isn't valid for the AwsSv4 authentication protocol/ },
  },
  {
    name: 'a signing certificate from another CA',
    arrange: (sim) => {
      sim.state.importKeystore(otherCaKeystore(), TEST_KEYSTORE.password);
      return () => importTestKeystore(sim.state);
    },
    expect: { smoke: /System\.CalloutException: .*HTTP 403 AccessDeniedException\): Untrusted signing certificate/ },
  },
  {
    name: 'an expired signing certificate',
    arrange: (sim) => {
      sim.state.importKeystore(readFileSync(pki('jks/keytool-expired.jks')), TEST_KEYSTORE.password);
      return () => importTestKeystore(sim.state);
    },
    expect: { smoke: /AccessDeniedException\): Untrusted signing certificate/ },
  },
  {
    name: 'a signing certificate imported without its key',
    arrange: (sim) => {
      sim.state.importCertificate('iamra', { content: sim.state.certificate('iamra')!.content });
      return () => importTestKeystore(sim.state);
    },
    expect: { smoke: /System\.CalloutException: The certificate iamra has no private key/ },
  },
  {
    name: 'a keystore whose key does not match its certificate',
    expect: { importRefused: /The private key doesn't match the certificate chain/ },
  },
];

/** The Connect bodies of the connectRefused rows, by row name. */
const CONNECT_BODIES: Record<string, string> = {
  'the Connect credential with protocol Oauth': credentialBody({ authenticationProtocol: 'Oauth' }),
  'the Connect credential with variant JwtBearer and PerUserPrincipal': credentialBody({ authenticationProtocolVariant: 'JwtBearer', principalType: 'PerUserPrincipal' }),
  'the Connect credential with an invented key': credentialBody({ credentials: { roleArn: { value: ARNS.role, encrypted: false } } }),
};

function smokeOutcome(run: SfRun): string {
  const data = (run.json?.data ?? run.json?.result) as { compiled?: boolean; exceptionMessage?: string } | undefined;
  expect(data?.compiled, run.stdout + run.stderr).to.equal(true);
  return data?.exceptionMessage ?? '';
}

describe('callout chain mutation table (real sf: project deploy start, api request rest, org assign permset, apex run)', () => {
  let sim: OrgSimulator;
  let rig: Rig;

  const deploy = (): Promise<SfRun> => rig.run(['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '2', '--json']);
  const smoke = async (asPackage = false): Promise<string> => {
    if (asPackage) {
      return (await sim.executeApex(readFileSync(join(fixturesDir, 'smoke.apex'), 'utf8'), { namespace: 'awsapn' })).exceptionMessage ?? '';
    }
    return smokeOutcome(await rig.run(['apex', 'run', '--file', join(fixturesDir, 'smoke.apex'), '--json']));
  };

  before(async () => {
    const aws = testAwsAccount(ARNS);
    sim = await startOrgSimulator({
      orgType: 'sandbox',
      username: `mutations-${process.pid}@iamra-sim.example.com`,
      aws: { ...aws, roles: [...aws.roles, { arn: NOT_IN_PROFILE, trustsRolesAnywhere: true }] },
      seed: (state) => {
        state.installPackage('awsapn');
        importTestKeystore(state);
      },
    });
    const sf = SfCli.get();
    const alias = `mutations-${process.pid}`;
    await loginSf(sf, sim, alias);
    const project = fixtureProject();
    rig = { sf, alias, project, run: (args) => sf.run([...args, '--target-org', alias], { cwd: project.dir }) };
    const deployed = await deploy();
    expect(deployed.code, deployed.stdout + deployed.stderr).to.equal(0);
    const stored = await rig.run(['api', 'request', 'rest', CREDENTIAL_URL, '--method', 'POST', '--body', credentialBody()]);
    expect(stored.code, stored.stdout + stored.stderr).to.equal(0);
    const assigned = await rig.run(['org', 'assign', 'permset', '--name', 'APN_Roles_Anywhere_Access', '--json']);
    expect(assigned.code, assigned.stdout + assigned.stderr).to.equal(0);
  });
  after(async () => {
    await sim?.close();
    rig?.project.cleanup();
  });

  it('unmutated: the smoke test gets 200 GetCallerIdentity for the assumed role, with credentials Roles Anywhere issued', async () => {
    const message = await smoke();
    expect(message).to.match(/SMOKE::\{"status":200,"body":"<GetCallerIdentityResponse/);
    expect(message).to.match(/assumed-role\/APNConnectorRole\/[0-9a-f]+<\/Arn>/);
    const [issued] = sim.aws!.issued.slice(-1);
    expect(issued).to.include({ roleArn: ARNS.role });
    expect(sim.aws!.services.received.at(-1)).to.include({ host: 'sts.us-west-2.amazonaws.com', service: 'sts', status: 200 });
  });

  it('unmutated, as the awsapn package\'s own callout: 200 as well', async () => {
    expect(await smoke(true)).to.match(/SMOKE::\{"status":200/);
  });

  for (const mutation of mutations) {
    it(`mutated: ${mutation.name}`, async () => {
      const original = { ec: rig.project.read(EC), nc: rig.project.read(NC), ps: rig.project.read(PS) };
      let undo: () => unknown = () => undefined;
      let redeploy = false;
      try {
        const want = mutation.expect;
        if ('importRefused' in want) {
              const chain = [pki('leaf-rsa2048.pem'), pki('intermediate-ca.pem')].map((f) => new X509Certificate(readFileSync(f)).raw);
          const pkcs8 = createPrivateKey(readFileSync(pki('leaf-rsa3072.key.pem'))).export({ type: 'pkcs8', format: 'der' });
          const bytes = writeJks({ alias: 'iamra', password: passwordBytes(TEST_KEYSTORE.password), pkcs8, chain });
          expect(() => sim.state.importKeystore(bytes, TEST_KEYSTORE.password)).to.throw(KeystoreImportError, want.importRefused);
          expect(sim.state.signingKey('iamra'), 'the imported key stays').to.not.equal(undefined);
          return;
        }
        if ('connectRefused' in want) {
          const run = await rig.run(['api', 'request', 'rest', CREDENTIAL_URL, '--method', 'PUT', '--body', CONNECT_BODIES[mutation.name]]);
          expect(run.stdout + run.stderr).to.match(want.connectRefused);
          expect(sim.state.principalCredential('AWS_IAM_Anywhere_Credential', 'IAMAW_Principal')).to.deep.include({
            authenticationProtocol: 'AwsSv4',
            authenticationProtocolVariant: 'RolesAnywhere',
            credentials: { awsRoleArn: { value: ARNS.role, encrypted: false } },
          });
          return;
        }
        if (mutation.edit) {
          mutation.edit(rig.project);
          const run = await deploy();
          if ('deployRefused' in want) {
            expect(run.code, 'the deploy is refused').to.not.equal(0);
            expect(run.stdout + run.stderr).to.match(want.deployRefused);
            return;
          }
          expect(run.code, run.stdout + run.stderr).to.equal(0);
          redeploy = true;
        }
        if (!('smoke' in want)) throw new Error(`row ${mutation.name} expects a refusal but changes nothing refusable`);
        if (mutation.arrange) undo = await mutation.arrange(sim, rig);
        const message = await smoke(mutation.asPackage);
        expect(message).to.match(want.smoke);
        if (want.status) expect(message).to.include(`"status":${want.status}`);
        expect(message).not.to.include('"status":200');
      } finally {
        await undo();
        rig.project.write(EC, original.ec);
        rig.project.write(NC, original.nc);
        rig.project.write(PS, original.ps);
        if (redeploy) {
          const restored = await deploy();
          expect(restored.code, restored.stdout + restored.stderr).to.equal(0);
        }
      }
    });
  }

  it('restored after every mutation: the smoke test passes again', async () => {
    expect(await smoke()).to.match(/SMOKE::\{"status":200/);
  });
});
