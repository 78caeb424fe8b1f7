/*
 * Deploys exactly the given source files with SDR. When the org tracks source, SourceTracking
 * subscribes to SDR's deploy events so the user's later `sf project deploy` sees no phantom changes
 * (docs/sf-plugin-conventions.md §8). Returns what the org reported per component; deciding what
 * a failure means for the command is left to the caller.
 */
import { readFile } from 'node:fs/promises';
import type { Connection, Org, SfError, SfProject } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { ComponentSet, type DeployResult, type MetadataApiDeploy, RequestStatus } from '@salesforce/source-deploy-retrieve';
import { SourceTracking } from '@salesforce/source-tracking';
import {
  chooseTestLevel,
  type ComponentFailure,
  componentFailures,
  type DeployedComponent,
  deployedComponents,
  deployExitCode,
  deployStatusUrl,
} from './deployStatus.js';
import { type ComponentRef, type DeployProgress, followDeploy, retrieveComponents } from './deployMetadata.js';
import { sameComponent, shortDiff } from './deployCompare.js';
import { orgMessages } from './messages.js';
import { withRetry } from './retry.js';

export type { DeployProgress } from './deployMetadata.js';

export type DeployRequest = {
  org: Org;
  connection: Connection;
  /** Absent when the files are not the project's (rotate deploys the org's own components, edited): no tracking then. */
  project?: SfProject;
  /** Source-format files to deploy (the generated Roles Anywhere set). */
  paths: string[];
  wait?: Duration;
  /** The user's --test-level; production orgs only get a test level when the user asks for one. */
  testLevel?: string;
  onProgress?: (progress: DeployProgress) => void;
  /**
   * The caller compared the org's content itself (configure's plan) and decided to deploy: source
   * tracking's own conflict check is skipped, as `sf project deploy start --ignore-conflicts` does.
   */
  ignoreConflicts?: boolean;
  /** Passed to the retry of the deploy start (tests inject a no-wait sleep). */
  retrySleep?: (ms: number) => Promise<void>;
};

export type DeployOutcome = {
  id: string;
  status: string;
  success: boolean;
  /** Always false: the plugin's dry runs read and plan instead (kept so the --json schemas stay as they were). */
  checkOnly: boolean;
  /** 0, 1, 68 or 69 as `sf project deploy start`. */
  exitCode: number;
  testLevel?: string;
  tracked: boolean;
  components: DeployedComponent[];
  failures: ComponentFailure[];
  /** The org's errorMessage for a whole-deploy failure (no component details). */
  errorMessage?: string;
  deployUrl: string;
};

export async function deploySource(request: DeployRequest): Promise<DeployOutcome> {
  const { org, connection } = request;
  const checkOnly = false;
  const project = request.project;
  const tracked = project ? await org.tracksSource().catch(() => false) : false;
  const testLevel = chooseTestLevel({ isProduction: await isProduction(org), requested: request.testLevel });
  const start = async (ignoreConflicts: boolean): Promise<{ deploy: MetadataApiDeploy; componentSet: ComponentSet; tracking?: SourceTracking }> => {
    // Keep the reference while deploying: its SDR event subscriptions update tracking afterwards.
    const tracking =
      tracked && project
        ? await SourceTracking.create({ org, project, subscribeSDREvents: true, ignoreConflicts })
      : undefined;
    const componentSet = ComponentSet.fromSource({ fsPaths: request.paths, ...(tracking ? { registry: tracking.registry } : {}) });
    const deploy = await withRetry(
      () =>
        componentSet.deploy({
          usernameOrConnection: connection,
          apiOptions: { checkOnly, rollbackOnError: true, ...(testLevel ? { testLevel: testLevel as 'NoTestRun' } : {}) },
        }),
      { sleep: request.retrySleep }
    );
    return { deploy, componentSet, tracking };
  };
  let started;
  try {
    started = await start(request.ignoreConflicts ?? false);
  } catch (error) {
    if ((error as Error).name !== 'SourceConflictError') throw error;
    // Tracking sees a remote change to a file we deploy (a teammate's or CI's deploy, a fresh clone).
    // The same content in the org is no conflict; different content is refused, named, with a diff.
    await assertSameAsOrg(connection, request.paths, (error as SfError).data);
    started = await start(true);
  }
  const { deploy, componentSet } = started;
  const finished = await followDeploy(connection, deploy, { wait: request.wait, onProgress: request.onProgress, components: componentSet });
  if (finished.kind === 'timed-out') {
    // Past --wait the deploy goes on in the org: report it as still in progress (exit 69), not as a failure.
    return {
      id: finished.id,
      status: RequestStatus.InProgress,
      success: false,
      checkOnly,
      exitCode: deployExitCode(RequestStatus.InProgress),
      ...(testLevel ? { testLevel } : {}),
      tracked,
      components: [],
      failures: [],
      deployUrl: deployStatusUrl(connection.instanceUrl, finished.id),
    };
  }
  const result: DeployResult = finished.result;
  const files = result.getFileResponses();
  const status = String(result.response.status);
  return {
    id: result.response.id,
    status,
    success: result.response.status === RequestStatus.Succeeded,
    checkOnly,
    exitCode: deployExitCode(status),
    ...(testLevel ? { testLevel } : {}),
    tracked,
    components: deployedComponents(files),
    failures: componentFailures(files, toArray(result.response.details?.componentFailures)),
    ...(result.response.errorMessage ? { errorMessage: String(result.response.errorMessage) } : {}),
    deployUrl: deployStatusUrl(connection.instanceUrl, result.response.id),
  };
}

/** Scratch orgs and sandboxes are not production; when the org can't tell us, assume production (test level unset is always accepted). */
async function isProduction(org: Org): Promise<boolean> {
  try {
    return !((await org.determineIfScratch()) || (await org.determineIfSandbox()));
  } catch {
    return true;
  }
}

/** Throws ComponentConflict (with a short diff) unless the org holds what the local files say, for each conflicting component. */
async function assertSameAsOrg(connection: Connection, paths: string[], data: unknown): Promise<void> {
  const conflicts = [...new Map((Array.isArray(data) ? (data as ComponentRef[]) : []).map((c) => [`${c.type}:${c.fullName}`, { type: c.type, fullName: c.fullName }])).values()];
  const local = ComponentSet.fromSource({ fsPaths: paths });
  const org = await retrieveComponents(connection, conflicts);
  const differing: string[] = [];
  for (const component of org) {
    const xmlPath = local.getSourceComponents().toArray().find((c) => c.type.name === component.type && c.fullName === component.fullName)?.xml;
    // eslint-disable-next-line no-await-in-loop
    const mine = xmlPath ? await readFile(xmlPath, 'utf8') : undefined;
    if (mine === undefined || component.xml === undefined || !sameComponent(component.xml, mine)) {
      const diff = component.xml && mine ? shortDiff(component.xml, mine) : [component.xml ? '- (in the org)' : '+ (only here)'];
      differing.push(`${component.type} ${component.fullName}:\n${diff.map((l) => `    ${l}`).join('\n')}`);
    }
  }
  if (differing.length) throw orgMessages.createError('error.ComponentConflict', [differing.join('\n')]);
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
