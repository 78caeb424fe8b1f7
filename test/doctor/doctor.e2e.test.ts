/*
 * `sf iamra doctor` end to end through the real sf against the org simulator: a fresh org, a
 * configured one, and the broken ones (each change made to the simulated org as an admin's edit in
 * Setup would leave it), each check flipping as expected, with the exit code. Needs `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { DoctorCheck, DoctorResult } from '../../src/shared/doctor/types.js';
import { projectRoot, STACK_TRACE } from '../helpers/sfCli.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { ACCOUNT, ARN, ARN_FLAGS, ROLE_NAME } from '../helpers/fixtures.js';
import { orgRig, type OrgRig } from '../org/e2e/orgProject.js';

type Run = { code: number; result: DoctorResult; out: string };

const statuses = (result: DoctorResult): Record<string, string> => Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
const checkOf = (result: DoctorResult, id: string): DoctorCheck => result.checks.find((c) => c.id === id)!;

describe('sf iamra doctor (real sf, org simulator)', () => {
  let rig: OrgRig;
  const doctor = async (...args: string[]): Promise<Run> => {
    const run = await rig.run(['iamra', 'doctor', '--json', ...args]);
    const result = (run.json?.result ?? run.json?.data) as DoctorResult;
    expect(result, run.stdout + run.stderr).to.not.equal(undefined);
    expect(run.stdout + run.stderr).to.not.include(rig.sim.accessToken);
    return { code: run.code, result, out: run.stdout + run.stderr };
  };

  before(async () => {
    rig = await orgRig({ orgType: 'production' });
  });
  after(async () => rig?.close());

  it('fresh org: nothing is there - every check says so and how to fix it, exit 1', async () => {
    // orgRig installs the connector, as in every org the plugin sets up; a fresh org has none yet.
    const installed = rig.sim.state.installedPackages.splice(0);
    const { code, result } = await doctor().finally(() => rig.sim.state.installedPackages.push(...installed));
    expect(code).to.equal(1);
    expectMatchesSchema('iamra doctor', result);
    expect(result.passed).to.equal(false);
    expect(statuses(result)).to.deep.equal({
      'api-version': 'pass',
      package: 'fail',
      'user-permissions': 'pass',
      'identity-provider': 'warn',
      'signing-certificate': 'fail',
      'external-credential': 'fail',
      'named-credential': 'fail',
      'allowed-namespace': 'skip',
      'permission-set': 'fail',
      'role-arn': 'skip',
      assignments: 'fail',
      'live-check': 'skip',
    });
    for (const c of result.checks.filter((x) => x.status === 'fail' || x.status === 'warn')) expect(c.fix, c.id).to.not.deep.equal([]);
    expect(checkOf(result, 'package').message).to.include('awsapn');
    expect(checkOf(result, 'signing-certificate').fix.join(' ')).to.include('Import from Keystore');
  });

  describe('a configured org', () => {
    before(async () => {
      rig.sim.state.installPackage('awsapn');
      // A real keystore imported as Setup does (the simulator's callout needs the imported private key).
      const file = join(rig.projectDir, 'iamra.jks');
      const pki = (name: string): string => join(projectRoot, 'test', 'fixtures', 'pki', name);
      const build = await rig.sf.run(
        ['iamra', 'keystore', 'build', '--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.pem'), '--chain', pki('chain.pem'), '--output', file, '--json'],
        { env: { IAMRA_KEYSTORE_PASSWORD: 'test-only-doctor' } }
      );
      expect(build.code, build.stdout + build.stderr).to.equal(0);
      rig.sim.state.identityProvider.enabled = true;
      rig.sim.state.importKeystore(readFileSync(file), 'test-only-doctor');
      const deploy = await rig.run(['iamra', 'deploy', '--service', 's3', ...ARN_FLAGS, '--json']);
      expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
    });

    it('every check passes (the identity provider only warns), the live S3 call proves the chain, exit 0', async () => {
      const { code, result } = await doctor();
      expect(code, JSON.stringify(result.checks, null, 2)).to.equal(0);
      expectMatchesSchema('iamra doctor', result);
      expect(result.passed).to.equal(true);
      const expected = Object.fromEntries(result.checks.map((c) => [c.id, 'pass']));
      expect(statuses(result)).to.deep.equal({ ...expected, 'identity-provider': 'warn' });
      expect(checkOf(result, 'package').message).to.include('2.1.0');
      expect(checkOf(result, 'role-arn').message).to.include(ARN.role);
      expect(checkOf(result, 'assignments').details).to.deep.equal([rig.sim.username]);
      expect(checkOf(result, 'named-credential').message).to.match(/s3\.us-west-2/);
      expect(checkOf(result, 'live-check').message).to.match(/S3 answered through APN_API_Connection \(HTTP 403\): the IAM Roles Anywhere chain signs its requests/);
    });

    it('--no-callout skips the live check and makes no Apex request', async () => {
      const before = rig.sim.requests.filter((r) => r.api === 'apex' || r.path.includes('executeAnonymous')).length;
      const { code, result } = await doctor('--no-callout');
      expect(code).to.equal(0);
      expect(checkOf(result, 'live-check').status).to.equal('skip');
      expect(rig.sim.requests.filter((r) => r.api === 'apex' || r.path.includes('executeAnonymous')).length).to.equal(before);
    });

    it('is read-only: no deploy, no write request', async () => {
      const deploys = rig.sim.deploys().length;
      const from = rig.sim.requests.length;
      await doctor();
      const writes = rig.sim.requests
        .slice(from)
        .filter((r) => (r.method !== 'GET' && r.api !== 'metadata' && !/executeAnonymous|\/Soap\/s\//.test(r.path)) || /deploy/i.test(String((r as { operation?: string }).operation ?? '')));
      expect(writes).to.deep.equal([]);
      expect(rig.sim.deploys().length).to.equal(deploys);
    });

    const broken: Array<{ name: string; breakIt: (rig: OrgRig) => () => void; check: string; status: string; code: number; says: RegExp }> = [
      {
        name: 'permission set unassigned',
        breakIt: ({ sim }) => emptied(sim.state.assignments),
        check: 'assignments',
        status: 'fail',
        code: 1,
        says: /not assigned to: admin-/,
      },
      {
        name: 'an --assign-to user without the permission set',
        breakIt: ({ sim }) => {
          sim.state.addUser('integration@example.com');
          return () => undefined;
        },
        check: 'assignments',
        status: 'fail',
        code: 1,
        says: /not assigned to: integration@example\.com/,
      },
      {
        name: 'role ARN missing',
        breakIt: ({ sim }) => emptied(sim.state.principalCredentials),
        check: 'role-arn',
        status: 'fail',
        code: 1,
        says: /has no IAM role ARN/,
      },
      {
        name: 'certificate expiring in 20 days',
        breakIt: ({ sim }) => expireIn(sim.state.certificate('iamra')!, 20),
        check: 'signing-certificate',
        status: 'warn',
        code: 0,
        says: /in 2[01] days: rotate it/,
      },
      {
        name: 'certificate expired',
        breakIt: ({ sim }) => expireIn(sim.state.certificate('iamra')!, -3),
        check: 'signing-certificate',
        status: 'fail',
        code: 1,
        says: /expired on/,
      },
      {
        name: 'external credential drifted (duration changed and profile removed in Setup)',
        breakIt: ({ sim }) => {
          const key = 'ExternalCredential:AWS_IAM_Anywhere_Credential';
          const component = sim.state.components.get(key)!;
          const saved = component.files;
          const [path, xml] = Object.entries(saved).find(([p]) => p.endsWith('.externalCredential'))!;
          const edited = xml
            .toString()
            .replace(/(<parameterName>AwsStsDuration<\/parameterName>\s*<parameterType>[^<]+<\/parameterType>\s*<parameterValue>)3600/, '$17200')
            .replace(/<externalCredentialParameters>\s*<parameterName>AwsProfileArn<\/parameterName>[\s\S]*?<\/externalCredentialParameters>\s*/, '');
          expect(edited).to.not.equal(xml.toString());
          component.files = { ...saved, [path]: Buffer.from(edited) };
          return () => (component.files = saved);
        },
        check: 'external-credential',
        status: 'fail',
        code: 1,
        says: /differs from what the plugin would generate/,
      },
      {
        name: 'package missing',
        breakIt: ({ sim }) => emptied(sim.state.installedPackages),
        check: 'package',
        status: 'fail',
        code: 1,
        says: /not installed/,
      },
    ];

    for (const row of broken) {
      it(`${row.name}: ${row.check} -> ${row.status}, exit ${row.code}`, async () => {
        const restore = row.breakIt(rig);
        try {
          const extra = row.name.includes('--assign-to') ? ['--assign-to', 'integration@example.com'] : [];
          const { code, result } = await doctor('--no-callout', ...extra);
          const c = checkOf(result, row.check);
          expect(c.status, JSON.stringify(c)).to.equal(row.status);
          expect(c.message).to.match(row.says);
          expect(c.fix).to.not.deep.equal([]);
          expect(code).to.equal(row.code);
          const others = result.checks.filter((x) => x.id !== row.check && x.id !== 'identity-provider' && x.id !== 'live-check');
          expect(others.filter((x) => x.status !== 'pass').map((x) => x.id)).to.deep.equal([]);
        } finally {
          restore();
        }
      });
    }

    it('drift is listed item by item; against the org’s own values without ARN flags, against the deployed ones with them', async () => {
      const restore = broken.find((r) => r.check === 'external-credential')!.breakIt(rig);
      try {
        const own = checkOf((await doctor('--no-callout')).result, 'external-credential').details;
        expect(own).to.deep.equal(['AuthParameter AwsProfileArn: missing in the org (expected parameterValue=your profile ARN (pass --stack-outputs to compare the value))']);
        const deployed = checkOf((await doctor('--no-callout', ...ARN_FLAGS)).result, 'external-credential').details.join('\n');
        expect(deployed).to.include(`AuthParameter AwsProfileArn: missing in the org (expected parameterValue=${ARN.profile})`);
        expect(deployed).to.match(/AwsStsDuration: org has parameterValue=7200, expected parameterValue=3600/);
      } finally {
        restore();
      }
    });

    it('named credential on STS: a warning (the connector needs S3), the live check is GetCallerIdentity and passes', async () => {
      const deploy = await rig.run(['iamra', 'deploy', '--service', 'sts', ...ARN_FLAGS, '--json']);
      expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
      try {
        const { code, result } = await doctor();
        expect(checkOf(result, 'named-credential').status).to.equal('warn');
        expect(checkOf(result, 'named-credential').message).to.match(/AWS STS/);
        expect(checkOf(result, 'live-check')).to.include({ status: 'pass' });
        expect(checkOf(result, 'live-check').message).to.include(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/`);
        expect(code).to.equal(0);
      } finally {
        const back = await rig.run(['iamra', 'deploy', '--service', 's3', ...ARN_FLAGS, '--json']);
        expect(back.code).to.equal(0);
      }
    });

    it('a failing live check fails doctor with the diagnosis', async () => {
      rig.sim.state.aws.rejectRole = 'InvalidClientTokenId';
      try {
        const { code, result } = await doctor();
        expect(checkOf(result, 'live-check').status).to.equal('fail');
        expect(checkOf(result, 'live-check').fix).to.not.deep.equal([]);
        expect(code).to.equal(1);
      } finally {
        delete rig.sim.state.aws.rejectRole;
      }
    });

    it('--keystore / --certificate: the local file is checked with the keystore rules; its password appears nowhere', async () => {
      const password = readFileSync('test/fixtures/pki/storepass.txt', 'utf8').trim();
      const run = await rig.run(['iamra', 'doctor', '--no-callout', '--keystore', 'test/fixtures/pki/jks/keytool-good.jks', '--json'].map((a) => (a.startsWith('test/') ? `${process.cwd()}/${a}` : a)), {
        IAMRA_KEYSTORE_PASSWORD: password,
      });
      expect(run.json?.result, run.stdout + run.stderr).to.not.equal(undefined);
      const local = checkOf(run.json?.result as DoctorResult, 'local-certificate');
      expect(local.status, JSON.stringify(local)).to.be.oneOf(['pass', 'warn']);
      expect(local.message).to.match(/keytool-good\.jks: .*expires on \d{4}-\d\d-\d\d/);
      expect(run.stdout + run.stderr).to.not.include(password);
      const expired = await doctor('--no-callout', '--certificate', `${process.cwd()}/test/fixtures/pki/leaf-expired.pem`);
      expect(checkOf(expired.result, 'local-certificate').status, expired.out).to.equal('fail');
      expect(expired.code).to.equal(1);
    });

    it('human output: a table of checks, fixes under the failures, counts; no stack trace, no token', async () => {
      const restore = emptied(rig.sim.state.assignments);
      try {
        const run = await rig.run(['iamra', 'doctor', '--no-callout']);
        expect(run.code).to.equal(1);
        expect(run.stdout).to.match(/PASS\s+│?\s*api-version/);
        expect(run.stdout).to.match(/FAIL assignments: /);
        expect(run.stdout).to.match(/→ Run "sf iamra deploy --assign-to/);
        expect(run.stdout).to.match(/1 failed, 1 warnings, \d+ passed, 1 skipped/);
        expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
        expect(run.stdout + run.stderr).to.not.include(rig.sim.accessToken);
      } finally {
        restore();
      }
    });
  });
});

function expireIn(cert: { expirationDate: string }, days: number): () => void {
  const saved = cert.expirationDate;
  cert.expirationDate = new Date(Date.now() + days * 86_400_000 + 3_600_000).toISOString();
  return () => (cert.expirationDate = saved);
}

/** Empties a state list in place (an admin removing it in Setup); returns the undo. */
function emptied<T>(list: T[]): () => void {
  const saved = list.splice(0, list.length);
  return () => {
    list.splice(0, list.length, ...saved);
  };
}
