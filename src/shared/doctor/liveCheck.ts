/*
 * The live check through the named credential, for whichever service it points at: STS answers
 * GetCallerIdentity (the smoke test); S3 has no such call, so ListBuckets is sent and an S3
 * AccessDenied counts as success - S3 only says AccessDenied to a caller it authenticated, i.e. the
 * Roles Anywhere session was made and signed the request; it is the role that may not list buckets.
 */
import { fileURLToPath } from 'node:url';
import type { Connection } from '@salesforce/core';
import type { Service } from '../metadata/constants.js';
import { orgMessages } from '../org/messages.js';
import { runSmokeTest, type SmokeTestResult } from '../org/smokeTest.js';
import { doctorMessages } from './messages.js';

/** Shipped with the package beside the smoke test (package.json "files" has /scripts/apex). */
export const S3_CHECK_APEX_PATH = fileURLToPath(new URL('../../../scripts/apex/s3-check.apex', import.meta.url));

/** S3 error codes that prove the request was authenticated [doc: S3 error responses]. */
const AUTHENTICATED_S3_CODES = new Set(['AccessDenied', 'AllAccessDisabled']);

export type LiveCheckResult = SmokeTestResult & { service: Service };

export async function runLiveCheck(connection: Connection, request: { namedCredential: string; service: Service }): Promise<LiveCheckResult> {
  if (request.service === 'sts') {
    return { ...(await runSmokeTest(connection, { namedCredential: request.namedCredential })), service: 'sts' };
  }
  const result = await runSmokeTest(connection, { namedCredential: request.namedCredential, apexPath: S3_CHECK_APEX_PATH });
  return { ...interpretS3(result), service: 's3' };
}

/** Reads the ListBuckets answer: 200 or an authenticated S3 error is a pass. Pure. */
export function interpretS3(result: SmokeTestResult): SmokeTestResult {
  if (result.httpStatus === undefined) return result;
  const code = /<Code>([^<]+)<\/Code>/.exec(result.detail ?? '')?.[1];
  if (result.httpStatus === 200 || (code && AUTHENTICATED_S3_CODES.has(code))) {
    return {
      ...result,
      passed: true,
      diagnosis: undefined,
      message: doctorMessages.getMessage('liveCheck.s3Passed', [result.namedCredential, String(result.httpStatus), code ?? 'OK']),
      actions: [],
    };
  }
  return {
    ...result,
    passed: false,
    diagnosis: 'AwsAccessDenied',
    message: doctorMessages.getMessage('liveCheck.s3Failed', [result.namedCredential, String(result.httpStatus), code ?? '', result.detail ?? '']),
    actions: orgMessages.getMessages('smoke.diagnosis.AwsAccessDenied.actions'),
  };
}

/** Which service a named credential's URL points at (its host), undefined for anything else. */
export function serviceOf(url: string | undefined): Service | undefined {
  const host = url ? /^https:\/\/([^/]+)/.exec(url)?.[1] ?? '' : '';
  if (/^sts[.-]/.test(host)) return 'sts';
  if (/^s3[.-]/.test(host) || /\.s3[.-]/.test(host)) return 's3';
  return undefined;
}
