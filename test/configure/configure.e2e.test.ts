/*
 * `sf iamra configure` end to end through the real sf binary against the org simulator: the whole
 * run, and the rollback that leaves org and project as they were when a step fails.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { STACK_TRACE } from '../helpers/sfCli.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { ARN, ARN_FLAGS } from '../helpers/fixtures.js';
import { importTestKeystore, orgRig, type OrgRig } from '../org/e2e/orgProject.js';

type ConfigureJson = {
  succeeded: boolean;
  service?: string;
  stages: Array<{ id: string; status: string }>;
  rollback: Array<{ description: string; status: string }>;
  smoke?: { passed: boolean; httpStatus?: number; assumedRoleArn?: string };
  principalCredential?: { action: string; roleArn: string };
  permissionSet?: { assigned: string[] };
  files: Array<{ type: string; path: string }>;
};

const sourceDir = (rig: OrgRig): string => join(rig.projectDir, 'force-app', 'main', 'default');
const generatedFiles = (rig: OrgRig): string[] =>
  existsSync(sourceDir(rig)) ? readdirSync(sourceDir(rig), { recursive: true }).map(String).filter((f) => f.endsWith('.xml')) : [];

describe('sf iamra configure against the org simulator (real sf)', () => {
  describe('a sandbox with the keystore imported', () => {
    let rig: OrgRig;
    before(async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
    });
    after(async () => rig?.close());

    it('deploys for STS, sets the role, assigns access, passes the smoke test and ends on S3', async () => {
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const result = run.json?.result as ConfigureJson;
      expect(result.succeeded).to.equal(true);
      expect(result.service).to.equal('s3');
      expect(result.stages.map((s) => `${s.id}:${s.status}`)).to.deep.equal([
        'aws-preflight:skipped',
        'org-checks:succeeded',
        'deploy-sts:succeeded',
        'role-arn:succeeded',
        'permission-set:succeeded',
        'smoke-test:succeeded',
        'switch-to-s3:succeeded',
      ]);
      expect(result.smoke).to.deep.include({ passed: true, httpStatus: 200 });
      expect(result.smoke?.assumedRoleArn).to.match(/^arn:aws:sts::123456789012:assumed-role\/APNPartnerCRMConnectorRole\//);
      expect(result.principalCredential).to.deep.include({ action: 'created', roleArn: ARN.role });
      expect(result.permissionSet?.assigned).to.deep.equal([rig.sim.username]);
      expectMatchesSchema('iamra configure', result);

      // The org now holds the S3 stage, and the project's source matches it.
      expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.equal('https://s3.us-west-2.amazonaws.com');
      const service = rig.sim.state
        .externalCredential('AWS_IAM_Anywhere_Credential')
        ?.parameters.find((p) => p.parameterName === 'AwsService');
      expect(service?.parameterValue).to.equal('s3');
      expect(generatedFiles(rig).sort()).to.deep.equal([
        'externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential-meta.xml',
        'namedCredentials/APN_API_Connection.namedCredential-meta.xml',
        'permissionsets/APN_Roles_Anywhere_Access.permissionset-meta.xml',
      ]);
    });

    it('a second run changes nothing and duplicates nothing', async () => {
      const before = { assignments: rig.sim.state.assignments.length, credentials: rig.sim.state.principalCredentials.length };
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const result = run.json?.result as ConfigureJson;
      expect(result.principalCredential?.action).to.equal('unchanged');
      expect(result.permissionSet?.assigned).to.deep.equal([]);
      expect(rig.sim.state.assignments.length).to.equal(before.assignments);
      expect(rig.sim.state.principalCredentials.length).to.equal(before.credentials);
    });

    it('prints the steps and the outcome for a person, with no secret and no stack trace', async () => {
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--final-service', 'sts']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.stdout).to.match(/IAM Roles Anywhere is configured/);
      expect(run.stdout).to.match(/AWS answered as arn:aws:sts::123456789012:assumed-role\/APNPartnerCRMConnectorRole/);
      expect(run.stdout).to.match(/APN_API_Connection now points at sts/);
      expect(run.stdout + run.stderr).not.to.include(rig.sim.accessToken);
      expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
      expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.equal('https://sts.us-west-2.amazonaws.com');
    });
  });

  describe('when a step fails', () => {
    let rig: OrgRig;
    afterEach(async () => rig?.close());

    it('AWS refuses the role at the smoke test: everything configure did is undone', async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
      rig.sim.state.aws.rejectRole = 'AccessDenied';
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      expect(run.code).to.equal(1);
      expect(run.json?.message).to.match(/Smoke test: GetCallerIdentity/);
      expect(run.json?.message, String(run.json?.message).slice(-600)).to.match(/Every change made before the failure was undone/);
      expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
      const data = (run.json?.data as { configure: ConfigureJson }).configure;
      expect(data.stages.find((s) => s.id === 'smoke-test')?.status).to.equal('failed');
      expect(data.stages.find((s) => s.id === 'switch-to-s3')?.status).to.equal('not-run');
      expect(data.rollback.map((r) => r.status)).to.deep.equal(['undone', 'undone', 'undone', 'undone']);
      // Org: no credential, principal role, assignment or permission set left behind.
      expect(rig.sim.state.externalCredential('AWS_IAM_Anywhere_Credential')).to.equal(undefined);
      expect(rig.sim.state.namedCredential('APN_API_Connection')).to.equal(undefined);
      expect(rig.sim.state.permissionSets.find((p) => p.name === 'APN_Roles_Anywhere_Access')).to.equal(undefined);
      expect(rig.sim.state.principalCredentials).to.deep.equal([]);
      expect(rig.sim.state.assignments).to.deep.equal([]);
      // Project: the files configure wrote are gone again.
      expect(generatedFiles(rig)).to.deep.equal([]);
    });

    it('--no-rollback leaves the partial state for diagnosis', async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
      rig.sim.state.aws.rejectRole = 'AccessDenied';
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--no-rollback', '--json']);
      expect(run.code).to.equal(1);
      expect((run.json?.data as { configure: ConfigureJson }).configure.rollback).to.deep.equal([]);
      expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.equal('https://sts.us-west-2.amazonaws.com');
      expect(rig.sim.state.principalCredentials).to.have.length(1);
    });

    const refusals: Array<{ name: string; args: string[]; seed?: (rig: OrgRig) => void; message: RegExp; errorName?: string }> = [
      { name: 'keystore not imported', args: ARN_FLAGS, message: /certificate/i, errorName: 'CertificateNotImportedError' },
      {
        name: 'a Legacy APN_API_Connection in the org',
        args: ARN_FLAGS,
        seed: (r) => {
          importTestKeystore(r.sim.state);
          r.sim.state.addLegacyNamedCredential('APN_API_Connection');
        },
        message: /Legacy/,
        errorName: 'LegacyNamedCredentialError',
      },
      {
        name: '--preflight without a certificate',
        args: [...ARN_FLAGS, '--preflight'],
        message: /--preflight needs the certificate/,
        errorName: 'PreflightNeedsCertificateError',
      },
      {
        name: 'a role ARN of the wrong kind',
        args: ['--trust-anchor-arn', ARN.anchor, '--profile-arn', ARN.profile, '--role-arn', ARN.profile],
        seed: (r) => importTestKeystore(r.sim.state),
        message: /role/i,
      },
    ];
    for (const row of refusals) {
      it(`refuses before changing anything: ${row.name}`, async () => {
        rig = await orgRig({ orgType: 'sandbox' });
        row.seed?.(rig);
        const namedBefore = rig.sim.state.namedCredentials.length;
        const run = await rig.run(['iamra', 'configure', ...row.args, '--json']);
        expect(run.code, run.stdout).to.equal(1);
        expect(run.json?.message, run.stdout.slice(0, 600) + run.stderr.slice(0, 600)).to.match(row.message);
        if (row.errorName) expect(run.json?.name).to.equal(row.errorName);
        expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
        expect(rig.sim.state.externalCredentials).to.deep.equal([]);
        expect(rig.sim.state.namedCredentials.length).to.equal(namedBefore);
        expect(rig.sim.state.assignments).to.deep.equal([]);
        expect(generatedFiles(rig)).to.deep.equal([]);
      });
    }
  });
});
