/*
 * The live check through the named credential, for whichever service it points at: STS answers
 * GetCallerIdentity (the smoke test); on S3 the in-place check configure and smoke use
 * (src/shared/org/s3Check.ts), so one rule reads S3's answer everywhere.
 */
import type { Connection } from '@salesforce/core';
import type { Service } from '../metadata/constants.js';
import { runS3Check } from '../org/s3Check.js';
import { runSmokeTest, type SmokeTestResult } from '../org/smokeTest.js';

export type LiveCheckResult = SmokeTestResult & { service: Service };

export async function runLiveCheck(connection: Connection, request: { namedCredential: string; service: Service }): Promise<LiveCheckResult> {
  const result = request.service === 'sts' ? await runSmokeTest(connection, request) : await runS3Check(connection, request);
  return { ...result, service: request.service };
}

/** Which service a named credential's URL points at (its host), undefined for anything else. */
export function serviceOf(url: string | undefined): Service | undefined {
  const host = url ? /^https:\/\/([^/]+)/.exec(url)?.[1] ?? '' : '';
  if (/^sts[.-]/.test(host)) return 'sts';
  if (/^s3[.-]/.test(host) || /\.s3[.-]/.test(host)) return 's3';
  return undefined;
}
