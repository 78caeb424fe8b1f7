/*
 * An in-process Org/Connection authenticated to a running org simulator with its access token, as
 * `sf org login access-token` would make, but without writing any auth file. For service tests that
 * need real HTTP against the simulator without the seconds an `sf` process costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, Connection, Org, StateAggregator } from '@salesforce/core';
import type { OrgSimulator } from '../simulator/index.js';

export async function simOrg(sim: OrgSimulator): Promise<{ org: Org; connection: Connection }> {
  const authInfo = await AuthInfo.create({
    accessTokenOptions: { accessToken: sim.accessToken, instanceUrl: sim.instanceUrl, loginUrl: sim.instanceUrl },
  });
  const connection = await Connection.create({ authInfo });
  connection.setApiVersion(sim.state.apiVersion);
  const org = await Org.create({ connection });
  return { org, connection };
}

/**
 * Points @salesforce/core at a temporary HOME while in-process tests run (core may save auth fields,
 * e.g. tracksSource), so nothing reaches the developer's own ~/.sfdx. Returns the undo.
 */
export function isolateHome(): () => void {
  const saved = {
    HOME: process.env.HOME,
    keychain: process.env.SF_USE_GENERIC_UNIX_KEYCHAIN,
    poll: process.env.SF_IAMRA_POLL_MS,
    logFile: process.env.SF_DISABLE_LOG_FILE,
  };
  const home = mkdtempSync(join(tmpdir(), 'iamra-org-home-'));
  process.env.HOME = home;
  process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
  process.env.SF_IAMRA_POLL_MS = '20';
  // core's logger keeps the first HOME it saw; no log file means nothing is left in the temporary HOME.
  process.env.SF_DISABLE_LOG_FILE = 'true';
  return () => {
    StateAggregator.clearInstance();
    restore('HOME', saved.HOME);
    restore('SF_USE_GENERIC_UNIX_KEYCHAIN', saved.keychain);
    restore('SF_IAMRA_POLL_MS', saved.poll);
    restore('SF_DISABLE_LOG_FILE', saved.logFile);
    rmSync(home, { recursive: true, force: true });
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
