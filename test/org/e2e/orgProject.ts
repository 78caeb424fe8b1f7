/*
 * Shared set-up for the org e2e tests: a temporary SFDX project, the real sf logged in to a fresh
 * org simulator.
 */
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SfCli, type SfRun } from '../../helpers/sfCli.js';
import { tempProject } from '../../helpers/tempProject.js';
import { startOrgSimulator, type OrgSimulator, type OrgSimulatorOptions } from '../../simulator/index.js';
import { loginSf, type LoginKind } from '../../simulator/sfLogin.js';
import { ARN } from '../../helpers/fixtures.js';
import { testAwsAccount } from '../../simulator/harness/testAws.js';

export { importTestKeystore } from '../../simulator/harness/testAws.js';

export type OrgRig = {
  sf: SfCli;
  sim: OrgSimulator;
  alias: string;
  projectDir: string;
  /** Runs sf in the project, against the simulator (fast polling), with `env` added to sf's environment. */
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<SfRun>;
  close(): Promise<void>;
};

let counter = 0;

export async function orgRig(options: OrgSimulatorOptions = {}, login: LoginKind = 'access-token'): Promise<OrgRig> {
  const sf = SfCli.get();
  const id = `${process.pid}-${++counter}`;
  // A username per simulator: sf keys auth files by username, and rigs may run side by side in one sf HOME.
  // The org's callouts reach a local AWS account that trusts the test PKI and allows the test ARNs.
  // The connector (namespace awsapn) is installed, as in every org the plugin sets up.
  const sim = await startOrgSimulator({
    username: `admin-${id}@iamra-sim.example.com`,
    aws: testAwsAccount(ARN),
    ...options,
    seed: (state) => {
      state.installPackage('awsapn');
      options.seed?.(state);
    },
  });
  const alias = `iamra-sim-${id}`;
  await loginSf(sf, sim, alias, login);
  const project = tempProject({ prefix: 'iamra-org-e2e-' });
  const projectDir = project.dir;
  return {
    sf,
    sim,
    alias,
    projectDir,
    run: (args, env = {}) => sf.run([...args, '--target-org', alias], { cwd: projectDir, env: { SF_IAMRA_POLL_MS: '50', ...env } }),
    close: async () => {
      await sim.close();
      project.cleanup();
    },
  };
}

/** A second checkout of the rig's project (a teammate's clone, a CI job): the same files or none, no .sf tracking state. */
export function cloneProject(rig: OrgRig, withFiles: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'iamra-clone-'));
  cpSync(join(rig.projectDir, 'sfdx-project.json'), join(dir, 'sfdx-project.json'));
  mkdirSync(join(dir, 'force-app'), { recursive: true });
  if (withFiles) cpSync(join(rig.projectDir, 'force-app'), join(dir, 'force-app'), { recursive: true });
  return dir;
}

/** Runs sf in another checkout of the project, against the rig's org. */
export function runIn(rig: OrgRig, dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<SfRun> {
  return rig.sf.run([...args, '--target-org', rig.alias], { cwd: dir, env: { SF_IAMRA_POLL_MS: '50', ...env } });
}

/** Waits until `condition` holds (checked every 20 ms), e.g. until the simulator has seen a request. */
export async function until(condition: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    // eslint-disable-next-line no-await-in-loop
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
