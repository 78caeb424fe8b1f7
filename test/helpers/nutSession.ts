/*
 * What every NUT shares: whether cli-plugins-testkit can reach a real org at all, and the session it
 * runs in (a new scratch org from config/project-scratch-def.json, or the org in TESTKIT_ORG_USERNAME).
 */
import { TestSession } from '@salesforce/cli-plugins-testkit';

export const canRunNuts = Boolean(
  process.env.TESTKIT_HUB_USERNAME ?? process.env.TESTKIT_JWT_CLIENT_ID ?? process.env.TESTKIT_AUTH_URL ?? process.env.TESTKIT_ORG_USERNAME
);

export function createNutSession(projectName: string): Promise<TestSession> {
  return TestSession.create({
    project: { name: projectName },
    devhubAuthStrategy: 'AUTO',
    ...(process.env.TESTKIT_ORG_USERNAME ? {} : { scratchOrgs: [{ config: 'config/project-scratch-def.json', setDefault: true }] }),
  });
}
