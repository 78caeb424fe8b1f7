/*
 * Authenticates the real `sf` (in the SfCli's temporary HOME) to a running org simulator, as a user
 * would with `sf org login access-token`. The token travels in SF_ACCESS_TOKEN, never in argv.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SfCli } from '../../helpers/sfCli.js';
import type { OrgSimulator } from '../index.js';

export type LoginKind = 'access-token' | 'refresh-token';

export async function loginSf(sf: SfCli, sim: OrgSimulator, alias: string, kind: LoginKind = 'access-token'): Promise<void> {
  const run = await sf.run(
    ['org', 'login', 'access-token', '--instance-url', sim.instanceUrl, '--alias', alias, '--no-prompt', '--json'],
    { env: { SF_ACCESS_TOKEN: sim.accessToken } }
  );
  if (run.code !== 0) {
    throw new Error(`sf org login access-token against the org simulator failed (${run.code}): ${run.stdout}${run.stderr}`);
  }
  if (kind === 'refresh-token') await addRefreshToken(sf, sim);
}

/*
 * What `sf org login web` leaves behind: the auth file also holds a refresh token (and the CLI's client
 * id), so @salesforce/core refreshes an expired session at /services/oauth2/token by itself. sf's
 * `org login sfdx-url` would do the same but insists on https, and the simulator speaks http; so the
 * fields are saved through @salesforce/core's own AuthInfo, encrypted with the temporary HOME's key.
 */
async function addRefreshToken(sf: SfCli, sim: OrgSimulator): Promise<void> {
  const script = [
    "import { AuthInfo } from '@salesforce/core';",
    'const auth = await AuthInfo.create({ username: process.env.SIM_USERNAME });',
    "await auth.save({ refreshToken: process.env.SIM_REFRESH_TOKEN, clientId: 'PlatformCLI', loginUrl: process.env.SIM_INSTANCE_URL });",
  ].join('\n');
  // Asynchronous: the simulator answers from this very process.
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: sf.env({ SIM_USERNAME: sim.username, SIM_REFRESH_TOKEN: sim.refreshToken, SIM_INSTANCE_URL: sim.instanceUrl }),
  });
}
