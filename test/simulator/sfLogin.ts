/*
 * Authenticates the real `sf` (in the SfCli's temporary HOME) to a running org simulator, as a user
 * would with `sf org login access-token`. The token travels in SF_ACCESS_TOKEN, never in argv.
 */
import type { SfCli } from '../helpers/sfCli.js';
import type { OrgSimulator } from './index.js';

export async function loginSf(sf: SfCli, sim: OrgSimulator, alias: string): Promise<void> {
  const run = await sf.run(
    ['org', 'login', 'access-token', '--instance-url', sim.instanceUrl, '--alias', alias, '--no-prompt', '--json'],
    { env: { SF_ACCESS_TOKEN: sim.accessToken } }
  );
  if (run.code !== 0) {
    throw new Error(`sf org login access-token against the org simulator failed (${run.code}): ${run.stdout}${run.stderr}`);
  }
}
