/*
 * Sends one signed request over node:http/https, optionally through an HTTP CONNECT proxy
 * (HTTPS_PROXY / HTTP_PROXY, minus NO_PROXY). Sends the exact body bytes and the signed Host.
 * Network and TLS failures become SfErrors that say which one it was.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import { Messages } from '@salesforce/core';
import { REQUEST_TIMEOUT_MS } from './constants.js';
import type { HttpReply } from './response.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'rolesanywhere');

export type OutgoingRequest = { method: string; url: URL; headers: Record<string, string>; body: string };

export type SendOptions = { proxy?: URL; timeoutMs?: number };

/** The proxy Go's http.ProxyFromEnvironment would pick for `target` (HTTPS_PROXY for https, HTTP_PROXY for http). */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const pick = (...names: string[]): string | undefined => names.map((n) => env[n]).find((v) => v && v.trim() !== '');
  const raw = target.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy') : pick('HTTP_PROXY', 'http_proxy');
  if (!raw) return undefined;
  const noProxy = (pick('NO_PROXY', 'no_proxy') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const host = target.hostname.toLowerCase();
  const bypass = noProxy.some(
    (entry) => entry === '*' || host === entry.replace(/^\./, '') || host.endsWith(entry.startsWith('.') ? entry : `.${entry}`)
  );
  if (bypass) return undefined;
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw messages.createError('error.BadProxy', [raw]);
  }
}

export async function sendRequest(outgoing: OutgoingRequest, options: SendOptions = {}): Promise<HttpReply> {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const target = outgoing.url;
  const socket = options.proxy ? await openTunnel(options.proxy, target, timeoutMs) : undefined;
  const secure = target.protocol === 'https:';
  const requestOptions: RequestOptions = {
    method: outgoing.method,
    host: target.hostname,
    port: target.port || (secure ? 443 : 80),
    path: `${target.pathname}${target.search}`,
    // Only the signed headers plus the length; Host is the signed one (it carries a non-default port).
    headers: { ...outgoing.headers, 'content-length': String(Buffer.byteLength(outgoing.body)) },
    timeout: timeoutMs,
  };
  if (socket) {
    // Node uses createConnection only when no agent is set.
    requestOptions.createConnection = (): Socket =>
      secure ? tlsConnect({ socket, servername: target.hostname }) : socket;
  } else {
    requestOptions.agent = false;
  }
  return new Promise<HttpReply>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(requestOptions, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
      );
      res.on('error', (error) => reject(networkError(error, target)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => reject(networkError(error, target)));
    req.end(outgoing.body);
  });
}

/** CONNECT host:port through the proxy and hand back the raw tunnel socket. */
async function openTunnel(proxy: URL, target: URL, timeoutMs: number): Promise<Socket> {
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const authority = `${target.hostname}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  return new Promise<Socket>((resolve, reject) => {
    const req = httpRequest({
      method: 'CONNECT',
      host: proxy.hostname,
      port: proxy.port || 80,
      path: authority,
      headers,
      timeout: timeoutMs,
      agent: false,
    });
    req.on('connect', (res: IncomingMessage, socket: Socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(messages.createError('error.ProxyRefused', [proxy.host, String(res.statusCode), authority]));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => reject(messages.createError('error.ProxyUnreachable', [proxy.host, describe(error)])));
    req.end();
  });
}

const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

function networkError(error: Error & { code?: string }, target: URL): Error {
  if (error.code && TLS_CODES.test(error.code)) {
    return messages.createError('error.Tls', [target.host, describe(error)]);
  }
  return messages.createError('error.Network', [target.origin, describe(error)]);
}

function describe(error: Error & { code?: string }): string {
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
