/*
 * Runs scripts/apex/get-caller-identity.apex through @salesforce/apex-node's ExecuteService (the SOAP
 * executeAnonymous `sf apex run` uses) and reports what the GetCallerIdentity callout returned. The
 * reading of the answer is the pure smokeApex.ts; this file is the I/O around it. apex-node is imported
 * on first use: only the smoke test needs it (cost measured in `npm run bench`).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Connection, SfError } from '@salesforce/core';
import { ORG_UNREACHABLE_PATTERN, type SmokeDiagnosisCode } from './constants.js';
import { orgMessages } from './messages.js';
import { errorText, isSessionExpired } from './orgErrors.js';
import { type AnonymousApexResult, fromExecuteService, interpretSmokeResult, renderSmokeApex, type SmokeOutcome } from './smokeApex.js';

/** Shipped with the package (package.json "files" has /scripts/apex); same path from src/ and lib/. */
export const SMOKE_APEX_PATH = fileURLToPath(new URL('../../../scripts/apex/get-caller-identity.apex', import.meta.url));

export type SmokeRequest = { namedCredential: string; apexPath?: string };

export type SmokeTestResult = SmokeOutcome & {
  namedCredential: string;
  /** One-line summary for humans (the diagnosis when it failed). */
  message: string;
  /** What to do about a failure. */
  actions: string[];
};

export async function runSmokeTest(connection: Connection, request: SmokeRequest): Promise<SmokeTestResult> {
  const template = await readFile(request.apexPath ?? SMOKE_APEX_PATH, 'utf8');
  const apex = renderSmokeApex(template, request.namedCredential);
  const { ExecuteService } = await import('@salesforce/apex-node');
  let answer: AnonymousApexResult;
  try {
    answer = fromExecuteService(await new ExecuteService(connection).executeAnonymous({ apexCode: apex }));
  } catch (error) {
    if (isSessionExpired(error)) throw error;
    const detail = errorText(error);
    const diagnosis = ORG_UNREACHABLE_PATTERN.test(detail) ? 'OrgUnreachable' : 'MissingApexPermission';
    return describe(request.namedCredential, { passed: false, diagnosis, detail });
  }
  return describe(request.namedCredential, interpretSmokeResult(answer));
}

/** Adds the user-facing message and actions for an outcome. */
export function describe(namedCredential: string, outcome: SmokeOutcome): SmokeTestResult {
  if (outcome.passed) {
    return {
      ...outcome,
      namedCredential,
      message: orgMessages.getMessage('smoke.passed', [namedCredential, outcome.assumedRoleArn ?? '']),
      actions: [],
    };
  }
  const code: SmokeDiagnosisCode = outcome.diagnosis ?? 'CalloutFailed';
  const detail = outcome.detail ?? '';
  const status = String(outcome.httpStatus ?? '');
  const tokens: Record<SmokeDiagnosisCode, string[]> = {
    ApexCompileFailure: [detail],
    NoMarker: [detail],
    PermissionSetNotAssigned: [namedCredential, detail],
    CertificateProblem: [namedCredential, detail],
    RoleArnMissing: [namedCredential, detail],
    AwsAccessDenied: [namedCredential, status, detail],
    NamedCredentialOnS3: [namedCredential, status, detail],
    MissingCustomizeApplication: [detail],
    MissingApexPermission: [detail],
    OrgUnreachable: [detail],
    CalloutFailed: [namedCredential, detail],
    UnexpectedStatus: [namedCredential, status, detail],
  };
  return {
    ...outcome,
    diagnosis: code,
    namedCredential,
    message: orgMessages.getMessage(`smoke.diagnosis.${code}`, tokens[code]),
    actions: orgMessages.getMessages(`smoke.diagnosis.${code}.actions`),
  };
}

/** The SfError a command throws for a failed smoke test (exit code 1, actions, result as data). */
export function smokeFailure(result: SmokeTestResult): Error {
  const error = new SfError(result.message, `Smoke${result.diagnosis ?? 'CalloutFailed'}`, result.actions, 1);
  error.setData(result);
  return error;
}
