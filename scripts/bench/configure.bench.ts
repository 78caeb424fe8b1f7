/*
 * `sf iamra configure` against the org simulator (sandbox, source tracking on): a fresh configure, a
 * no-change re-run, and the same job done with core sf commands (deploy the STS set, the Connect
 * credential request, assign the permission set, the GetCallerIdentity Apex, deploy the S3 set).
 * Reports wall time and the HTTP requests the org received (login excluded).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SfCli } from '../../test/helpers/sfCli.js';
import { tempProject } from '../../test/helpers/tempProject.js';
import { testAwsAccount } from '../../test/simulator/harness/testAws.js';
import { credentialInput } from '../../src/shared/org/principalCredential.js';
import { SMOKE_APEX_PATH } from '../../src/shared/org/smokeTest.js';
import type { BenchReport } from './measure.js';
import { connectorOrg, expectOk, freshOrg, type Sample, sampleRow as row, timed } from './orgSamples.js';

const ARNS = {
  trustAnchor: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  profile: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/1a1b2c3d-4e5f-6789-abcd-ef0123456789',
  role: 'arn:aws:iam::123456789012:role/PartnerCrmRole',
};
const ARN_FLAGS = ['--trust-anchor-arn', ARNS.trustAnchor, '--profile-arn', ARNS.profile, '--role-arn', ARNS.role];
const FRESH = 'sf iamra configure, fresh sandbox (real sf)';
const RERUN = 'sf iamra configure, no-change re-run (real sf)';
const CORE = 'core sf: deploy STS, Connect credential, assign permset, apex run, deploy S3 (real sf)';

const sfProject = (): string => tempProject({ prefix: 'iamra-bench-cfg-' }).dir;
// Its callouts reach this AWS account (the simulator refuses a callout to an AWS host it does not route).
const AWS_ACCOUNT = testAwsAccount({ anchor: ARNS.trustAnchor, profile: ARNS.profile, role: ARNS.role });
const sandbox = (sf: SfCli): ReturnType<typeof freshOrg> => freshOrg(sf, 'bench-cfg', { orgType: 'sandbox', aws: AWS_ACCOUNT, seed: connectorOrg });

export default async function configureBench(): Promise<BenchReport> {
  const runs = Number(process.env.BENCH_ORG_RUNS ?? 3);
  const sf = SfCli.get();
  const env = { SF_IAMRA_POLL_MS: '50' };
  const fresh: Sample[] = [];
  const rerun: Sample[] = [];
  const core: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    /* eslint-disable no-await-in-loop */
    const dir = sfProject();
    const coreDir = sfProject();
    try {
      const a = await sandbox(sf);
      fresh.push(await timed(a.sim, async () => expectOk('configure', await sf.run(['iamra', 'configure', ...ARN_FLAGS, '--target-org', a.alias, '--json'], { cwd: dir, env }))));
      rerun.push(await timed(a.sim, async () => expectOk('configure re-run', await sf.run(['iamra', 'configure', ...ARN_FLAGS, '--target-org', a.alias, '--json'], { cwd: dir, env }))));
      await a.sim.close();

      // The core-sf route: files generated offline first (not timed), then the five org steps by hand.
      for (const service of ['sts', 's3']) {
        expectOk('generate', await sf.run(['iamra', 'metadata', 'generate', ...ARN_FLAGS, '--service', service, '--output-dir', join(coreDir, service)], { cwd: coreDir, env }));
      }
      const body = join(coreDir, 'credential.json');
      writeFileSync(body, JSON.stringify(credentialInput({ externalCredential: 'AWS_IAM_Anywhere_Credential', principalName: 'IAMAW_Principal' }, ARNS.role)));
      const b = await sandbox(sf);
      const o = ['--target-org', b.alias, '--json'];
      core.push(
        await timed(b.sim, async () => {
          expectOk('deploy sts', await sf.run(['project', 'deploy', 'start', '--source-dir', 'sts', ...o], { cwd: coreDir, env }));
          expectOk('credential', await sf.run(['api', 'request', 'rest', '/services/data/v62.0/named-credentials/credential', '--method', 'POST', '--body', `@${body}`, '--target-org', b.alias], { cwd: coreDir, env }));
          expectOk('assign', await sf.run(['org', 'assign', 'permset', '--name', 'APN_Roles_Anywhere_Access', ...o], { cwd: coreDir, env }));
          expectOk('apex', await sf.run(['apex', 'run', '--file', SMOKE_APEX_PATH, '--target-org', b.alias], { cwd: coreDir, env }).then((r) => ({ ...r, code: (r.stdout + r.stderr).includes('SMOKE::') ? 0 : r.code })));
          expectOk('deploy s3', await sf.run(['project', 'deploy', 'start', '--source-dir', 's3', '--ignore-conflicts', ...o], { cwd: coreDir, env }));
        })
      );
      await b.sim.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(coreDir, { recursive: true, force: true });
    }
    /* eslint-enable no-await-in-loop */
  }
  return {
    title: 'Configure: fresh, no-change re-run, and the core-sf equivalent (sandbox simulator)',
    rows: [row(FRESH, fresh), row(RERUN, rerun), row(CORE, core)],
    ratios: [
      { label: 'core sf time / fresh configure (above 1 = configure faster)', numerator: FRESH, denominator: CORE },
      { label: 'fresh configure time / no-change re-run', numerator: RERUN, denominator: FRESH },
    ],
    notes: [
      'httpRequests = requests the simulated org received (login excluded); the re-run and configure include the lease (create + delete)',
      'the core-sf route is 5 sf processes (about 3 s of start-up each); configure is one',
    ],
  };
}
