/*
 * Shared set-up for the org e2e tests: a temporary SFDX project, the real sf logged in to a fresh
 * org simulator, and the ARNs a user would pass.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SfCli, type SfRun } from '../../helpers/sfCli.js';
import { startOrgSimulator, type OrgSimulator, type OrgSimulatorOptions } from '../../simulator/index.js';
import { loginSf, type LoginKind } from '../../simulator/sfLogin.js';
import { testAwsAccount } from '../../simulator/harness/testAws.js';

export { importTestKeystore } from '../../simulator/harness/testAws.js';

export const ARNS = {
  trustAnchor: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  profile: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/1a1b2c3d-4e5f-6789-abcd-ef0123456789',
  role: 'arn:aws:iam::123456789012:role/PartnerCrmRole',
};

export const ARN_FLAGS = ['--trust-anchor-arn', ARNS.trustAnchor, '--profile-arn', ARNS.profile, '--role-arn', ARNS.role];

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
  // The org's callouts reach a local AWS account that trusts the test PKI and allows ARNS.
  // The connector (namespace awsapn) is installed, as in every org the plugin sets up.
  const sim = await startOrgSimulator({
    username: `admin-${id}@iamra-sim.example.com`,
    aws: testAwsAccount(ARNS),
    ...options,
    seed: (state) => {
      state.installPackage('awsapn');
      options.seed?.(state);
    },
  });
  const alias = `iamra-sim-${id}`;
  await loginSf(sf, sim, alias, login);
  const projectDir = mkdtempSync(join(tmpdir(), 'iamra-org-e2e-'));
  mkdirSync(join(projectDir, 'force-app'), { recursive: true });
  writeFileSync(
    join(projectDir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], namespace: '', sourceApiVersion: '62.0' })
  );
  return {
    sf,
    sim,
    alias,
    projectDir,
    run: (args, env = {}) => sf.run([...args, '--target-org', alias], { cwd: projectDir, env: { SF_IAMRA_POLL_MS: '50', ...env } }),
    close: async () => {
      await sim.close();
      rmSync(projectDir, { recursive: true, force: true });
    },
  };
}
