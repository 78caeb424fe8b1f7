/*
 * A local Salesforce org for tests: the real `sf`, @salesforce/core, jsforce and SDR talk to it unchanged
 * over HTTP on 127.0.0.1. It keeps state and enforces the documented rules; see README.md in this folder.
 */
import { startLocalAws, type LocalAws, type LocalAwsConfig } from '../aws/localAws.js';
import { OrgState, type OrgStateOptions } from './org/state.js';
import { FaultKnobs } from './harness/faults.js';
import { OrgSession } from './harness/session.js';
import { listen, type RecordedRequest } from './transport/server.js';
import { FrontDoor } from './transport/frontDoor.js';
import { AwsHostMap } from './callout/awsHosts.js';
import { executeAnonymous, type ExecuteAnonymousResult } from './org/apex.js';

export { OrgState } from './org/state.js';
export type * from './org/state.js';
export { FaultKnobs } from './harness/faults.js';
export type { ApiName, DeployFault, FaultMatch, HttpFault } from './harness/faults.js';
export type { RecordedRequest } from './transport/server.js';
export { KeystoreImportError } from './org/keystore.js';
export type { ExecuteAnonymousResult } from './org/apex.js';
export type { LocalAws, LocalAwsConfig } from '../aws/localAws.js';

export type OrgSimulatorOptions = OrgStateOptions & {
  /** Seed the state before the server answers anything. */
  seed?: (state: OrgState) => void;
  /** checkDeployStatus answers InProgress this many times before the deploy completes and applies (default 0: done on receipt). */
  deployPollsBeforeDone?: number;
  /**
   * The AWS account the org's callouts reach: local Roles Anywhere and STS/S3 endpoints started with the
   * simulator (and closed with it), AWS hostnames routed to them. Without it AWS hosts do not resolve.
   */
  aws?: LocalAwsConfig;
};

/** A deploy the Metadata API took, as checkDeployStatus reports it. */
export type RecordedDeploy = { id: string; checkOnly: boolean; status: string; success: boolean; numberComponentsTotal: number };

export type OrgSimulator = {
  instanceUrl: string;
  /** The current access token (a refresh through /services/oauth2/token replaces it). */
  readonly accessToken: string;
  refreshToken: string;
  username: string;
  orgId: string;
  userId: string;
  state: OrgState;
  faults: FaultKnobs;
  requests: RecordedRequest[];
  /** The UI Bridge API (`sf org open`'s frontdoor URLs): `landed` lists the start URLs browsers reached. */
  frontDoor: FrontDoor;
  /** The local AWS endpoints, when started with `aws`. */
  aws?: LocalAws;
  /** How many status checks a deploy answers InProgress before it completes; settable mid-test (slow org from now on). */
  deployPollsBeforeDone: number;
  /** Every deploy the Metadata API took, in order (check-only ones too). */
  deploys(): RecordedDeploy[];
  /** A slow org catches up: every deploy still running completes at its next status check. */
  letRunningDeploysFinish(): void;
  /**
   * Runs Apex through the org's one execution path, as a user (default: the admin) or as code of an
   * installed package (`namespace`, e.g. 'awsapn': the connector's own callout).
   */
  executeApex(source: string, options?: { namespace?: string; username?: string }): Promise<ExecuteAnonymousResult>;
  close(): Promise<void>;
};

export async function startOrgSimulator(options: OrgSimulatorOptions = {}): Promise<OrgSimulator> {
  const state = new OrgState(options);
  const aws = options.aws ? await startLocalAws(options.aws) : undefined;
  if (aws) state.aws.hosts = new AwsHostMap(aws.endpoints);
  options.seed?.(state);
  const session = new OrgSession(state.orgId);
  const faults = new FaultKnobs(session);
  const requests: RecordedRequest[] = [];
  const frontDoor = new FrontDoor();
  const { server, instanceUrl, metadata } = await listen({ state, faults, session, requests, frontDoor });
  metadata.pollsBeforeDone = options.deployPollsBeforeDone ?? 0;
  return {
    instanceUrl,
    get accessToken(): string {
      return session.accessToken;
    },
    refreshToken: session.refreshToken,
    username: state.adminUser.username,
    orgId: state.orgId,
    userId: state.adminUserId,
    state,
    faults,
    requests,
    frontDoor,
    deploys: () => [...metadata.deploys.values()].map((job) => job.result as RecordedDeploy),
    letRunningDeploysFinish: () => metadata.letRunningDeploysFinish(),
    get deployPollsBeforeDone(): number {
      return metadata.pollsBeforeDone;
    },
    set deployPollsBeforeDone(polls: number) {
      metadata.pollsBeforeDone = polls;
    },
    aws,
    executeApex: (source, apexOptions = {}) => {
      const user = apexOptions.username ? state.userByName(apexOptions.username) : state.adminUser;
      if (!user) throw new Error(`no user ${apexOptions.username ?? ''} in the simulated org`);
      return executeAnonymous(state, user, source, { namespace: apexOptions.namespace });
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await aws?.close();
    },
  };
}
