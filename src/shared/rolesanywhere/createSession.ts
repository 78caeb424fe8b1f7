/*
 * The IAM Roles Anywhere pre-flight: read the certificate and key, check them locally, call
 * CreateSession once, and report what AWS answered. Free of oclif so `sf iamra configure
 * --preflight` can call verifyRolesAnywhere directly.
 */
import { Messages, SfError } from '@salesforce/core';
import { type ArnInput, resolveArnInput, type ResolvedArns } from '../aws/arnResolver.js';
import {
  readCredentialMaterial,
  type CredentialMaterial,
  type CredentialSource,
  type SecretAsker,
} from '../keystore/intake.js';
import { readInputFile } from '../files/inputFile.js';
import { parseCertificates } from '../keystore/pem.js';
import { defaultEndpoint, DEFAULT_DURATION_SECONDS, MAX_DURATION_SECONDS, MIN_DURATION_SECONDS } from './constants.js';
import { buildCreateSessionRequest } from './createSessionRequest.js';
import { diagnoseServiceError } from './diagnosis.js';
import { sendRequest } from './http.js';
import { commonName, describeKey, intermediatesToSend, localFindings, oneLine } from './localChecks.js';
import { parseCreateSessionReply, type SessionCredentials } from './response.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'rolesanywhere');

export type RolesAnywhereCheckRequest = ArnInput & {
  /** The ARNs already resolved from the ArnInput (configure resolves them once per run); else resolved here. */
  arns?: ResolvedArns;
  /** Files to read (PEM pair, PKCS#12, JKS), or material the caller already holds. */
  credential: CredentialSource | { kind: 'material'; material: CredentialMaterial };
  /** Asked lazily for a key passphrase / keystore password; not needed for 'material'. */
  askSecret?: SecretAsker;
  /** PEM bundle of the trust anchor's CA certificates, checked as the chain's root. */
  trustAnchorCertificateFile?: string;
  durationSeconds?: number;
  /** Signing region; default the trust anchor's. */
  region?: string;
  /** Base URL (scheme, host, port; no path). Default https://rolesanywhere.<region>.amazonaws.com */
  endpoint?: string;
  roleSessionName?: string;
  /** Clock, injectable for tests. */
  now?: () => Date;
  /** Environment for HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  env?: NodeJS.ProcessEnv;
  /** Receives the canonical request and the string to sign (public data only). */
  onDebug?: (label: 'canonicalRequest' | 'stringToSign', text: string) => void;
  /** Receives non-fatal findings (e.g. certificate close to expiry). */
  onWarning?: (message: string) => void;
};

export type VerifyResult = {
  assumedRoleArn: string;
  assumedRoleId?: string;
  roleArn: string;
  subjectArn?: string;
  sourceIdentity?: string;
  /** When the issued credentials expire (ISO-8601, from AWS). */
  expiration: string;
  trustAnchorArn: string;
  profileArn: string;
  region: string;
  endpoint: string;
  durationSeconds: number;
  certificate: {
    subject: string;
    issuer: string;
    serialNumber: string;
    notAfter: string;
    keyType: string;
    /** Intermediates sent in X-Amz-X509-Chain. */
    intermediates: number;
  };
  warnings: string[];
};

export type CreatedSessionResult = { result: VerifyResult; credentials: SessionCredentials };

/** Calls CreateSession and returns only what is safe to show: never the secret key or the session token. */
export async function verifyRolesAnywhere(request: RolesAnywhereCheckRequest): Promise<VerifyResult> {
  return (await createSession(request)).result;
}

/** Calls CreateSession and returns the temporary credentials too (for credential-process only). */
export async function createSession(request: RolesAnywhereCheckRequest): Promise<CreatedSessionResult> {
  const now = request.now ?? ((): Date => new Date());
  const arns =
    request.arns ?? (await resolveArnInput(request));
  const region = checkRegion(request.region ?? arns.region);
  const endpoint = parseEndpoint(request.endpoint ?? defaultEndpoint(region));
  const durationSeconds = checkDuration(request.durationSeconds ?? DEFAULT_DURATION_SECONDS);
  const material = await loadMaterial(request);
  const trustAnchorBundle = request.trustAnchorCertificateFile
    ? parseCertificates(
        await readInputFile(request.trustAnchorCertificateFile, 'trust anchor certificate'),
        request.trustAnchorCertificateFile
      )
    : undefined;

  const leaf = material.chain[0];
  const findings = localFindings(material.key, material.chain, now(), trustAnchorBundle);
  const refusal = findings.find((f) => f.severity === 'error');
  // Named after the finding (e.g. LeafIsCaError) so scripts can tell the local refusals apart.
  if (refusal) throw new SfError(refusal.message, `${refusal.code}Error`, [refusal.action]);
  const warnings = findings.map((f) => f.message);
  warnings.forEach((w) => request.onWarning?.(w));

  const intermediates = intermediatesToSend(material.chain);
  const target = {
    endpoint,
    region,
    trustAnchorArn: arns.trustAnchorArn.text,
    profileArn: arns.profileArn.text,
    roleArn: arns.roleArn.text,
    durationSeconds,
    roleSessionName: request.roleSessionName,
  };
  const httpRequest = buildCreateSessionRequest(target, { key: material.key, leaf, intermediates }, now());
  request.onDebug?.('canonicalRequest', httpRequest.canonicalRequest);
  request.onDebug?.('stringToSign', httpRequest.stringToSign);

  const reply = await sendRequest(httpRequest, { env: request.env ?? process.env });
  const parsed = parseCreateSessionReply(reply);
  if (!parsed.ok) {
    throw diagnoseServiceError(parsed.error, {
      ...target,
      endpoint: endpoint.origin,
      subjectCommonName: commonName(leaf),
      localNow: now(),
    });
  }
  const session = parsed.session;
  return {
    credentials: session.credentials,
    result: {
      assumedRoleArn: session.assumedRoleArn,
      assumedRoleId: session.assumedRoleId,
      roleArn: session.roleArn ?? target.roleArn,
      subjectArn: session.subjectArn,
      sourceIdentity: session.sourceIdentity,
      expiration: session.credentials.expiration,
      trustAnchorArn: target.trustAnchorArn,
      profileArn: target.profileArn,
      region,
      endpoint: endpoint.origin,
      durationSeconds,
      certificate: {
        subject: oneLine(leaf.subject),
        issuer: oneLine(leaf.issuer),
        serialNumber: leaf.serialNumber,
        notAfter: new Date(leaf.validTo).toISOString(),
        keyType: describeKey(material.key),
        intermediates: intermediates.length,
      },
      warnings,
    },
  };
}

function checkRegion(region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw messages.createError('error.BadRegion', [region]);
  return region;
}

function checkDuration(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
    throw messages.createError('error.BadDuration', [String(seconds), String(MIN_DURATION_SECONDS), String(MAX_DURATION_SECONDS)]);
  }
  return seconds;
}

/** The service signs `/sessions` at the root, so an endpoint with a path would mis-sign: refuse it. */
function parseEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw messages.createError('error.BadEndpoint', [text]);
  }
  if (!['https:', 'http:'].includes(url.protocol) || url.username || url.password) {
    throw messages.createError('error.BadEndpoint', [text]);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw messages.createError('error.EndpointHasPath', [text]);
  }
  return url;
}

async function loadMaterial(request: RolesAnywhereCheckRequest): Promise<CredentialMaterial> {
  if (request.credential.kind === 'material') return request.credential.material;
  return readCredentialMaterial(request.credential, request.askSecret ?? ((): Promise<undefined> => Promise.resolve(undefined)));
}
