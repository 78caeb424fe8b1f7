/*
 * How often the plugin asks a remote service whether something is done (a deploy, an issued
 * certificate, a keystore imported in Setup). Each caller passes the interval that suits the real
 * service; SF_IAMRA_POLL_MS overrides them all at once, so runs against the simulators poll faster.
 */

/** A positive number of milliseconds from the environment, or undefined. */
export function envMs(name: string): number | undefined {
  const fromEnv = Number(process.env[name]);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

export function pollIntervalMs(realServiceMs: number): number {
  return envMs('SF_IAMRA_POLL_MS') ?? realServiceMs;
}
