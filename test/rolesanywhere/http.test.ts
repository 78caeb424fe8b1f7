/*
 * The HTTP adapter against a local proxy on 127.0.0.1 and a local "direct" server: which NO_PROXY
 * forms bypass the proxy (undici's EnvHttpProxyAgent rules), and which failure is named. Names use the
 * reserved `.test` TLD and resolve to 127.0.0.1 only through the adapter's lookup, so nothing leaves
 * this machine even if a row went wrong.
 */
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type LookupFunction, type Socket } from 'node:net';
import { expect } from 'chai';
import { proxySettings, sendRequest } from '../../src/shared/rolesanywhere/http.js';
import { newEndpoint } from './world.js';

const listen = (server: Server | ReturnType<typeof createTcpServer>, host: string, port = 0): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
const close = (server: { close: (cb: () => void) => void }): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/** Every name resolves to 127.0.0.1 (IP literals never reach a lookup). */
const toLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

describe('HTTP adapter', () => {
  describe('NO_PROXY (local CONNECT proxy and direct server)', () => {
    const tunnels: string[] = [];
    const direct: string[] = [];
    const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket) => {
      tunnels.push(req.url ?? '');
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    // Stands for the endpoint reached directly: records the connection and drops it.
    const directServer = (): ReturnType<typeof createTcpServer> =>
      createTcpServer((socket) => {
        direct.push(socket.remoteAddress ?? '');
        socket.destroy();
      });
    const direct4 = directServer();
    const direct6 = directServer();
    let proxyPort = 0;
    let port = 0;

    before(async () => {
      proxyPort = await listen(proxy, '127.0.0.1');
      port = await listen(direct4, '127.0.0.1');
      await listen(direct6, '::1', port);
    });
    after(async () => {
      await Promise.all([close(proxy), close(direct4), close(direct6)]);
    });

    type Row = { name: string; host: string; noProxy?: string; env?: (proxyUrl: string) => NodeJS.ProcessEnv; port?: (p: number) => number; proxied: boolean };
    const rows: Row[] = [
      { name: 'no NO_PROXY: proxied', host: 'rolesanywhere.us-west-2.amazonaws.test', proxied: true },
      { name: '`*` bypasses everything', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: '*', proxied: false },
      { name: 'exact host', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: 'rolesanywhere.us-west-2.amazonaws.test', proxied: false },
      { name: 'domain matches its subdomains', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: 'amazonaws.test', proxied: false },
      { name: 'leading dot matches subdomains', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: '.amazonaws.test', proxied: false },
      { name: 'leading dot matches the domain itself', host: 'amazonaws.test', noProxy: '.amazonaws.test', proxied: false },
      { name: 'wildcard `*.x` matches subdomains', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: '*.amazonaws.test', proxied: false },
      { name: 'wildcard `*.x` does not match x itself', host: 'amazonaws.test', noProxy: '*.amazonaws.test', proxied: true },
      { name: 'a label suffix is not a domain suffix', host: 'rolesanywhere.amazonaws.test', noProxy: 'aws.test', proxied: true },
      { name: 'other hosts only: proxied', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: 'localhost,example.test', proxied: true },
      { name: 'host:port, same port', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: 'amazonaws.test:{port}', proxied: false },
      { name: 'host:port, other port: proxied', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: 'amazonaws.test:{otherPort}', proxied: true },
      { name: 'case-insensitive, spaces and empty entries', host: 'rolesanywhere.us-west-2.amazonaws.test', noProxy: ' example.test, ,AMAZONAWS.TEST ', proxied: false },
      { name: 'IPv4 literal', host: '127.0.0.1', noProxy: '127.0.0.1', proxied: false },
      { name: 'IPv6 ::1', host: '[::1]', noProxy: '::1', proxied: false },
      { name: 'IPv6 [::1]:port', host: '[::1]', noProxy: '[::1]:{port}', proxied: false },
      { name: 'IPv6 without NO_PROXY: proxied', host: '[::1]', proxied: true },
      // undici 8 has no CIDR ranges in NO_PROXY (Go does): such an entry matches nothing
      { name: 'CIDR 127.0.0.0/8 is not supported by undici: proxied', host: '127.0.0.1', noProxy: '127.0.0.0/8', proxied: true },
      { name: 'CIDR ::1/128 is not supported by undici: proxied', host: '[::1]', noProxy: '::1/128', proxied: true },
      { name: 'lower-case no_proxy', host: 'rolesanywhere.us-west-2.amazonaws.test', env: (p) => ({ ['https_proxy']: p, ['no_proxy']: 'amazonaws.test' }), proxied: false },
      // undici (unlike curl and Go) falls back to HTTP_PROXY for https when HTTPS_PROXY is unset
      { name: 'https with only HTTP_PROXY: proxied through it', host: 'rolesanywhere.us-west-2.amazonaws.test', env: (p) => ({ HTTP_PROXY: p }), proxied: true },
      { name: 'no proxy variable: direct', host: 'rolesanywhere.us-west-2.amazonaws.test', env: () => ({}), proxied: false },
    ];

    for (const row of rows) {
      it(row.name, async () => {
        tunnels.length = 0;
        direct.length = 0;
        const proxyUrl = `http://127.0.0.1:${proxyPort}`;
        const noProxy = row.noProxy?.replace('{port}', String(port)).replace('{otherPort}', String(port + 1));
        const env = row.env ? row.env(proxyUrl) : { HTTPS_PROXY: proxyUrl, ...(noProxy !== undefined ? { NO_PROXY: noProxy } : {}) };
        const url = new URL(`https://${row.host}:${port}/sessions`);
        const error = await sendRequest({ method: 'POST', url, headers: { host: url.host }, body: '{}' }, { env, lookup: toLoopback, timeoutMs: 5000 }).then(
          () => undefined,
          (e: Error) => e
        );
        expect(error, 'both local servers refuse, so the request must fail').to.be.instanceOf(Error);
        if (row.proxied) {
          expect({ tunnels, direct }).to.deep.equal({ tunnels: [`${row.host}:${port}`], direct: [] });
          expect(error?.name).to.equal('ProxyRefusedError');
          expect(error?.message).to.include(`127.0.0.1:${proxyPort}`).and.include('403');
        } else {
          expect(tunnels).to.deep.equal([]);
          expect(direct).to.have.length(1);
          expect(error?.name).to.be.oneOf(['NetworkError', 'TlsError']);
        }
      });
    }
  });

  it('reads proxy URLs as curl does (no scheme means http) and refuses one that is not a URL', () => {
    expect(proxySettings({ HTTPS_PROXY: 'proxy.test:3128' }).httpsProxy).to.equal('http://proxy.test:3128/');
    expect(proxySettings({ ['https_proxy']: 'http://lower.test:1', HTTPS_PROXY: 'http://upper.test:2' }).httpsProxy).to.equal('http://lower.test:1/');
    expect(() => proxySettings({ HTTPS_PROXY: 'http://[bad' })).to.throw(/is not a URL/);
  });

  it('forwards through the proxy (http endpoint: absolute-form request) and the signed request still reaches the endpoint', async () => {
    const endpoint = await newEndpoint().start();
    const forwarded: string[] = [];
    const proxy = createHttpServer((req, res) => {
      forwarded.push(`${req.method ?? ''} ${req.url ?? ''}`);
      const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    const proxyPort = await listen(proxy, '127.0.0.1');
    try {
      const target = new URL(`${endpoint.url}/sessions?x=1`);
      const reply = await sendRequest(
        { method: 'POST', url: target, headers: { host: target.host, 'content-type': 'application/json' }, body: '{}' },
        { env: { HTTP_PROXY: `http://127.0.0.1:${proxyPort}` } }
      );
      expect(forwarded).to.deep.equal([`POST ${target.href}`]);
      // unsigned: the endpoint must refuse it, proving the bytes went through the proxy to it
      expect(reply.status).to.equal(403);
      expect(endpoint.received).to.have.length(1);
    } finally {
      await close(proxy);
      await endpoint.stop();
    }
  });

  it('names a proxy that cannot be reached', async () => {
    const unused = createTcpServer();
    const port = await listen(unused, '127.0.0.1');
    await close(unused);
    const error = await sendRequest(
      { method: 'POST', url: new URL('https://rolesanywhere.us-west-2.amazonaws.test/sessions'), headers: {}, body: '' },
      { env: { HTTPS_PROXY: `http://127.0.0.1:${port}` }, lookup: toLoopback }
    ).catch((e: Error) => e);
    expect((error as Error).name).to.equal('ProxyUnreachableError');
    expect((error as Error).message).to.include(`127.0.0.1:${port}`).and.include('ECONNREFUSED');
  });
});
