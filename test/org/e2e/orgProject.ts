/*
 * Shared set-up for the org e2e tests: a temporary SFDX project, the real sf logged in to a fresh
 * org simulator.
 */
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
