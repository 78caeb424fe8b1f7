/*
 * A callout through a named credential, as Salesforce runs it for AwsSv4 + Roles Anywhere: the named
 * credential (URL, external credential, allowed namespaces, calloutStatus), the external credential
 * (protocol, variant, service, region, trust anchor, profile, duration, signing certificate), the principal
 * the running user holds through a permission set and its awsRoleArn; then a real CreateSession over HTTP
 * signed SigV4-X509 with the key the org holds, and the outgoing request signed SigV4 with the temporary
 * credentials it received, sent to the AWS host the URL names (routed by callout/awsHosts.ts). Every
 * route into Apex (Tooling executeAnonymous, Apex SOAP, a package's code) comes through performCallout.
 */
import { request as httpRequest } from 'node:http';
import type { NamedCredentialRecord, OrgState, UserRecord } from '../org/state.js';
import {
  calloutMessages,
  DEFAULT_AWS_VARIANT,
  inferredMessages,
} from '../rules/inferred.js';
import { signCreateSession, signSigV4, type OutgoingRequest } from './signing.js';

/** What the endpoint answered to the callout (or why there was none). */
export type CalloutOutcome = { kind: 'response'; status: number; statusText: string; body: string } | { kind: 'exception'; message: string };

/** The HttpRequest Apex built. */
export type ApexHttpRequest = { endpoint: string; method: string; headers: Record<string, string>; body: string };

/** Who calls: anonymous Apex (no namespace) or code of an installed package (its namespace, e.g. awsapn). */
export type Caller = { user: UserRecord; namespace?: string; now?: () => Date };

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type Exception = Extract<CalloutOutcome, { kind: 'exception' }>;
const exception = (message: string): Exception => ({ kind: 'exception', message });

export async function performCallout(state: OrgState, caller: Caller, apex: ApexHttpRequest): Promise<CalloutOutcome> {
  const now = caller.now?.() ?? new Date();
  const resolved = namedCredentialFor(state, caller, apex.endpoint);
  if ('kind' in resolved) return resolved;
  const { nc, url } = resolved;
  const outgoing: OutgoingRequest = {
    method: apex.method || 'GET',
    host: url.host,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    headers: Object.fromEntries(Object.entries(apex.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: apex.body,
  };
  if (nc.namedCredentialType === 'Legacy') {
    // A Legacy credential signs with the long-term access key typed into it years ago; AWS judges it.
    const legacyKey = { accessKeyId: 'AKIALEGACYNAMEDCRED', secretAccessKey: 'legacy-named-credential-secret' };
    const scope = awsScopeOf(url.hostname) ?? { region: 'us-east-1', service: 'sts' };
    return withFault(state, send(state, signSigV4(outgoing, legacyKey, scope, now)), '', scope.service);
  }
  const ecName = nc.externalCredential ?? '';
  const ec = state.externalCredential(ecName);
  const granted = state.principalAccessesOf(caller.user.id);
  const principal = state.principalsOf(ecName).find((p) => granted.includes(`${ecName}-${p}`));
  // [seen] without the principal grant (or the credential) the callout fails at runtime.
  if (!ec || !principal) return exception(inferredMessages.calloutNoAccess(ecName));
  if (ec.authenticationProtocol !== 'AwsSv4') return exception(calloutMessages.notAwsSv4(ec.authenticationProtocol));
  const param = (parameterName: string): string | undefined => ec.parameters.find((p) => p.parameterName === parameterName)?.parameterValue;
  const variant = ec.parameters.find((p) => p.parameterType === 'AuthProtocolVariant')?.parameterValue ?? DEFAULT_AWS_VARIANT;
  const service = param('AwsService');
  const region = param('AwsRegion');
  if (!service) return exception(calloutMessages.missingParameter('AwsService'));
  if (!region) return exception(calloutMessages.missingParameter('AwsRegion'));
  const stored = state.principalCredential(ecName, principal);
  if (stored && (stored.authenticationProtocol !== 'AwsSv4' || (stored.authenticationProtocolVariant ?? DEFAULT_AWS_VARIANT) !== variant)) {
    return exception(calloutMessages.principalProtocolMismatch(principal));
  }
  const credentials = await credentialsFor(state, { variant, region, principal, stored, ec, now });
  if ('kind' in credentials) return credentials;
  return withFault(state, send(state, signSigV4(outgoing, credentials, { region, service }, now)), stored?.credentials.awsRoleArn?.value, awsScopeOf(url.hostname)?.service);
}

/** The named credential a `callout:<Name>/…` endpoint uses, if this caller may use it, and the URL it makes. */
function namedCredentialFor(state: OrgState, caller: Caller, endpoint: string): { nc: NamedCredentialRecord; url: URL } | Exception {
  const match = /^callout:(\w+)(.*)$/.exec(endpoint);
  if (!match) return exception(`Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = ${endpoint}`);
  const [, name, rest] = match;
  const nc = state.namedCredential(name);
  if (!nc) return exception(inferredMessages.calloutNoNamedCredential(name));
  // [doc] APEX-ANON: a named-credential callout from anonymous Apex needs Customize Application.
  if (!caller.namespace && !caller.user.customizeApplication) return exception(inferredMessages.apexNoCustomizeApplication());
  if (nc.calloutStatus === 'Disabled') return exception(inferredMessages.calloutDisabled(name));
  if (caller.namespace) {
    const ns = caller.namespace.toLowerCase();
    if (!state.installedPackages.some((p) => p.namespacePrefix.toLowerCase() === ns)) return exception(calloutMessages.packageNotInstalled(caller.namespace));
    // [doc] a package's code may use a named credential only if its namespace is allowed (docs/salesforce-metadata.md §4).
    if (!nc.allowedNamespaces.some((a) => a.toLowerCase() === ns)) return exception(calloutMessages.namespaceNotAllowed(name, caller.namespace));
  }
  try {
    return { nc, url: new URL(`${nc.url ?? ''}${rest}`) };
  } catch {
    return exception(`Invalid endpoint URL: ${nc.url ?? ''}${rest}`);
  }
}

type CredentialInputs = {
  variant: string;
  region: string;
  principal: string;
  stored: ReturnType<OrgState['principalCredential']>;
  ec: NonNullable<ReturnType<OrgState['externalCredential']>>;
  now: Date;
};

/** The AWS credentials the variant yields: Roles Anywhere's temporary ones, or the principal's access key. */
async function credentialsFor(state: OrgState, inputs: CredentialInputs): Promise<Credentials | Exception> {
  const { variant, region, principal, stored, ec, now } = inputs;
  const secret = (key: string): string | undefined => stored?.credentials[key]?.value;
  if (variant !== 'RolesAnywhere') {
    // AwsSv4 (access key) and AwsSv4_STS (AssumeRole with the access key) both start from the principal's
    // long-term key; AWS knows none the org could hold, so it refuses the request that uses it.
    const accessKeyId = secret('awsAccessKeyId');
    const secretAccessKey = secret('awsSecretAccessKey');
    if (!accessKeyId || !secretAccessKey) return exception(calloutMessages.noAccessKey(principal));
    return { accessKeyId, secretAccessKey };
  }
  const roleArn = secret('awsRoleArn');
  if (!roleArn) return exception(inferredMessages.calloutNoRoleArn(principal));
  const signing = ec.parameters.find((p) => p.parameterType === 'SigningCertificate');
  const certName = signing?.certificate ?? signing?.parameterValue;
  if (!certName || !state.certificate(certName)) return exception(inferredMessages.calloutNoCertificate(certName ?? ''));
  const key = state.signingKey(certName);
  if (!key) return exception(calloutMessages.certificateWithoutKey(certName));
  const param = (name: string): string | undefined => ec.parameters.find((p) => p.parameterName === name)?.parameterValue;
  const trustAnchorArn = param('AwsTrustAnchorArn');
  const profileArn = param('AwsProfileArn');
  if (!trustAnchorArn) return exception(calloutMessages.missingParameter('AwsTrustAnchorArn'));
  if (!profileArn) return exception(calloutMessages.missingParameter('AwsProfileArn'));
  const durationSeconds = Number(param('AwsStsDuration') ?? 3600);
  const host = `rolesanywhere.${region}.amazonaws.com`;
  const signed = signCreateSession({ host, region, trustAnchorArn, profileArn, roleArn, durationSeconds }, key, now);
  const answer = await send(state, signed);
  if (answer.kind === 'exception') return answer;
  if (answer.status !== 201) {
    const errorType = (answer.headers['x-amzn-errortype'] ?? 'UnknownError').split(':')[0];
    let message = answer.body;
    try {
      message = String((JSON.parse(answer.body) as { message?: unknown }).message ?? answer.body);
    } catch {
      // not JSON: pass the body through
    }
    return exception(calloutMessages.rolesAnywhereRefused(answer.status, errorType, message));
  }
  const session = JSON.parse(answer.body) as { credentialSet: Array<{ credentials: Credentials }> };
  return session.credentialSet[0].credentials;
}

/** The region and service an AWS hostname names (sts.<r>, s3.<r>, <bucket>.s3.<r>, rolesanywhere.<r>). */
function awsScopeOf(hostname: string): { region: string; service: string } | undefined {
  const m = /^(?:.+\.)?(sts|s3|rolesanywhere)[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(hostname);
  return m ? { service: m[1], region: m[2] } : undefined;
}

type Sent = (CalloutOutcome & { kind: 'response'; headers: Record<string, string> }) | Exception;

/** Sends a signed request to the local endpoint the AWS hostname maps to; the Host header stays the AWS one. */
function send(state: OrgState, signed: OutgoingRequest): Promise<Sent> {
  const hostname = signed.host.replace(/:\d+$/, '');
  const base = state.aws.hosts?.resolve(hostname);
  if (!base) return Promise.resolve(exception(calloutMessages.hostUnreachable(hostname)));
  const target = new URL(base);
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: signed.method,
        path: `${signed.path || '/'}${signed.query ? `?${signed.query}` : ''}`,
        headers: signed.headers,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            kind: 'response',
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
            headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v ?? ''])),
          })
        );
      }
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve(exception(`${error.message}: ${hostname}`)));
    req.end(signed.body);
  });
}

/** The rejectRole fault knob replaces AWS's answer once the real chain has run, in the error format of the service called. */
async function withFault(state: OrgState, sent: Promise<Sent>, roleArn = '', service = 'sts'): Promise<CalloutOutcome> {
  const answer = await sent;
  if (answer.kind === 'exception') return answer;
  const { rejectRole, rejectMessage } = state.aws;
  const { kind, status, statusText, body } = answer;
  if (!rejectRole) return { kind, status, statusText, body };
  const message =
    rejectMessage ??
    (rejectRole === 'AccessDenied'
      ? `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`
      : 'The request signature we calculated does not match the signature you provided.');
  if (service === 's3') {
    // [doc] S3 answers errors as a bare <Error> document, not STS's <ErrorResponse>.
    return {
      kind: 'response',
      status: 403,
      statusText: 'Forbidden',
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${rejectRole}</Code><Message>${message}</Message><RequestId>0000000000000000</RequestId></Error>`,
    };
  }
  return {
    kind: 'response',
    status: 403,
    statusText: 'Forbidden',
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${rejectRole}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>00000000-0000-4000-8000-000000000000</RequestId>\n</ErrorResponse>\n`,
  };
}
