/*
 * Anonymous Apex. Nothing is compiled: the block is checked against the few statement shapes a
 * named-credential smoke test uses (anything else is a compile problem with line and column), the
 * callout to `callout:<NamedCredential>/...` is answered from the org state as Salesforce and AWS would,
 * and a thrown custom exception carries its message out, as in the marker technique of docs/salesforce-metadata.md §11.
 */
import {
  customExceptionPrefix,
  inferredMessages,
  isTrustedByAws,
  LEGACY_CALLOUT_ERROR,
  S3_GET_CALLER_IDENTITY_ERROR,
  S3_HOST,
  STS_HOST,
  UNTRUSTED_CERTIFICATE_MESSAGE,
} from '../rules/inferred.js';
import type { OrgState, UserRecord } from './state.js';

export type ExecuteAnonymousResult = {
  line: number;
  column: number;
  compiled: boolean;
  success: boolean;
  compileProblem: string | null;
  exceptionStackTrace: string | null;
  exceptionMessage: string | null;
};

/** What the simulated endpoint answered to the callout (or why there was none). */
export type CalloutOutcome = { kind: 'response'; status: number; statusText: string; body: string } | { kind: 'exception'; message: string };

type Statement = { text: string; line: number; column: number };

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const STRING = "'(?:[^'\\\\]|\\\\.)*'";
/** Statement shapes the simulator understands, in the order a smoke test uses them. */
const SHAPES: RegExp[] = [
  new RegExp(`^(?:public\\s+|private\\s+)?class\\s+${IDENT}\\s+extends\\s+Exception\\s*\\{\\s*\\}$`),
  new RegExp(`^HttpRequest\\s+${IDENT}\\s*=\\s*new\\s+HttpRequest\\s*\\(\\s*\\)$`),
  new RegExp(`^${IDENT}\\.set(Endpoint|Method|Header|Timeout|Body)\\s*\\((?:\\s*(?:${STRING}|\\d+)\\s*,?)+\\)$`),
  new RegExp(`^Http\\s+${IDENT}\\s*=\\s*new\\s+Http\\s*\\(\\s*\\)$`),
  new RegExp(`^HttpResponse\\s+${IDENT}\\s*=\\s*(?:new\\s+Http\\s*\\(\\s*\\)|${IDENT})\\.send\\s*\\(\\s*${IDENT}\\s*\\)$`),
  new RegExp('^System\\.debug\\s*\\(.*\\)$', 's'),
  new RegExp(`^throw\\s+new\\s+${IDENT}\\s*\\(.*\\)$`, 's'),
];

export function executeAnonymous(state: OrgState, user: UserRecord, source: string): ExecuteAnonymousResult {
  const base: ExecuteAnonymousResult = {
    line: -1,
    column: -1,
    compiled: true,
    success: true,
    compileProblem: null,
    exceptionStackTrace: null,
    exceptionMessage: null,
  };
  const statements = splitStatements(stripComments(source));
  if (typeof statements === 'string' || statements.length === 0) {
    const where = locate(source, source.length);
    return { ...base, ...where, compiled: false, success: false, compileProblem: typeof statements === 'string' ? statements : "Unexpected token '<EOF>'." };
  }
  for (const s of statements) {
    if (!SHAPES.some((shape) => shape.test(s.text))) {
      const token = /^[^\s(.=;]+/.exec(s.text)?.[0] ?? s.text.slice(0, 1);
      return { ...base, line: s.line, column: s.column, compiled: false, success: false, compileProblem: `Unexpected token '${token}'.` };
    }
  }
  const declared = statements.map((s) => /^(?:public\s+|private\s+)?class\s+(\w+)/.exec(s.text)?.[1]).filter(Boolean) as string[];
  let callout: CalloutOutcome | undefined;
  let endpoint: string | undefined;
  for (const s of statements) {
    endpoint = /\.setEndpoint\s*\(\s*'([^']*)'/.exec(s.text)?.[1] ?? endpoint;
    if (/\.send\s*\(/.test(s.text)) {
      if (!endpoint) return runtimeError(base, s, 'System.CalloutException: Endpoint URL is not set');
      callout = performCallout(state, user, endpoint);
      if (callout.kind === 'exception') return runtimeError(base, s, `System.CalloutException: ${callout.message}`);
    }
    const thrown = /^throw\s+new\s+(\w+)\s*\((.*)\)$/s.exec(s.text);
    if (thrown) {
      const [, className, argument] = thrown;
      if (!declared.includes(className) && !/^(System\.)?\w*Exception$/.test(className)) {
        return { ...base, line: s.line, column: s.column, compiled: false, success: false, compileProblem: `Invalid type: ${className}` };
      }
      const message = evaluateString(argument, callout);
      if (message === undefined) {
        return { ...base, line: s.line, column: s.column, compiled: false, success: false, compileProblem: `Unexpected token '${argument.trim().slice(0, 20)}'.` };
      }
      return runtimeError(base, s, `${customExceptionPrefix(className)}${message}`);
    }
  }
  return base;
}

function runtimeError(base: ExecuteAnonymousResult, s: Statement, message: string): ExecuteAnonymousResult {
  return { ...base, success: false, exceptionMessage: message, exceptionStackTrace: `AnonymousBlock: line ${s.line}, column ${s.column}` };
}

/** Line and block comments become blanks of the same length, so line and column numbers stay true. */
function stripComments(source: string): string {
  const withoutBlocks = source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  return withoutBlocks
    .split('\n')
    .map((line) => {
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === "'" && line[i - 1] !== '\\') quoted = !quoted;
        if (!quoted && line.startsWith('//', i)) return line.slice(0, i) + ' '.repeat(line.length - i);
      }
      return line;
    })
    .join('\n');
}

/** Split on top-level `;` (and after a class body), tracking quotes and brackets; a string is a compile problem. */
function splitStatements(source: string): Statement[] | string {
  const statements: Statement[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const push = (end: number): void => {
    const raw = source.slice(start, end);
    const text = raw.trim();
    if (text) {
      const offset = start + raw.indexOf(text);
      statements.push({ text, ...locate(source, offset) });
    }
    start = end + 1;
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === "'") quoted = false;
      continue;
    }
    if (ch === "'") quoted = true;
    else if ('({['.includes(ch)) depth++;
    else if (')}]'.includes(ch)) {
      depth--;
      if (depth < 0) return `Unexpected token '${ch}'.`;
      if (depth === 0 && ch === '}' && /class\s+\w+/.test(source.slice(start, i))) push(i + 1);
    } else if (ch === ';' && depth === 0) push(i);
  }
  if (quoted) return 'Unterminated string literal.';
  if (depth !== 0) return "Unexpected token '<EOF>'.";
  if (source.slice(start).trim()) return 'Missing \';\' at \'<EOF>\'';
  return statements;
}

function locate(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * The thrown message: string literals, `+`, and JSON.serialize(new Map<String, Object>{ 'k' => expr, ... })
 * where expr is a literal or res.getStatusCode() / res.getStatus() / res.getBody(). undefined = not understood.
 */
function evaluateString(expression: string, callout: CalloutOutcome | undefined): string | undefined {
  const parts = splitTopLevel(expression, '+');
  let out = '';
  for (const part of parts) {
    const p = part.trim();
    const literal = new RegExp(`^${STRING}$`).test(p) ? p.slice(1, -1).replace(/\\(.)/g, '$1') : undefined;
    if (literal !== undefined) {
      out += literal;
      continue;
    }
    const serialized = /^JSON\.serialize\s*\(\s*new\s+Map\s*<\s*String\s*,\s*Object\s*>\s*\{(.*)\}\s*\)$/s.exec(p);
    if (!serialized) return undefined;
    const map: Record<string, unknown> = {};
    for (const entry of splitTopLevel(serialized[1], ',')) {
      if (!entry.trim()) continue;
      const kv = /^\s*'([^']*)'\s*=>\s*(.+?)\s*$/s.exec(entry);
      if (!kv) return undefined;
      const value = responseValue(kv[2], callout);
      if (value === undefined) return undefined;
      map[kv[1]] = value;
    }
    out += JSON.stringify(map);
  }
  return out;
}

function responseValue(expr: string, callout: CalloutOutcome | undefined): unknown {
  if (new RegExp(`^${STRING}$`).test(expr)) return expr.slice(1, -1);
  if (/^-?\d+$/.test(expr)) return Number(expr);
  const call = /^\w+\.(getStatusCode|getStatus|getBody)\s*\(\s*\)$/.exec(expr);
  if (!call || callout?.kind !== 'response') return undefined;
  return call[1] === 'getStatusCode' ? callout.status : call[1] === 'getStatus' ? callout.statusText : callout.body;
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === "'") quoted = false;
      continue;
    }
    if (ch === "'") quoted = true;
    else if ('({[<'.includes(ch)) depth++;
    else if (')}]'.includes(ch) || (ch === '>' && text[i - 1] !== '=')) depth--;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

// ---- the callout itself: Salesforce's credential checks, then the simulated AWS endpoint ----

/** Where a callout stands once Salesforce has resolved its credentials. */
type ResolvedCallout = { url: string; service: string; roleArn: string; trusted: boolean };

export function performCallout(state: OrgState, user: UserRecord, endpoint: string): CalloutOutcome {
  const resolved = resolveCredentials(state, user, endpoint);
  return 'kind' in resolved ? resolved : awsAnswer(state, resolved);
}

/** Salesforce's side: named credential, permissions, principal access, certificate, role ARN. */
function resolveCredentials(state: OrgState, user: UserRecord, endpoint: string): CalloutOutcome | ResolvedCallout {
  const match = /^callout:(\w+)(.*)$/.exec(endpoint);
  if (!match) return { kind: 'exception', message: `Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = ${endpoint}` };
  const [, name, rest] = match;
  const nc = state.namedCredential(name);
  if (!nc) return { kind: 'exception', message: inferredMessages.calloutNoNamedCredential(name) };
  // [doc] APEX-ANON: a named-credential callout from anonymous Apex needs Customize Application.
  if (!user.customizeApplication) return { kind: 'exception', message: inferredMessages.apexNoCustomizeApplication() };
  if (nc.calloutStatus === 'Disabled') return { kind: 'exception', message: inferredMessages.calloutDisabled(name) };
  const url = `${nc.url ?? ''}${rest}`;
  if (nc.namedCredentialType === 'Legacy') {
    return awsError(url, 403, LEGACY_CALLOUT_ERROR.code, LEGACY_CALLOUT_ERROR.message);
  }
  const ecName = nc.externalCredential ?? '';
  const ec = state.externalCredential(ecName);
  const granted = state.principalAccessesOf(user.id);
  const principal = state.principalsOf(ecName).find((p) => granted.includes(`${ecName}-${p}`));
  // [seen] without the principal grant (or the credential) the callout fails at runtime.
  if (!ec || !principal) return { kind: 'exception', message: inferredMessages.calloutNoAccess(ecName) };
  const signing = ec.parameters.find((p) => p.parameterType === 'SigningCertificate');
  const certName = signing?.certificate ?? signing?.parameterValue;
  const cert = certName ? state.certificate(certName) : undefined;
  if (certName && !cert) return { kind: 'exception', message: inferredMessages.calloutNoCertificate(certName) };
  const roleArn = state.principalCredential(ecName, principal)?.credentials.awsRoleArn?.value;
  if (!roleArn) return { kind: 'exception', message: inferredMessages.calloutNoRoleArn(principal) };
  return {
    url,
    service: ec.parameters.find((p) => p.parameterName === 'AwsService')?.parameterValue ?? 'sts',
    roleArn,
    trusted: !cert || isTrustedByAws(cert),
  };
}

/** AWS's side: Roles Anywhere trust, the role, then the service the URL points at. */
function awsAnswer(state: OrgState, callout: ResolvedCallout): CalloutOutcome {
  const { url, service, roleArn } = callout;
  if (!callout.trusted) return awsError(url, 403, 'AccessDenied', UNTRUSTED_CERTIFICATE_MESSAGE);
  if (state.aws.rejectRole) {
    return awsError(url, 403, state.aws.rejectRole, state.aws.rejectMessage ?? defaultAwsMessage(state.aws.rejectRole, roleArn));
  }
  if (STS_HOST.test(url)) {
    if (service !== 'sts') return awsError(url, 403, 'SignatureDoesNotMatch', "Credential should be scoped to correct service: 'sts'. ");
    if (!/[?&]Action=GetCallerIdentity(&|$)/.test(url)) return awsError(url, 400, 'InvalidAction', 'Could not find operation for this request.');
    return { kind: 'response', status: 200, statusText: 'OK', body: getCallerIdentityXml(roleArn, state.aws.sessionName) };
  }
  if (S3_HOST.test(url)) {
    return { kind: 'response', status: 403, statusText: 'Forbidden', body: s3ErrorXml(S3_GET_CALLER_IDENTITY_ERROR.code, S3_GET_CALLER_IDENTITY_ERROR.message) };
  }
  return { kind: 'exception', message: `Unable to tunnel through proxy. Proxy returns "HTTP/1.1 503 Service Unavailable" for ${url}` };
}

function defaultAwsMessage(code: string, roleArn: string): string {
  return code === 'AccessDenied'
    ? `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`
    : 'The request signature we calculated does not match the signature you provided.';
}

function awsError(url: string, status: number, code: string, message: string): CalloutOutcome {
  const body = S3_HOST.test(url)
    ? s3ErrorXml(code, message)
    : `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>00000000-0000-4000-8000-000000000000</RequestId>\n</ErrorResponse>\n`;
  return { kind: 'response', status, statusText: status === 403 ? 'Forbidden' : 'Bad Request', body };
}

function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>SIMULATED0000000</RequestId><HostId>c2ltdWxhdGVk</HostId></Error>`;
}

/** STS GetCallerIdentity for an assumed role: arn:aws:sts::<acct>:assumed-role/<role>/<session>. */
export function getCallerIdentityXml(roleArn: string, sessionName: string): string {
  const arn = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const account = arn?.[1] ?? '000000000000';
  const role = arn?.[2] ?? 'unknown';
  return (
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
    '  <GetCallerIdentityResult>\n' +
    `    <Arn>arn:aws:sts::${account}:assumed-role/${role}/${sessionName}</Arn>\n` +
    `    <UserId>AROASIMULATED00000000:${sessionName}</UserId>\n` +
    `    <Account>${account}</Account>\n` +
    '  </GetCallerIdentityResult>\n' +
    '  <ResponseMetadata>\n    <RequestId>00000000-0000-4000-8000-000000000001</RequestId>\n  </ResponseMetadata>\n' +
    '</GetCallerIdentityResponse>\n'
  );
}
