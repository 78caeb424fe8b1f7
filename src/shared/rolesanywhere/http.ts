/*
 * Sends one signed request through undici's EnvHttpProxyAgent, which picks the proxy from
 * HTTPS_PROXY / HTTP_PROXY and honours NO_PROXY (hosts, `.suffix`, `*.wildcard`, `host:port`, `*`, IPv4
 * and IPv6 literals; no CIDR ranges). Sends the exact body bytes and the signed Host. Network, proxy and
 * TLS failures become SfErrors that say which one it was. undici is loaded on first use (startup cost).
 */
import type { LookupFunction } from 'node:net';
import { Messages } from '@salesforce/core';
import { REQUEST_TIMEOUT_MS } from './constants.js';
import type { HttpReply } from './response.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'rolesanywhere');

export type OutgoingRequest = { method: string; url: URL; headers: Record<string, string>; body: string };

export type SendOptions = {
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read (either case, lower case first as undici does). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Name resolution for direct connections (tests resolve every name to 127.0.0.1). */
  lookup?: LookupFunction;
};

type ProxySettings = { httpProxy: string; httpsProxy: string; noProxy: string };

/** The proxy settings undici would read from process.env, read from `env` instead. */
export function proxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const pick = (name: string): string => (env[name.toLowerCase()] ?? env[name] ?? '').trim();
  return { httpProxy: proxyUrl(pick('HTTP_PROXY')), httpsProxy: proxyUrl(pick('HTTPS_PROXY')), noProxy: pick('NO_PROXY') };
}

/** `proxy:3128` means http://proxy:3128, as curl and Go read it; undici needs the scheme. */
function proxyUrl(raw: string): string {
  if (raw === '') return raw;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    return new URL(withScheme).href;
  } catch {
    throw messages.createError('error.BadProxy', [raw]);
  }
}

export async function sendRequest(outgoing: OutgoingRequest, options: SendOptions = {}): Promise<HttpReply> {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const target = outgoing.url;
  const settings = proxySettings(options.env);
  const { EnvHttpProxyAgent, request } = await import('undici');
  // Empty strings (not undefined) so undici never falls back to this process's own environment.
  const dispatcher = new EnvHttpProxyAgent({
    ...settings,
    connect: { timeout: timeoutMs, ...(options.lookup ? { lookup: options.lookup } : {}) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  try {
    const res = await request(target, {
      method: outgoing.method as 'POST',
      // Only the signed headers (Host is the signed one: it carries a non-default port); undici adds the length.
      headers: outgoing.headers,
      body: outgoing.body,
      dispatcher,
    });
    const body = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body };
  } catch (error) {
    throw describeFailure(error as NetError, target, settings);
  } finally {
    void dispatcher.close().catch(() => undefined);
  }
}

type NetError = Error & { code?: string; cause?: NetError; port?: number; address?: string };

const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;
const TUNNEL_REFUSED = /^Proxy response \((\d+)\) !== 200/;

/** Which failure it was: the proxy (refused, unreachable) or the endpoint (TLS, network). */
function describeFailure(error: NetError, target: URL, settings: ProxySettings): Error {
  // undici's rule: an https request uses HTTPS_PROXY, else HTTP_PROXY.
  const rawProxy = target.protocol === 'https:' ? settings.httpsProxy || settings.httpProxy : settings.httpProxy;
  const proxy = rawProxy ? new URL(rawProxy) : undefined;
  const authority = `${target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`;
  const refused = TUNNEL_REFUSED.exec(error.message);
  if (proxy && refused) return messages.createError('error.ProxyRefused', [proxy.host, refused[1], authority]);
  if (proxy && (error.code === 'UND_ERR_PRX_CONN' || isConnectionTo(error, proxy, target))) {
    return messages.createError('error.ProxyUnreachable', [proxy.host, describe(error.cause ?? error)]);
  }
  const tls = [error, error.cause].find((e) => e?.code && TLS_CODES.test(e.code));
  if (tls) return messages.createError('error.Tls', [target.host, describe(tls)]);
  return messages.createError('error.Network', [target.origin, describe(error)]);
}

/** A socket error on the proxy's port (and not the target's): the proxy itself cannot be reached. */
function isConnectionTo(error: NetError, proxy: URL, target: URL): boolean {
  const port = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return error.port !== undefined && error.port === port(proxy) && error.port !== port(target);
}

function describe(error: NetError): string {
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
