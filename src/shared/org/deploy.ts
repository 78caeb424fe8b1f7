/*
 * Deploys exactly the given source files with SDR. When the org tracks source, SourceTracking
 * subscribes to SDR's deploy events so the user's later `sf project deploy` sees no phantom changes
 * (docs/sf-plugin-conventions.md §8). Returns what the org reported per component; deciding what
 * a failure means for the command is left to the caller.
 */
import type { Connection, Org, SfProject } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, type DeployResult, type FileResponse, RequestStatus } from '@salesforce/source-deploy-retrieve';
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
import { errorText } from './orgErrors.js';
import { withRetry } from './retry.js';

export type DeployProgress = { status: string; deployed: number; total: number; errors: number };

export type DeployRequest = {
  org: Org;
  connection: Connection;
  project: SfProject;
  /** Source-format files to deploy (the generated Roles Anywhere set). */
  paths: string[];
  /**
   * When `paths` are a scratch copy (a dry run deploys one, leaving the project as it is), the project
   * files they stand for, in the same order: the outcome names these.
   */
  projectPaths?: string[];
  dryRun?: boolean;
  wait?: Duration;
  /** The user's --test-level; production orgs only get a test level when the user asks for one. */
  testLevel?: string;
  onProgress?: (progress: DeployProgress) => void;
  /** Passed to the retry of the deploy start (tests inject a no-wait sleep). */
  retrySleep?: (ms: number) => Promise<void>;
};

export type DeployOutcome = {
  id: string;
  status: string;
  success: boolean;
  checkOnly: boolean;
  /** 0, 1, 68 or 69 as `sf project deploy start`. */
  exitCode: number;
  testLevel?: string;
  tracked: boolean;
  components: DeployedComponent[];
  failures: ComponentFailure[];
  deployUrl: string;
};

export async function deploySource(request: DeployRequest): Promise<DeployOutcome> {
  const { org, connection } = request;
  const checkOnly = request.dryRun ?? false;
  const tracked = await org.tracksSource().catch(() => false);
  // Keep the reference while deploying: its SDR event subscriptions update tracking afterwards.
  const tracking = tracked
    ? await SourceTracking.create({ org, project: request.project, subscribeSDREvents: !checkOnly })
    : undefined;
  const testLevel = chooseTestLevel({ isProduction: await isProduction(org), requested: request.testLevel });
  const componentSet = ComponentSet.fromSource({ fsPaths: request.paths, ...(tracking ? { registry: tracking.registry } : {}) });
  const deploy = await withRetry(
    () =>
      componentSet.deploy({
        usernameOrConnection: connection,
        apiOptions: { checkOnly, rollbackOnError: true, ...(testLevel ? { testLevel: testLevel as 'NoTestRun' } : {}) },
      }),
    { sleep: request.retrySleep }
  );
  deploy.onUpdate((s) =>
    request.onProgress?.({
      status: String(s.status),
      deployed: s.numberComponentsDeployed,
      total: s.numberComponentsTotal,
      errors: s.numberComponentErrors,
    })
  );
  let result: DeployResult;
  try {
    result = await deploy.pollStatus({
      frequency: Duration.milliseconds(pollFrequencyMs()),
      timeout: request.wait ?? Duration.minutes(33),
    });
  } catch (error) {
    // Past --wait the deploy goes on in the org: report it as still in progress (exit 69), not as a failure.
    if (!deploy.id || !/timed out|PollingClientTimeout/i.test(errorText(error))) throw error;
    return {
      id: deploy.id,
      status: RequestStatus.InProgress,
      success: false,
      checkOnly,
      exitCode: deployExitCode(RequestStatus.InProgress),
      ...(testLevel ? { testLevel } : {}),
      tracked,
      components: [],
      failures: [],
      deployUrl: deployStatusUrl(connection.instanceUrl, deploy.id),
    };
  }
  const files = reportedAs(result.getFileResponses(), request);
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
    deployUrl: deployStatusUrl(connection.instanceUrl, result.response.id),
  };
}

/** File responses with each scratch path replaced by the project path it stands for. */
function reportedAs(files: FileResponse[], request: DeployRequest): FileResponse[] {
  if (!request.projectPaths) return files;
  const projectPath = new Map(request.paths.map((path, index) => [path, request.projectPaths![index]]));
  return files.map((f) => (f.filePath && projectPath.has(f.filePath) ? { ...f, filePath: projectPath.get(f.filePath)! } : f));
}

/** Scratch orgs and sandboxes are not production; when the org can't tell us, assume production (test level unset is always accepted). */
async function isProduction(org: Org): Promise<boolean> {
  try {
    return !((await org.determineIfScratch()) || (await org.determineIfSandbox()));
  } catch {
    return true;
  }
}

/** SDR's default frequency suits real orgs; SF_IAMRA_POLL_MS lets simulator runs poll faster. */
function pollFrequencyMs(): number {
  const fromEnv = Number(process.env.SF_IAMRA_POLL_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 1000;
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
