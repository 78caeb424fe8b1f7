import { verify } from 'node:crypto';
import { expect } from 'chai';
import { buildCreateSessionRequest } from '../../src/shared/rolesanywhere/createSessionRequest.js';
import { loadVector, parseAmzDate, vectorMaterial, type Vector } from './vectors.js';

const UNSIGNED_TRANSPORT_HEADERS = new Set(['user-agent', 'transfer-encoding', 'accept-encoding', 'content-length']);

function build(v: Vector): ReturnType<typeof buildCreateSessionRequest> {
  const { key, leaf, intermediates } = vectorMaterial(v);
  return buildCreateSessionRequest(
    {
      endpoint: new URL(`http://${v.inputs.endpointHost}`),
      region: v.inputs.region,
      trustAnchorArn: v.inputs.trustAnchorArn,
      profileArn: v.inputs.profileArn,
      roleArn: v.inputs.roleArn,
      durationSeconds: v.inputs.durationSeconds,
    },
    { key, leaf, intermediates },
    parseAmzDate(v.xAmzDate)
  );
}

function capturedSignedHeaders(v: Vector): Record<string, string> {
  return Object.fromEntries(Object.entries(v.request.headers).filter(([name]) => !UNSIGNED_TRANSPORT_HEADERS.has(name)));
}

describe('CreateSession request builder against requests captured from AWS credential helper', () => {
  it('reproduces the RSA vector byte for byte: URL, body and every signed header including Authorization', () => {
    const v = loadVector('rsa2048-chain');
    const request = build(v);
    expect(request.method).to.equal(v.request.method);
    expect(request.url.pathname).to.equal(v.request.path);
    expect(request.url.search).to.equal(`?${v.request.query}`);
    expect(request.url.toString()).to.equal(`http://${v.inputs.endpointHost}${v.request.path}?${v.request.query}`);
    expect(request.body).to.equal(v.request.body);
    expect(request.headers).to.deep.equal(capturedSignedHeaders(v));
  });

  it('ECDSA: matches everything up to Signature=, and both the captured and our signature verify with the leaf key', () => {
    const v = loadVector('ec-p256');
    const request = build(v);
    const { leaf } = vectorMaterial(v);
    const captured = capturedSignedHeaders(v);
    const [capturedPrefix, capturedSig] = captured.authorization.split('Signature=');
    const [ourPrefix, ourSig] = request.headers.authorization.split('Signature=');
    expect(ourPrefix).to.equal(capturedPrefix);
    expect({ ...request.headers, authorization: '' }).to.deep.equal({ ...captured, authorization: '' });
    expect(request.url.search).to.equal(`?${v.request.query}`);
    expect(request.body).to.equal(v.request.body);
    const data = Buffer.from(request.stringToSign);
    expect(verify('sha256', data, leaf.publicKey, Buffer.from(capturedSig, 'hex')), 'captured signature').to.equal(true);
    expect(verify('sha256', data, leaf.publicKey, Buffer.from(ourSig, 'hex')), 'our signature').to.equal(true);
    // and it is not a yes-check: a different string to sign must fail
    expect(verify('sha256', Buffer.from(request.stringToSign + 'x'), leaf.publicKey, Buffer.from(ourSig, 'hex'))).to.equal(false);
  });

  it('adds roleSessionName to the body only when asked and keeps a non-default port in Host', () => {
    const v = loadVector('rsa2048-chain');
    const { key, leaf, intermediates } = vectorMaterial(v);
    const request = buildCreateSessionRequest(
      {
        endpoint: new URL('https://rolesanywhere.us-west-2.amazonaws.com'),
        region: 'us-west-2',
        trustAnchorArn: v.inputs.trustAnchorArn,
        profileArn: v.inputs.profileArn,
        roleArn: v.inputs.roleArn,
        durationSeconds: 900,
        roleSessionName: 'sf admin',
      },
      { key, leaf, intermediates },
      new Date('2026-11-22T04:13:55Z')
    );
    expect(request.body).to.equal('{"durationSeconds":900,"roleSessionName":"sf admin"}');
    expect(request.headers.host).to.equal('rolesanywhere.us-west-2.amazonaws.com');
    expect(request.canonicalRequest).to.include('\nhost:rolesanywhere.us-west-2.amazonaws.com\n');
    expect(request.stringToSign.split('\n').slice(0, 3)).to.deep.equal([
      'AWS4-X509-RSA-SHA256',
      '20261122T041355Z',
      '20261122/us-west-2/rolesanywhere/aws4_request',
    ]);
  });
});
