/*
 * Fault knobs: tests arm them to make the simulator misbehave the way a real org or network does,
 * N times and then recover, so the client's retry and error-reporting paths run.
 */
import type { OrgSession } from './session.js';

/** Which requests a fault applies to: a regex on the path (query string included), optionally a method / API. */
export type FaultMatch = {
  path?: RegExp;
  method?: string;
  api?: ApiName;
  /** SOAP operation in the request body, e.g. 'deploy', 'checkDeployStatus', 'executeAnonymous'. */
  operation?: string;
};

/** What a request is, for matching: method, path with query string, API, SOAP operation if any. */
export type RequestKey = { method: string; path: string; api: ApiName; operation?: string };

export type ApiName = 'identity' | 'rest' | 'tooling' | 'metadata' | 'apex' | 'connect' | 'unknown';

export type HttpFault = FaultMatch & {
  status: number;
  /** How many matching requests fail before the endpoint recovers; Infinity for ever. */
  times?: number;
  body?: string;
};

export type DeployFault = {
  /** Component failure message put on every component of the next deploy(s). */
  problem?: string;
  /** Or a whole-deploy error (no component details), as when the org aborts a deploy. */
  errorMessage?: string;
  times?: number;
  /** Only deploys that delete (destructiveChanges): the org refusing a delete for a reason the client cannot read. */
  only?: 'destructive';
};

type Armed<T> = T & { remaining: number };

export class FaultKnobs {
  private readonly failures: Array<Armed<HttpFault>> = [];
  private readonly drops: Array<Armed<FaultMatch>> = [];
  private readonly delays: Array<FaultMatch & { ms: number }> = [];
  private readonly deployFailures: Array<Armed<DeployFault>> = [];
  /** Answers a delay is holding back right now: reset() lets them go at once. */
  private readonly held = new Set<() => void>();

  /** The session the expiry knobs act on (absent when a test drives one API class directly). */
  public constructor(private readonly session?: OrgSession) {}

  /**
   * Answer matching requests with an HTTP error `times` times. The default body is the plain HTML page a
   * load balancer sends (clients see ERROR_HTTP_<status>), unless `body` is given.
   */
  public fail(fault: HttpFault): this {
    this.failures.push({ ...fault, remaining: fault.times ?? 1 });
    return this;
  }

  /** Destroy the socket of matching requests without answering (ECONNRESET on the client) `times` times. */
  public drop(match: FaultMatch & { times?: number }): this {
    this.drops.push({ ...match, remaining: match.times ?? 1 });
    return this;
  }

  /** Answer matching requests only after `ms` milliseconds, for ever (until reset, which also answers the held ones at once). */
  public delay(match: FaultMatch & { ms: number }): this {
    this.delays.push(match);
    return this;
  }

  /** Make the next deploy(s) fail: every component with `problem`, or the whole deploy with `errorMessage`. */
  public failDeploy(fault: DeployFault = {}): this {
    this.deployFailures.push({ ...fault, remaining: fault.times ?? 1 });
    return this;
  }

  /**
   * From now on the access token is rejected with INVALID_SESSION_ID (401 on REST, a SOAP fault on SOAP);
   * a client holding the refresh token can get a new one.
   */
  public expireSession(): this {
    this.session?.expire();
    return this;
  }

  /** As expireSession, and the refresh token is refused too (invalid_grant): only a new login helps. */
  public revokeSession(): this {
    this.session?.revoke();
    return this;
  }

  public restoreSession(): this {
    this.session?.restore();
    return this;
  }

  public reset(): void {
    this.failures.length = 0;
    this.drops.length = 0;
    this.delays.length = 0;
    this.deployFailures.length = 0;
    this.session?.restore();
    for (const release of [...this.held]) release();
  }

  // ---- consulted by the server ----

  public takeFailure(key: RequestKey): HttpFault | undefined {
    return take(this.failures, key);
  }

  public takeDrop(key: RequestKey): FaultMatch | undefined {
    return take(this.drops, key);
  }

  public delayFor(key: RequestKey): number {
    return this.delays.filter((d) => matches(d, key)).reduce((sum, d) => sum + d.ms, 0);
  }

  /** Waits out the delays matching `key`; ends early when reset() lifts them (a test is done waiting). */
  public async holdBack(key: RequestKey): Promise<void> {
    const ms = this.delayFor(key);
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.held.add(release);
    });
  }

  public takeDeployFailure(deploy: { deletes: boolean }): DeployFault | undefined {
    const armed = this.deployFailures.find((f) => f.remaining > 0 && (f.only !== 'destructive' || deploy.deletes));
    if (armed) armed.remaining -= 1;
    return armed;
  }
}

function matches(match: FaultMatch, key: RequestKey): boolean {
  return (
    (!match.path || match.path.test(key.path)) &&
    (!match.method || match.method.toUpperCase() === key.method.toUpperCase()) &&
    (!match.api || match.api === key.api) &&
    (!match.operation || match.operation === key.operation)
  );
}

function take<T extends FaultMatch>(list: Array<Armed<T>>, key: RequestKey): T | undefined {
  const armed = list.find((f) => f.remaining > 0 && matches(f, key));
  if (armed) armed.remaining -= 1;
  return armed;
}
