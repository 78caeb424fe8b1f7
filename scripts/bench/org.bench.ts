/*
 * Deploy + smoke against the org simulator: `sf iamra deploy` + `sf iamra smoke` through the real sf,
 * next to `sf project deploy start` of the same generated files against the same kind of simulator
 * (what an admin runs today, before doing the role ARN, the assignment and the smoke test by hand in
 * Setup). Reports wall time and the HTTP requests the org received. Also the services in process, to
 * show how much of the wall time is sf start-up.
 */
import { SfCli } from '../../test/helpers/sfCli.js';
import { startOrgSimulator } from '../../test/simulator/index.js';
import { ARN_FLAGS } from '../../test/helpers/fixtures.js';
import { resolvedTempProject, tempProject } from '../../test/helpers/tempProject.js';
import { isolateHome, simOrg } from '../../test/org/simOrg.js';
import { deployIamra } from '../../src/shared/org/deployService.js';
import { runSmokeTest } from '../../src/shared/org/smokeTest.js';
import type { BenchReport } from './measure.js';
import { connectorOrg, expectOk, FIXTURE_AWS_ACCOUNT, freshOrg as loggedInOrg, type Sample, sampleRow as row, timed } from './orgSamples.js';

const OURS = 'sf iamra deploy + sf iamra smoke (real sf)';

const THEIRS = 'sf project deploy start, same files (real sf)';
const IN_PROCESS = 'deploy + smoke services (in process, no sf start-up)';

// Production-type org: no source tracking on either side, so both deploy the same way.
const freshOrg = (sf: SfCli): ReturnType<typeof loggedInOrg> => loggedInOrg(sf, 'bench', { orgType: 'production', aws: FIXTURE_AWS_ACCOUNT, seed: connectorOrg });

export default async function orgBench(): Promise<BenchReport> {
  const runs = Number(process.env.BENCH_ORG_RUNS ?? 3);
  const sf = SfCli.get();
  const env = { SF_IAMRA_POLL_MS: '50' };
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  const inProcess: Sample[] = [];
  const sfProject = tempProject({ prefix: 'iamra-bench-org-' });
  const dir = sfProject.dir;
  try {
    for (let i = 0; i < runs; i++) {
      /* eslint-disable no-await-in-loop */
      const a = await freshOrg(sf);
      ours.push(
        await timed(a.sim, async () => {
          expectOk('sf iamra deploy', await sf.run(['iamra', 'deploy', ...ARN_FLAGS, '--target-org', a.alias, '--json'], { cwd: dir, env }));
          expectOk('sf iamra smoke', await sf.run(['iamra', 'smoke', '--target-org', a.alias, '--json'], { cwd: dir, env }));
        })
      );
      await a.sim.close();

      const b = await freshOrg(sf);
      theirs.push(
        await timed(b.sim, async () => {
          expectOk('sf project deploy start', await sf.run(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', b.alias, '--json'], { cwd: dir, env }));
        })
      );
      await b.sim.close();

      const restoreHome = isolateHome();
      const c = await startOrgSimulator({ orgType: 'production', aws: FIXTURE_AWS_ACCOUNT, seed: connectorOrg });
      const project = await resolvedTempProject();
      try {
        const { org, connection } = await simOrg(c);
        inProcess.push(
          await timed(c, async () => {
            await deployIamra({ org, connection, project: project.project, metadata: { trustAnchorArn: ARN_FLAGS[1], profileArn: ARN_FLAGS[3], roleArn: ARN_FLAGS[5], service: 'sts' } });
            const smoke = await runSmokeTest(connection, { namedCredential: 'APN_API_Connection' });
            if (!smoke.passed) throw new Error(`in-process smoke failed: ${smoke.message}`);
          })
        );
      } finally {
        await c.close();
        project.cleanup();
        restoreHome();
      }
      /* eslint-enable no-await-in-loop */
    }
  } finally {
    sfProject.cleanup();
  }
  return {
    title: 'Org: deploy + smoke against the org simulator',
    rows: [row(OURS, ours), row(THEIRS, theirs), row(IN_PROCESS, inProcess)],
    ratios: [{ label: 'sf project deploy start time / ours (below 1 = ours slower)', numerator: OURS, denominator: THEIRS }],
    notes: [
      'ours also sets the role ARN, assigns the permission set and runs the GetCallerIdentity smoke test; deploy start only deploys',
      'httpRequests = requests the simulated org received (login excluded); production-type org, so no source tracking on either side',
    ],
  };
}
