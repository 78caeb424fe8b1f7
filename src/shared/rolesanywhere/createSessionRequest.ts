/*
 * Builds the signed CreateSession request exactly as the AWS credential helper does
 * (ARNs in the query, compact JSON body). Pure: inputs and the time in, request out.
 */
import { CREATE_SESSION_PATH, SERVICE } from './constants.js';
import { signX509Request, type X509SigningIdentity } from './sigv4x509.js';

export type CreateSessionTarget = {
  /** Base URL without a path, e.g. https://rolesanywhere.us-west-2.amazonaws.com */
  endpoint: URL;
  region: string;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  durationSeconds: number;
  roleSessionName?: string;
};

export type CreateSessionHttpRequest = {
  method: 'POST';
  url: URL;
  headers: Record<string, string>;
  body: string;
  /** Public signing intermediates for --debug (never key material). */
  canonicalRequest: string;
  stringToSign: string;
};

export function buildCreateSessionRequest(
  target: CreateSessionTarget,
  identity: X509SigningIdentity,
  now: Date
): CreateSessionHttpRequest {
  const body = JSON.stringify({
    durationSeconds: target.durationSeconds,
    ...(target.roleSessionName ? { roleSessionName: target.roleSessionName } : {}),
  });
  const signed = signX509Request(
    {
      method: 'POST',
      path: CREATE_SESSION_PATH,
      query: [
        ['profileArn', target.profileArn],
        ['roleArn', target.roleArn],
        ['trustAnchorArn', target.trustAnchorArn],
      ],
      // URL.host keeps a non-default port and drops a default one, as Host must be sent.
      headers: { 'content-type': 'application/json', host: target.endpoint.host },
      body,
    },
    identity,
    { region: target.region, service: SERVICE, now }
  );
  const url = new URL(`${target.endpoint.origin}${CREATE_SESSION_PATH}?${signed.query}`);
  return {
    method: 'POST',
    url,
    headers: signed.headers,
    body,
    canonicalRequest: signed.canonicalRequest,
    stringToSign: signed.stringToSign,
  };
}
