/*
 * Talking to the org: each step is a plain function over a Connection (or Org + project), with no
 * oclif inside, and reports what it changed so `sf iamra configure` can undo it.
 *
 * Steps (in configure's order):
 * - `runPreflightChecks(connection, { names, now? })` (preflightChecks.ts): API version >= 59, no Legacy
 *   named credential of that name (error.LegacyNamedCredential), signing certificate imported and not
 *   expired (error.CertificateNotImported / CertificateExpired); returns `existing` (what the org had
 *   under our names) and warnings. Read-only, nothing to undo.
 * - `deploySource({ org, connection, project, paths, projectPaths?, dryRun, wait, testLevel, onProgress })` (deploy.ts):
 *   SDR deploy of exactly `paths` (a scratch copy for a dry run, reported under `projectPaths`),
 *   via SourceTracking when the org tracks source; returns id, status,
 *   exitCode (0/1/68/69), per-component `components` (state Created/Changed/Unchanged) and `failures`.
 *   `assertDeploySucceeded(outcome, printFailures?)` (deployService.ts) turns a failure into the SfError.
 *   Undo: a Created component can be deleted; a Changed one needs the previous source (not captured here).
 * - `setPrincipalRoleArn(connection, { externalCredential, principalName, roleArn })` (principalCredential.ts):
 *   Connect GET then POST/PUT; returns { action: created | replaced | unchanged, previousRoleArn? }.
 *   Undo: `undoPrincipalRoleArn(connection, change)`.
 * - `assignPermissionSet(connection, { permissionSet, usernames })` (permissionSetAssignment.ts): no
 *   duplicates; returns { created, alreadyAssigned, errors }; `assertAllAssigned(result)` throws for errors.
 *   Undo: `undoAssignments(connection, result)` deletes only `created`.
 * - `runSmokeTest(connection, { namedCredential })` (smokeTest.ts): anonymous Apex GetCallerIdentity;
 *   returns { passed, httpStatus, assumedRoleArn, diagnosis, message, actions }; `smokeFailure(result)`
 *   is the SfError for a failed test. Read-only.
 *
 * Composed services: `deployIamra` (generate + deployGeneratedSet, for `sf iamra deploy`; a dry run
 * plans instead of writing and deploys a temporary copy, so the project is left as it was) and
 * `deployGeneratedSet` (preflight -> deploy -> role ARN -> permission set) in deployService.ts.
 * `withSessionCheck(username, call)` (orgErrors.ts) turns an expired, unrefreshable session into
 * error.SessionExpired. Platform facts marked [inferred] live in constants.ts.
 */
export * from './constants.js';
export * from './deploy.js';
export * from './deployService.js';
export * from './deployStatus.js';
export * from './orgErrors.js';
export * from './permissionSetAssignment.js';
export * from './preflightChecks.js';
export * from './principalCredential.js';
export * from './retry.js';
export * from './smokeApex.js';
export * from './smokeTest.js';
export type * from './types.js';
