/*
 * `sf iamra smoke`'s check, picked by the service the named credential points at (read from the org,
 * one retrieve): GetCallerIdentity on STS (smokeTest.ts), the in-place S3 ListBuckets on S3
 * (s3Check.ts), so a working S3 configuration is checked as it is, never pointed at STS to test it.
 */
import type { Connection } from '@salesforce/core';
import type { Service } from '../metadata/constants.js';
import { retrieveComponents } from './deployMetadata.js';
import { serviceOf } from './deployCompare.js';
import { runS3Check } from './s3Check.js';
import { runSmokeTest, type SmokeTestResult } from './smokeTest.js';

export type ServiceCheckResult = SmokeTestResult & {
  /** The service the named credential points at, when the org holds it and it is STS or S3. */
  service?: Service;
};

export async function runServiceCheck(connection: Connection, request: { namedCredential: string }): Promise<ServiceCheckResult> {
  const [namedCredential] = await retrieveComponents(connection, [{ type: 'NamedCredential', fullName: request.namedCredential }]);
  const service = serviceOf(namedCredential.xml);
  // Anything but S3 (STS, or a credential the org lacks) gets GetCallerIdentity, whose diagnoses name what is wrong.
  const result = service === 's3' ? await runS3Check(connection, request) : await runSmokeTest(connection, request);
  return { ...result, ...(service ? { service } : {}) };
}
