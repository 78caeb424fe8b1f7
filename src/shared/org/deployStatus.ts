/*
 * Exit codes and failure rows for a Metadata API deploy, the way plugin-deploy-retrieve reports
 * them (`src/utils/errorCodes.ts`, `deployResultFormatter.ts`), so scripts that know
 * `sf project deploy start` read ours the same way. Pure.
 */
import { ComponentStatus, type FileResponse, RequestStatus } from '@salesforce/source-deploy-retrieve';

/** 0 succeeded, 1 failed/canceled, 68 partial success, 69 still in progress after --wait. */
export const DEPLOY_EXIT_CODES: ReadonlyMap<RequestStatus, number> = new Map([
  [RequestStatus.Succeeded, 0],
  [RequestStatus.Canceled, 1],
  [RequestStatus.Failed, 1],
  [RequestStatus.SucceededPartial, 68],
  [RequestStatus.InProgress, 69],
  [RequestStatus.Pending, 69],
  [RequestStatus.Canceling, 69],
]);

export function deployExitCode(status: RequestStatus | string): number {
  return DEPLOY_EXIT_CODES.get(status as RequestStatus) ?? 1;
}

export type DeployedComponent = {
  type: string;
  fullName: string;
  /** Created / Changed / Unchanged / Deleted / Failed, as the org reported it. */
  state: string;
  filePath?: string;
};

/** One row of the "Component Failures" table of `sf project deploy start`. */
export type ComponentFailure = {
  type: string;
  fullName: string;
  problem: string;
  problemType: string;
  filePath?: string;
  /** "line:column" when the org gave a position. */
  location?: string;
};

type ApiComponentFailure = { componentType?: string; fullName: string; problem?: string; problemType?: string };

/** Failures from the file responses plus any the API reported for components without a file (as the formatter does). */
export function componentFailures(files: FileResponse[], apiFailures: ApiComponentFailure[] = []): ComponentFailure[] {
  const failures: ComponentFailure[] = files.flatMap((f) =>
    f.state === ComponentStatus.Failed
      ? [
          {
            type: f.type,
            fullName: f.fullName,
            problem: f.error,
            problemType: f.problemType,
            ...(f.filePath ? { filePath: f.filePath } : {}),
            ...(f.lineNumber ? { location: `${f.lineNumber}:${f.columnNumber ?? ''}` } : {}),
          },
        ]
      : []
  );
  const seen = new Set(failures.map((f) => `${f.type}#${f.fullName}`));
  for (const m of apiFailures) {
    if (!m.componentType || !seen.has(`${m.componentType}#${m.fullName}`)) {
      failures.push({ type: m.componentType ?? 'UNKNOWN', fullName: m.fullName, problem: m.problem ?? 'UNKNOWN', problemType: m.problemType ?? 'Error' });
    }
  }
  return failures.sort((a, b) => `${a.problemType}${a.fullName}`.localeCompare(`${b.problemType}${b.fullName}`));
}

/** Successful components, one row per component (a component may span several files). */
export function deployedComponents(files: FileResponse[]): DeployedComponent[] {
  const byKey = new Map<string, DeployedComponent>();
  for (const f of files) {
    if (f.state === ComponentStatus.Failed) continue;
    const key = `${f.type}#${f.fullName}`;
    if (!byKey.has(key)) byKey.set(key, { type: f.type, fullName: f.fullName, state: f.state, ...(f.filePath ? { filePath: f.filePath } : {}) });
  }
  return [...byKey.values()];
}

/** Tests for the deploy: none in sandboxes/scratch orgs; production keeps the user's choice or none set (always accepted). */
export function chooseTestLevel(request: { isProduction: boolean; requested?: string }): string | undefined {
  if (request.requested) return request.requested;
  return request.isProduction ? undefined : 'NoTestRun';
}

export function deployStatusUrl(instanceUrl: string, deployId: string): string {
  return `${instanceUrl}/lightning/setup/DeployStatus/page?address=%2Fchangemgmt%2FmonitorDeploymentsDetails.apexp%3FasyncId%3D${deployId}%26retURL%3D%252Fchangemgmt%252FmonitorDeployment.apexp`;
}
