/*
 * Anonymous Apex. Nothing is compiled: the block is checked against the few statement shapes a
 * named-credential smoke test uses (anything else is a compile problem with line and column), the
 * callout to `callout:<NamedCredential>/...` runs the real credential chain (callout/chain.ts), and a
 * thrown custom exception carries its message out, as in the marker technique of docs/salesforce-metadata.md §11.
 */
import { customExceptionPrefix } from '../rules/inferred.js';
import { type ApexHttpRequest, type CalloutOutcome, performCallout } from '../callout/chain.js';
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

export type { CalloutOutcome } from '../callout/chain.js';

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

/**
 * The one Apex execution path: every route (Tooling executeAnonymous, Apex SOAP, a package's code via
 * `namespace`) runs here, so the callout chain applies to all of them.
 */
export async function executeAnonymous(
  state: OrgState,
  user: UserRecord,
  source: string,
  options: { namespace?: string } = {}
): Promise<ExecuteAnonymousResult> {
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
  const request: ApexHttpRequest = { endpoint: '', method: 'GET', headers: {}, body: '' };
  for (const s of statements) {
    applySetter(request, s.text);
    if (/\.send\s*\(/.test(s.text)) {
      if (!request.endpoint) return runtimeError(base, s, 'System.CalloutException: Endpoint URL is not set');
      // eslint-disable-next-line no-await-in-loop
      callout = await performCallout(state, { user, namespace: options.namespace }, request);
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

/** `req.setEndpoint('…')`, setMethod, setHeader('k', 'v'), setBody: what the HttpRequest will carry. */
function applySetter(request: ApexHttpRequest, statement: string): void {
  const setter = /\.set(Endpoint|Method|Header|Body)\s*\((.*)\)$/s.exec(statement);
  if (!setter) return;
  const args = [...setter[2].matchAll(new RegExp(STRING, 'g'))].map((m) => m[0].slice(1, -1).replace(/\\(.)/g, '$1'));
  if (setter[1] === 'Endpoint') request.endpoint = args[0] ?? '';
  if (setter[1] === 'Method') request.method = args[0] ?? 'GET';
  if (setter[1] === 'Header' && args.length === 2) request.headers[args[0]] = args[1];
  if (setter[1] === 'Body') request.body = args[0] ?? '';
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
