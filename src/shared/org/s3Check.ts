/*
 * Verifies an S3 configuration in place, without pointing the live named credential at STS: S3
 * ListBuckets through the named credential (scripts/apex/s3-list-buckets.apex). S3 authenticates
 * before it authorizes, so an AccessDenied from S3 still proves the Roles Anywhere chain signed the
 * request; the codes below prove it did not [doc: S3 error codes; that Salesforce surfaces a failed
 * CreateSession as a CalloutException is inferred].
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@salesforce/core';
import { orgMessages } from './messages.js';
import { errorText, isSessionExpired } from './orgErrors.js';
import { type AnonymousApexResult, interpretSmokeResult, renderSmokeApex, type SmokeOutcome } from './smokeApex.js';
import { describe, type SmokeTestResult } from './smokeTest.js';

export const S3_CHECK_APEX_PATH = fileURLToPath(new URL('../../../scripts/apex/s3-list-buckets.apex', import.meta.url));

/** S3 answers that mean the request was not signed by working Roles Anywhere credentials. */
export const S3_AUTH_FAILURES = ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired'];

/** What an S3 ListBuckets answer means for the setup. Pure. */
export function interpretS3Answer(status: number, body: string): SmokeOutcome {
  if (status === 200 && body.includes('<ListAllMyBucketsResult')) return { passed: true, httpStatus: status };
  const code = /<Error>\s*<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  if (code === 'AccessDenied' && !body.includes('<ErrorResponse')) return { passed: true, httpStatus: status };
  if (code && S3_AUTH_FAILURES.includes(code)) return { passed: false, httpStatus: status, diagnosis: 'AwsAccessDenied', detail: body };
  return { passed: false, httpStatus: status, diagnosis: 'UnexpectedStatus', detail: body };
}

export async function runS3Check(connection: Connection, request: { namedCredential: string }): Promise<SmokeTestResult> {
  const apex = renderSmokeApex(await readFile(S3_CHECK_APEX_PATH, 'utf8'), request.namedCredential);
  let answer: AnonymousApexResult;
  try {
    answer = await connection.tooling.executeAnonymous(apex);
  } catch (error) {
    if (isSessionExpired(error)) throw error;
    return describe(request.namedCredential, { passed: false, diagnosis: 'MissingApexPermission', detail: errorText(error) });
  }
  const outcome = interpretSmokeResult(answer, interpretS3Answer);
  if (!outcome.passed) return describe(request.namedCredential, outcome);
  return { ...outcome, namedCredential: request.namedCredential, message: orgMessages.getMessage('smoke.s3Passed', [request.namedCredential, String(outcome.httpStatus ?? '')]), actions: [] };
}
