/*
 * Pure core of the smoke test: render the Apex for a named credential, read the executeAnonymous
 * answer, and turn it into an outcome with a diagnosis. No I/O here.
 */
import { XMLParser } from 'fast-xml-parser';
import { CALLOUT_EXCEPTION_PATTERNS, SMOKE_APEX_PLACEHOLDER, SMOKE_MARKER, type SmokeDiagnosisCode } from './constants.js';

/** The fields of an executeAnonymous result (SOAP-EA) that matter here. */
export type AnonymousApexResult = {
  compiled: boolean;
  compileProblem?: string | null;
  success: boolean;
  line?: number;
  column?: number;
  exceptionMessage?: string | null;
};

export type SmokeOutcome = {
  passed: boolean;
  /** HTTP status the callout got from AWS; absent when the callout never completed. */
  httpStatus?: number;
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` from the STS answer. */
  assumedRoleArn?: string;
  /** The IAM role behind the assumed-role ARN. */
  roleArn?: string;
  account?: string;
  /** Why it failed; absent when passed. */
  diagnosis?: SmokeDiagnosisCode;
  /** What Salesforce or AWS said, verbatim (never contains credentials: STS answers carry none). */
  detail?: string;
};

/** An API name, optionally namespace-prefixed (`ns__Name`). */
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__[A-Za-z](?:[A-Za-z0-9]|_(?!_))*)?$/;

/** Substitutes the named credential into the callout URL; refuses names that are not API names (no Apex injection). */
export function renderSmokeApex(template: string, namedCredential: string): string {
  if (!API_NAME.test(namedCredential) || namedCredential.endsWith('_')) {
    throw new Error(`Not a named credential API name: ${namedCredential}`);
  }
  const callout = `callout:${SMOKE_APEX_PLACEHOLDER}/`;
  if (template.split(callout).length !== 2) {
    throw new Error(`The smoke-test Apex must contain exactly one ${callout} URL.`);
  }
  // Sent whole, comments included: the SOAP call is a POST (no URL length limit), so line numbers match the file.
  return template.replace(callout, `callout:${namedCredential}/`);
}

/** What @salesforce/apex-node's ExecuteService answers (its ExecuteAnonymousResponse), structurally. */
export type ExecuteServiceAnswer = {
  compiled: boolean;
  success: boolean;
  diagnostic?: Array<{ lineNumber?: number | string; columnNumber?: number | string; compileProblem?: string; exceptionMessage?: string }>;
};

/** ExecuteService gives line, column and messages in `diagnostic[0]` (strings, '' for none). */
export function fromExecuteService(answer: ExecuteServiceAnswer): AnonymousApexResult {
  const diagnostic = answer.diagnostic?.[0];
  const line = Number(diagnostic?.lineNumber);
  const column = Number(diagnostic?.columnNumber);
  return {
    compiled: answer.compiled,
    success: answer.success,
    // '' means none in ExecuteService's answer
    compileProblem: nonEmpty(diagnostic?.compileProblem),
    exceptionMessage: nonEmpty(diagnostic?.exceptionMessage),
    ...(line > 0 ? { line } : {}),
    ...(column > 0 ? { column } : {}),
  };
}

function nonEmpty(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text;
}

/** Reads an executeAnonymous result into a smoke outcome; `answer` reads the HTTP answer (GetCallerIdentity by default). */
export function interpretSmokeResult(
  result: AnonymousApexResult,
  answer: (status: number, body: string) => SmokeOutcome = interpretHttpAnswer
): SmokeOutcome {
  if (!result.compiled) {
    const where = result.line ? ` (line ${result.line}, column ${result.column ?? 0})` : '';
    return { passed: false, diagnosis: 'ApexCompileFailure', detail: `${result.compileProblem ?? 'compile failure'}${where}` };
  }
  const message = result.exceptionMessage ?? '';
  const at = message.indexOf(SMOKE_MARKER);
  if (at < 0) {
    if (result.success || message === '') return { passed: false, diagnosis: 'NoMarker', detail: message };
    return { passed: false, diagnosis: diagnoseCalloutException(message), detail: message };
  }
  const payload = parseMarkerJson(message.slice(at + SMOKE_MARKER.length));
  if (!payload) return { passed: false, diagnosis: 'NoMarker', detail: message };
  return answer(payload.status, payload.body);
}

/** What an HTTP answer from AWS means for the setup. */
export function interpretHttpAnswer(status: number, body: string): SmokeOutcome {
  if (status === 200) {
    const identity = parseCallerIdentity(body);
    if (identity) return { passed: true, httpStatus: status, ...identity };
    return { passed: false, httpStatus: status, diagnosis: looksLikeS3(body) ? 'NamedCredentialOnS3' : 'UnexpectedStatus', detail: body };
  }
  // The S3 signing scope on an STS URL shows up as AWS's "scoped to correct service" answer.
  if (looksLikeS3(body) || /scoped to correct service/i.test(body)) {
    return { passed: false, httpStatus: status, diagnosis: 'NamedCredentialOnS3', detail: body };
  }
  if (status === 403 || status === 401) return { passed: false, httpStatus: status, diagnosis: 'AwsAccessDenied', detail: body };
  return { passed: false, httpStatus: status, diagnosis: 'UnexpectedStatus', detail: body };
}

export function diagnoseCalloutException(message: string): SmokeDiagnosisCode {
  return CALLOUT_EXCEPTION_PATTERNS.find((p) => p.pattern.test(message))?.diagnosis ?? 'CalloutFailed';
}

type CallerIdentity = { assumedRoleArn: string; roleArn?: string; account?: string };

const xml = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false });

/** Reads `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>` from the STS answer. */
export function parseCallerIdentity(body: string): CallerIdentity | undefined {
  let doc: { GetCallerIdentityResponse?: { GetCallerIdentityResult?: { Arn?: string; Account?: string } } };
  try {
    doc = xml.parse(body) as typeof doc;
  } catch {
    return undefined;
  }
  const result = doc.GetCallerIdentityResponse?.GetCallerIdentityResult;
  if (!result?.Arn) return undefined;
  const assumedRoleArn = String(result.Arn);
  return { assumedRoleArn, roleArn: roleArnOf(assumedRoleArn), account: result.Account ? String(result.Account) : undefined };
}

/** `arn:aws:sts::123:assumed-role/Name/session` -> `arn:aws:iam::123:role/Name` (roles with paths lose the path: STS drops it). */
export function roleArnOf(assumedRoleArn: string): string | undefined {
  const match = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(assumedRoleArn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : undefined;
}

/** S3 answers GetCallerIdentity with its own `<Error>` document (no `<ErrorResponse>` wrapper, a bucket or S3 code). */
function looksLikeS3(body: string): boolean {
  const s3ErrorDocument = /<Error>\s*<Code>/.test(body) && !body.includes('<ErrorResponse');
  return s3ErrorDocument || /NoSuchBucket|<ListAllMyBucketsResult|s3[.-][\w.-]*amazonaws\.com/i.test(body);
}

function parseMarkerJson(text: string): { status: number; body: string } | undefined {
  // The platform may append text after the JSON; take the outermost object.
  const end = text.lastIndexOf('}');
  if (end < 0) return undefined;
  try {
    const parsed = JSON.parse(text.slice(0, end + 1)) as { status?: unknown; body?: unknown };
    if (typeof parsed.status !== 'number') return undefined;
    return { status: parsed.status, body: typeof parsed.body === 'string' ? parsed.body : '' };
  } catch {
    return undefined;
  }
}
