import { createServer, type Server } from 'node:http';
import { connect, type Socket, type AddressInfo } from 'node:net';
import { expect } from 'chai';
import { proxyFor, sendRequest } from '../../src/shared/rolesanywhere/http.js';
import { newEndpoint } from './world.js';

describe('HTTP adapter', () => {
  it('picks HTTPS_PROXY for https, HTTP_PROXY for http, and honours NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'proxy2:8080', NO_PROXY: 'localhost,.internal' };
    expect(proxyFor(new URL('https://rolesanywhere.us-west-2.amazonaws.com'), env)?.host).to.equal('proxy:3128');
    expect(proxyFor(new URL('http://example.com'), env)?.host).to.equal('proxy2:8080');
    expect(proxyFor(new URL('https://a.internal'), env)).to.equal(undefined);
    expect(proxyFor(new URL('http://localhost:1'), env)).to.equal(undefined);
    expect(proxyFor(new URL('https://x.amazonaws.com'), {})).to.equal(undefined);
  });

  it('tunnels through an HTTP CONNECT proxy and the signed request still verifies', async () => {
    const endpoint = await newEndpoint().start();
    const tunnels: string[] = [];
    const proxy: Server = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const target = new URL(`${endpoint.url}/sessions?x=1`);
      const reply = await sendRequest(
        { method: 'POST', url: target, headers: { host: target.host, 'content-type': 'application/json' }, body: '{}' },
        { proxy: new URL(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`) }
      );
      expect(tunnels).to.deep.equal([target.host]);
      // unsigned: the endpoint must refuse it, proving the bytes went through the tunnel to it
      expect(reply.status).to.equal(403);
      expect(endpoint.received).to.have.length(1);
    } finally {
      proxy.close();
      await endpoint.stop();
    }
  });

  it('names a proxy that refuses the tunnel', async () => {
    const proxy: Server = createServer();
    proxy.on('connect', (_req, client: Socket) => client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    try {
      const error = await sendRequest(
        { method: 'POST', url: new URL('https://rolesanywhere.us-west-2.amazonaws.com/sessions'), headers: {}, body: '' },
        { proxy: new URL(`http://127.0.0.1:${port}`) }
      ).catch((e: Error) => e);
      expect((error as Error).name).to.equal('ProxyRefusedError');
      expect((error as Error).message).to.include('407').and.include('rolesanywhere.us-west-2.amazonaws.com:443');
    } finally {
      proxy.close();
    }
  });
});
