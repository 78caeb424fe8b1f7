/*
 * How the simulated org reaches AWS: a named credential's URL names a real AWS host, and the org's
 * network (this map) routes each AWS hostname to a local test endpoint. The hostname is kept as the
 * request's Host header and in what is signed, so the endpoint sees the region and service the org
 * signed for. HTTP only (no TLS): the one thing that differs from the wire to AWS.
 */

export type LocalEndpoints = { rolesAnywhere: string; services: string };

/** The routing rules, in order: hostname pattern -> which local endpoint answers it. */
const ROUTES: Array<{ pattern: RegExp; endpoint: keyof LocalEndpoints }> = [
  { pattern: /^rolesanywhere\.[a-z0-9-]+\.amazonaws\.com$/, endpoint: 'rolesAnywhere' },
  { pattern: /^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/, endpoint: 'services' },
  { pattern: /^([a-z0-9.-]+\.)?s3([.-][a-z0-9-]+)?\.amazonaws\.com$/, endpoint: 'services' },
];

export class AwsHostMap {
  public constructor(private readonly endpoints: LocalEndpoints) {}

  /** The local base URL (http://127.0.0.1:port) serving this AWS hostname, or undefined (host unknown). */
  public resolve(hostname: string): string | undefined {
    const route = ROUTES.find((r) => r.pattern.test(hostname.toLowerCase()));
    return route ? this.endpoints[route.endpoint] : undefined;
  }
}
