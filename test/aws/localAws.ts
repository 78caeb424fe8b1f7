/*
 * The local AWS account tests give the org simulator: a Roles Anywhere endpoint and an STS + S3
 * endpoint sharing one list of issued credentials, so only what CreateSession handed out is accepted.
 */
import { VerifyingEndpoint, type EndpointConfig } from '../rolesanywhere/endpoint/verifyingEndpoint.js';
import { type BucketConfig, type IssuedCredential, ServicesEndpoint } from './servicesEndpoint.js';

export type LocalAwsConfig = Omit<EndpointConfig, 'issued'> & { buckets?: BucketConfig[]; listBucketsRoles?: string[] };

export type LocalAws = {
  rolesAnywhere: VerifyingEndpoint;
  services: ServicesEndpoint;
  /** Every credential set CreateSession issued, in order. */
  issued: IssuedCredential[];
  /** Base URLs the org simulator maps AWS hostnames to (test/simulator/callout/awsHosts.ts). */
  endpoints: { rolesAnywhere: string; services: string };
  close(): Promise<void>;
};

export async function startLocalAws(config: LocalAwsConfig): Promise<LocalAws> {
  const issued: IssuedCredential[] = [];
  const { buckets, listBucketsRoles, ...rolesAnywhereConfig } = config;
  const rolesAnywhere = await new VerifyingEndpoint({ ...rolesAnywhereConfig, issued }).start();
  const services = await new ServicesEndpoint({ issued, buckets, listBucketsRoles, now: config.now }).start();
  return {
    rolesAnywhere,
    services,
    issued,
    endpoints: { rolesAnywhere: rolesAnywhere.url, services: services.url },
    close: async () => {
      await Promise.all([rolesAnywhere.stop(), services.stop()]);
    },
  };
}
