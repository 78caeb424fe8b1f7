/*
 * The org services against the org simulator over real HTTP, in process (no sf start-up cost):
 * every refusal and failure path of deploy and smoke, with the message, name, exit code and what
 * the org was left with. The same paths through the real sf binary are in e2e/failures.test.ts.
 */
import { Duration } from '@salesforce/kit';
import { SfError } from '@salesforce/core';
import { expect } from 'chai';
import { startOrgSimulator, type OrgSimulator, type OrgSimulatorOptions } from '../simulator/index.js';
import { deployIamra, type IamraDeployRequest, type IamraDeployResult } from '../../src/shared/org/deployService.js';
import type { ComponentFailure } from '../../src/shared/org/deployStatus.js';
import { runSmokeTest, type SmokeTestResult } from '../../src/shared/org/smokeTest.js';
import { undoAssignments } from '../../src/shared/org/permissionSetAssignment.js';
import { undoPrincipalRoleArn } from '../../src/shared/org/principalCredential.js';
import { withSessionCheck } from '../../src/shared/org/orgErrors.js';
import { ARN, FRESH_ORG_DEPLOY_PLAN } from '../helpers/fixtures.js';
import { importTestKeystore, testAwsAccount } from '../simulator/harness/testAws.js';
import { resolvedTempProject } from '../helpers/tempProject.js';
import { isolateHome, simOrg } from './simOrg.js';

const METADATA = { trustAnchorArn: ARN.anchor, profileArn: ARN.profile, roleArn: ARN.role, service: 'sts' as const };
const noWait = (): Promise<void> => Promise.resolve();

type Rig = {
  sim: OrgSimulator;
  deploy: (extra?: Partial<IamraDeployRequest>) => Promise<IamraDeployResult>;
  smoke: () => Promise<SmokeTestResult>;
  printed: ComponentFailure[][];
  close: () => Promise<void>;
};

const withCertificate: OrgSimulatorOptions = {
  orgType: 'production',
  seed: (s) => (s.installPackage('awsapn'), importTestKeystore(s)),
  aws: testAwsAccount(ARN),
};

/** Production-type simulators: no source tracking in process (see simOrg.ts); tracking is tested through the real sf. */
async function rig(options: OrgSimulatorOptions = withCertificate): Promise<Rig> {
  // A fresh HOME per simulator: core caches auth fields (tracksSource, isSandbox) per username, and all simulators share one.
  const restoreHome = isolateHome();
  const sim = await startOrgSimulator(options);
  const { org, connection } = await simOrg(sim);
  const project = await resolvedTempProject();
  const printed: ComponentFailure[][] = [];
  return {
    sim,
    printed,
    deploy: (extra = {}) =>
      deployIamra({
        org,
        connection,
        project: project.project,
        metadata: { ...METADATA, ...(extra.metadata ?? {}) },
        retrySleep: noWait,
        listener: { deployFailures: (f) => printed.push(f) },
        ...extra,
      }),
    smoke: () => withSessionCheck(sim.username, () => runSmokeTest(connection, { namedCredential: 'APN_API_Connection' })),
    close: async () => {
      await sim.close();
      project.cleanup();
      restoreHome();
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<SfError> {
  try {
    await promise;
  } catch (error) {
    return error as SfError;
  }
  throw new Error('expected a refusal');
}

describe('org services against the org simulator (in process)', () => {
  describe('deploy refusals and failures', () => {
    const rows: Array<{
      name: string;
      options?: OrgSimulatorOptions;
      arrange?: (sim: OrgSimulator) => void;
      request?: Partial<IamraDeployRequest>;
      error: string;
      exitCode: number;
      message: RegExp;
      actions?: RegExp;
      /** Nothing of ours may be in the org afterwards. */
      orgUntouched?: boolean;
      /** The run had changed the org and undid it (as configure does). */
      undone?: boolean;
    }> = [
      {
        name: 'no certificate imported',
        options: { orgType: 'production' },
        error: 'CertificateNotImported',
        exitCode: 1,
        message: /no certificate named iamra/,
        actions: /sf iamra keystore build[\s\S]*Import from Keystore/,
        orgUntouched: true,
      },
      {
        name: 'Legacy APN_API_Connection in the org',
        arrange: (sim) => sim.state.addLegacyNamedCredential('APN_API_Connection'),
        error: 'LegacyNamedCredential',
        exitCode: 1,
        message: /already has a Legacy named credential called APN_API_Connection/,
        actions: /delete it/,
        orgUntouched: true,
      },
      {
        name: 'expired certificate',
        options: { orgType: 'production', seed: (s) => s.importCertificate('iamra', { expirationDate: '2020-01-01T00:00:00.000Z' }) },
        error: 'CertificateExpired',
        exitCode: 1,
        message: /expired on 2020-01-01/,
        orgUntouched: true,
      },
      {
        name: 'component errors in the deploy',
        arrange: (sim) => sim.faults.failDeploy({ problem: 'Simulated component problem' }),
        error: 'DeployFailed',
        exitCode: 1,
        message: /failed: 3 component error\(s\)/,
        actions: /DeployStatus/,
        orgUntouched: true,
        undone: true,
      },
      {
        name: 'still running after --wait (cancelled, then undone)',
        options: { ...withCertificate, deployPollsBeforeDone: 1_000_000 },
        request: { wait: Duration.seconds(1) },
        error: 'DeployWaitExpired',
        exitCode: 1,
        message: /still running when --wait ran out; this run asked the org to cancel it/,
        actions: /sf project deploy report --job-id/,
        orgUntouched: true,
        undone: true,
      },
      {
        name: 'expired session (no refresh token)',
        arrange: (sim) => sim.faults.expireSession(),
        error: 'SessionExpired',
        exitCode: 1,
        message: /The session for \S+@iamra-sim\.example\.com has expired/,
        actions: /sf org login web/,
        orgUntouched: true,
      },
      {
        name: 'an --assign-to user that does not exist',
        request: { assignTo: ['nobody@example.com'] },
        error: 'AssignmentFailed',
        exitCode: 1,
        message: /to: nobody@example.com \(No active user with username nobody@example.com\.\)/,
        orgUntouched: true,
        undone: true,
      },
    ];
    for (const row of rows) {
      it(`${row.name}: ${row.error}, exit ${row.exitCode}`, async () => {
        const r = await rig(row.options);
        try {
          row.arrange?.(r.sim);
          const error = await refusal(r.deploy(row.request));
          expect(error.name, error.message).to.equal(`${row.error}Error`);
          expect(error.exitCode ?? 1).to.equal(row.exitCode);
          expect(error.message).to.match(row.message);
          if (row.actions) expect((error.actions ?? []).join('\n')).to.match(row.actions);
          if (row.orgUntouched) {
            expect(r.sim.state.externalCredentials).to.have.length(0);
            expect(r.sim.state.principalCredentials).to.have.length(0);
            expect(r.sim.state.assignments).to.have.length(0);
          }
          if (row.error === 'DeployFailed') {
            expect(r.printed[0].map((f) => f.problem)).to.deep.equal(Array(3).fill('Simulated component problem'));
          }
          if (row.undone) expect(error.message).to.match(/Every change made before the failure was undone/);
        } finally {
          await r.close();
        }
      });
    }

    it('5xx and a dropped connection during the deploy: retried, then it succeeds', async () => {
      const r = await rig();
      try {
        r.sim.faults.fail({ api: 'metadata', operation: 'deploy', status: 503, times: 2 });
        r.sim.faults.drop({ api: 'connect', method: 'GET', times: 1 });
        const result = await r.deploy();
        expect(result.deploy?.success).to.equal(true);
        expect(result.principalCredential?.action).to.equal('created');
        // 2 refused deploy calls + the one that went through; the dropped Connect GET was read again.
        expect(r.sim.requests.filter((q) => q.operation === 'deploy')).to.have.length(3);
        expect(r.sim.requests.filter((q) => q.api === 'connect' && q.method === 'GET')).to.have.length(2);
      } finally {
        await r.close();
      }
    });

    it('--dry-run is the plan: no deploy, no role ARN, no assignment', async () => {
      const r = await rig();
      try {
        const result = await r.deploy({ dryRun: true });
        expect(result.deploy).to.equal(undefined);
        expect(result.plan?.rows.map((row) => `${row.item}:${row.action}`)).to.deep.equal(FRESH_ORG_DEPLOY_PLAN);
        expect(r.sim.deploys()).to.have.length(0);
        expect(result.principalCredential).to.equal(undefined);
        expect(r.sim.state.externalCredentials).to.have.length(0);
        expect(r.sim.state.assignments).to.have.length(0);
      } finally {
        await r.close();
      }
    });

    it('production: no test level unless asked; --test-level is passed on', async () => {
      const r = await rig();
      try {
        expect((await r.deploy()).deploy?.testLevel).to.equal(undefined);
        // Only what differs is deployed: the S3 set changes two components.
        const s3 = await r.deploy({ testLevel: 'RunLocalTests', metadata: { ...METADATA, service: 's3' } });
        expect(s3.deploy?.testLevel).to.equal('RunLocalTests');
      } finally {
        await r.close();
      }
    });

    it('re-deploy with another role ARN replaces it and reports the previous one; undo restores the org', async () => {
      const r = await rig();
      try {
        const integration = r.sim.state.addUser('integration@example.com').username;
        const first = await r.deploy({ assignTo: [integration] });
        expect(first.principalCredential?.action).to.equal('created');
        expect(first.permissionSet?.created).to.have.length(2);
        const again = await r.deploy({ assignTo: [integration] });
        expect(again.nothingToChange).to.equal(true);
        expect([again.deploy, again.principalCredential, again.permissionSet]).to.deep.equal([undefined, undefined, undefined]);
        expect(r.sim.deploys()).to.have.length(1);
        const otherRole = 'arn:aws:iam::123456789012:role/OtherRole';
        const second = await r.deploy({ metadata: { ...METADATA, roleArn: otherRole } });
        expect(second.principalCredential).to.deep.include({ action: 'replaced', roleArn: otherRole, previousRoleArn: ARN.role });
        const { connection } = await simOrg(r.sim);
        await undoPrincipalRoleArn(connection, second.principalCredential!);
        expect(r.sim.state.principalCredential('AWS_IAM_Anywhere_Credential', 'IAMAW_Principal')?.credentials.awsRoleArn?.value).to.equal(ARN.role);
        await undoPrincipalRoleArn(connection, first.principalCredential!);
        expect(r.sim.state.principalCredentials).to.have.length(0);
        await undoAssignments(connection, first.permissionSet!);
        expect(r.sim.state.assignments).to.have.length(0);
      } finally {
        await r.close();
      }
    });
  });

  describe('smoke test diagnoses', () => {
    const rows: Array<{ name: string; arrange: (sim: OrgSimulator) => void; diagnosis: string; status?: number; message: RegExp; actions: RegExp }> = [
      {
        name: 'permission set not assigned',
        arrange: (sim) => sim.state.assignments.splice(0),
        diagnosis: 'PermissionSetNotAssigned',
        message: /can't use the external credential's principal/,
        actions: /Assign the permission set/,
      },
      {
        name: 'certificate not imported',
        arrange: (sim) => sim.state.certificates.splice(0),
        diagnosis: 'CertificateProblem',
        message: /failed on the signing certificate/,
        actions: /Import from Keystore/,
      },
      {
        name: 'no role ARN on the principal',
        arrange: (sim) => sim.state.principalCredentials.splice(0),
        diagnosis: 'RoleArnMissing',
        message: /principal has no IAM role ARN/,
        actions: /--role-arn/,
      },
      {
        name: 'AWS refuses the role (trust anchor / profile / role wrong)',
        arrange: ({ state }) => Object.assign(state.aws, { rejectRole: 'AccessDenied' }),
        diagnosis: 'AwsAccessDenied',
        status: 403,
        message: /AWS refused the request through APN_API_Connection \(HTTP 403\)/,
        actions: /trust anchor ARN and profile ARN/,
      },
      {
        name: 'connection dropped during executeAnonymous (not a permission problem)',
        arrange: (sim) => sim.faults.drop({ api: 'apex', times: 3 }),
        diagnosis: 'OrgUnreachable',
        message: /connection to the org was lost.*fetch failed/,
        actions: /run "sf iamra smoke" again/,
      },
      {
        name: 'org answers an HTML 503 to executeAnonymous',
        arrange: (sim) => sim.faults.fail({ api: 'apex', status: 503, times: 3 }),
        diagnosis: 'OrgUnreachable',
        message: /connection to the org was lost.*503/s,
        actions: /status\.salesforce\.com/,
      },
      {
        name: 'running user lacks Customize Application',
        arrange: ({ state }) => Object.assign(state.adminUser, { customizeApplication: false }),
        diagnosis: 'MissingCustomizeApplication',
        message: /Customize Application permission/,
        actions: /Customize Application/,
      },
    ];
    for (const row of rows) {
      it(`${row.name}: ${row.diagnosis}`, async () => {
        const r = await rig();
        try {
          await r.deploy();
          expect((await r.smoke()).passed).to.equal(true);
          row.arrange(r.sim);
          const result = await r.smoke();
          expect(result).to.deep.include({ passed: false, diagnosis: row.diagnosis });
          expect(result.httpStatus).to.equal(row.status);
          expect(result.message).to.match(row.message);
          expect(result.actions.join('\n')).to.match(row.actions);
        } finally {
          await r.close();
        }
      });
    }

    it('expired session: reported as SessionExpired', async () => {
      const r = await rig();
      try {
        r.sim.faults.expireSession();
        const error = await refusal(r.smoke());
        expect(error.name).to.equal('SessionExpiredError');
      } finally {
        await r.close();
      }
    });
  });
});
