/*
 * The HTTP front: routes each request to its API, checks the access token, records it, and applies the
 * armed fault knobs (error status, dropped socket, delay, expired session) before any handler runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrgState } from '../org/state.js';
import type { ApiName, FaultKnobs } from '../harness/faults.js';
import { executeAnonymous } from '../org/apex.js';
import type { OrgSession } from '../harness/session.js';
import { MetadataApi } from './metadataApi.js';
import { parseSoap, soapEnvelope, soapFault } from './soap.js';
import { credential, type JsonAnswer, query, sobjects, userInfo, versions } from './rest.js';
import type { FrontDoor } from './frontDoor.js';

export type RecordedRequest = { method: string; path: string; api: string; operation?: string };

type Answer = { status: number; body: string; contentType: string; headers?: Record<string, string> };

export type ServerParts = { state: OrgState; faults: FaultKnobs; session: OrgSession; requests: RecordedRequest[]; frontDoor: FrontDoor };

export function classify(path: string): ApiName {
  if (/^\/services\/oauth2\/|^\/id\/|^\/services\/data\/?$|^\/services\/data\/v[\d.]+\/?$/.test(path)) return 'identity';
  if (path.startsWith('/services/Soap/m/')) return 'metadata';
  if (/^\/services\/Soap\/s\/|\/tooling\/executeAnonymous/.test(path)) return 'apex';
  if (/^\/services\/data\/v[\d.]+\/tooling\//.test(path)) return 'tooling';
  if (/^\/services\/data\/v[\d.]+\/named-credentials\//.test(path)) return 'connect';
  if (/^\/services\/data\/v[\d.]+\//.test(path)) return 'rest';
  return 'unknown';
}

export async function listen(parts: ServerParts): Promise<{ server: Server; instanceUrl: string; metadata: MetadataApi }> {
  const metadata = new MetadataApi(parts.state, parts.faults);
  const server = createServer((req, res) => {
    void handle(req, res, parts, metadata, instanceUrlOf(server)).catch((error: Error) => {
      send(res, json(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `org simulator bug: ${error.stack ?? error.message}` }]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, instanceUrl: instanceUrlOf(server), metadata };
}

function instanceUrlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function handle(req: IncomingMessage, res: ServerResponse, parts: ServerParts, metadata: MetadataApi, instanceUrl: string): Promise<void> {
  const body = await readBody(req);
  // Clients join an instance URL that ends in '/' with '/services/...': collapse the doubled slash.
  const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), instanceUrl);
  const method = (req.method ?? 'GET').toUpperCase();
  const api = classify(url.pathname);
  const operation = url.pathname.startsWith('/services/Soap/') ? soapOperation(body.toString('utf8')) : undefined;
  parts.requests.push({ method, path: url.pathname + url.search, api, ...(operation ? { operation } : {}) });

  const { faults } = parts;
  const key = { method, path: url.pathname + url.search, api, operation };
  await faults.holdBack(key);
  if (faults.takeDrop(key)) {
    req.socket.destroy();
    return;
  }
  const failure = faults.takeFailure(key);
  if (failure) {
    send(res, {
      status: failure.status,
      contentType: failure.body?.trim().startsWith('<?xml') ? 'text/xml' : 'text/html',
      body: failure.body ?? `<html><head><title>${failure.status}</title></head><body>Service Unavailable</body></html>`,
    });
    return;
  }
  send(res, await route({ method, url, rawBody: body, req, instanceUrl, api }, parts, metadata));
}

type Request = { method: string; url: URL; rawBody: Buffer; req: IncomingMessage; instanceUrl: string; api: ApiName };

function route(request: Request, parts: ServerParts, metadata: MetadataApi): Promise<Answer> | Answer {
  if (request.url.pathname === '/services/oauth2/token' && request.method === 'POST') {
    return fromJson(parts.session.token(new URLSearchParams(request.rawBody.toString('utf8')), parts.state, request.instanceUrl));
  }
  // The browser's side of a frontdoor URL: no bearer token, the one-time code is the credential.
  if (request.url.pathname === '/secur/frontdoor.jsp' && request.method === 'GET') return parts.frontDoor.open(request.url, request.instanceUrl);
  if (request.url.pathname === '/services/oauth2/singleaccess' && request.method === 'GET' && validToken(parts, bearer(request.req))) {
    return parts.frontDoor.singleAccess(request.url, request.instanceUrl);
  }
  return request.url.pathname.startsWith('/services/Soap/') ? routeSoap(request, parts, metadata) : routeRest(request, parts);
}

async function routeSoap({ rawBody, api }: Request, parts: ServerParts, metadata: MetadataApi): Promise<Answer> {
  const soap = parseSoap(rawBody.toString('utf8'));
  const namespace = api === 'apex' ? 'http://soap.sforce.com/2006/08/apex' : 'http://soap.sforce.com/2006/04/metadata';
  if (!validToken(parts, soap.sessionId)) {
    return { status: 500, contentType: 'text/xml', body: soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session', namespace) };
  }
  if (api === 'metadata') return { ...(await metadata.handle(soap)), contentType: 'text/xml' };
  if (api === 'apex' && soap.operation === 'executeAnonymous') {
    const { state } = parts;
    const result = await executeAnonymous(state, state.adminUser, String(soap.args.apexcode ?? soap.args.String ?? ''));
    const debugLog = `${state.apiVersion} APEX_CODE,DEBUG\nExecute Anonymous: (simulated)\n`;
    const header = `<DebuggingInfo><debugLog>${debugLog.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</debugLog></DebuggingInfo>`;
    return { status: 200, contentType: 'text/xml', body: soapEnvelope(namespace, 'executeAnonymous', result, header) };
  }
  return { status: 500, contentType: 'text/xml', body: soapFault('INVALID_OPERATION', `The org simulator does not implement ${soap.operation}`, namespace) };
}

const NOT_FOUND = (): Answer => json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);

function routeRest({ method, url, rawBody, req, instanceUrl }: Request, parts: ServerParts): Answer | Promise<Answer> {
  const { state } = parts;
  const path = url.pathname.replace(/\/+$/, '');
  if (!validToken(parts, bearer(req))) return json(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  if (path === '/services/oauth2/userinfo' || path.startsWith('/id/')) return fromJson(userInfo(state, instanceUrl));
  if (path === '/services/data') return fromJson(versions(state));
  const versioned = /^\/services\/data\/v([\d.]+)(\/.*)?$/.exec(path);
  if (!versioned) return NOT_FOUND();
  const [, version, rest = ''] = versioned;
  const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments.length === 0) {
    return json(200, { sobjects: `/services/data/v${version}/sobjects`, query: `/services/data/v${version}/query`, tooling: `/services/data/v${version}/tooling` });
  }
  const tooling = segments[0] === 'tooling';
  const tail = tooling ? segments.slice(1) : segments;
  const api = tooling ? 'tooling' : 'rest';
  const body = parseJsonBody(rawBody);
  const handlers: Array<[boolean, () => Answer | Promise<Answer>]> = [
    [(tail[0] === 'query' || tail[0] === 'queryAll') && method === 'GET', () => fromJson(query(state, url.searchParams.get('q') ?? '', api, version, url.searchParams.get('columns') === 'true'))],
    [tooling && tail[0] === 'executeAnonymous' && method === 'GET', async () => json(200, await executeAnonymous(state, state.adminUser, url.searchParams.get('anonymousBody') ?? ''))],
    [tail[0] === 'sobjects' && tail.length > 1, () => fromJson(sobjects(state, method, tail.slice(1), body, version, api))],
    [tail[0] === 'composite' && tail[1] === 'sobjects' && method === 'POST', () => compositeCreate(parts, body, version)],
    [!tooling && tail[0] === 'named-credentials' && tail[1] === 'credential', () => fromJson(credential(state, method, url.searchParams, body, version))],
  ];
  return (handlers.find(([applies]) => applies)?.[1] ?? NOT_FOUND)();
}

/** jsforce sends several records at once through composite/sobjects. */
function compositeCreate(parts: ServerParts, body: unknown, version: string): Answer {
  const records = ((body ?? {}) as { records?: Array<Record<string, unknown> & { attributes?: { type?: string } }> }).records ?? [];
  const results = records.map((record) => {
    const { attributes, ...fields } = record;
    const answer = sobjects(parts.state, 'POST', [attributes?.type ?? ''], fields, version, 'rest');
    return answer.status < 300 ? answer.json : { success: false, errors: (answer.json as Array<Record<string, unknown>>).map((e) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields })) };
  });
  return json(200, results);
}

/** The operation element in a SOAP body (`<deploy>`, `<met:checkDeployStatus>`), without parsing the envelope. */
function soapOperation(xml: string): string | undefined {
  return /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([\w]+)/.exec(xml)?.[1];
}

function validToken(parts: ServerParts, token: string | undefined): boolean {
  return parts.session.isValid(token);
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  return /^(Bearer|OAuth)\s+(.+)$/i.exec(header)?.[2];
}

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(status: number, value: unknown): Answer {
  return { status, contentType: 'application/json;charset=UTF-8', body: value === undefined ? '' : JSON.stringify(value) };
}

function fromJson(answer: JsonAnswer): Answer {
  return json(answer.status, answer.json);
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  res.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers });
  res.end(answer.status === 204 ? undefined : answer.body);
}
