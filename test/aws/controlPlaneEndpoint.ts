/*
 * A local AWS control-plane endpoint for tests: CloudFormation (Query protocol, XML answers), ACM and
 * AWS Private CA (JSON 1.1, chosen by X-Amz-Target) on one port, so the SDK's own serializers talk to
 * it through AWS_ENDPOINT_URL. Not a yes-machine: every request's SigV4 signature is verified
 * (test/aws/sigv4Verifier.ts) and its credential scope must name the service the target belongs to
 * and one of the endpoint's regions; resources live in the region of their ARN, so a client signing
 * for another region finds nothing, as on AWS. Required members are checked, blobs are base64, errors
 * have AWS's shapes. IssueCertificate signs the CSR with a real test CA and GetCertificate answers
 * RequestInProgressException a few times first; ExportCertificate encrypts the key as ACM does
 * (PKCS#8 PBES2, PBKDF2-HMAC-SHA1, AES-256-CBC) with the passphrase the client sent.
 * TEST-ONLY.
 */
import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import type { TestCa } from '../helpers/testCa.js';
import { type KnownCredential, verifySigV4 } from './sigv4Verifier.js';

export type StackConfig = {
  name: string;
  region: string;
  status: string;
  outputs: Array<{ OutputKey: string; OutputValue: string; Description?: string }>;
};

export type CertificateAuthorityConfig = {
  arn: string;
  ca: TestCa;
  status?: 'ACTIVE' | 'DISABLED' | 'PENDING_CERTIFICATE' | 'EXPIRED' | 'DELETED' | 'CREATING' | 'FAILED';
  usageMode?: 'GENERAL_PURPOSE' | 'SHORT_LIVED_CERTIFICATE';
  /** Refuse every CSR as MalformedCSRException (a CSR whose signature or subject the CA will not take). */
  rejectCsr?: boolean;
};

export type AcmCertificateConfig = {
  arn: string;
  type: 'PRIVATE' | 'IMPORTED' | 'AMAZON_ISSUED';
  status: 'ISSUED' | 'PENDING_VALIDATION' | 'EXPIRED' | 'REVOKED' | 'FAILED' | 'INACTIVE' | 'VALIDATION_TIMED_OUT';
  certificatePem: string;
  chainPem: string;
  /** Unencrypted PKCS#8 PEM; encrypted with the client's passphrase on export. */
  privateKeyPem: string;
  certificateAuthorityArn?: string;
};

export type ControlPlaneConfig = {
  accountId: string;
  /** Regions this endpoint answers for (a request signed for another is refused, as another host would be). */
  regions: string[];
  credentials: KnownCredential[];
  stacks?: StackConfig[];
  certificateAuthorities?: CertificateAuthorityConfig[];
  acmCertificates?: AcmCertificateConfig[];
  /** IAM actions (`acm:ExportCertificate`) the caller is not allowed. */
  deniedActions?: string[];
  /** GetCertificate answers RequestInProgressException this many times per certificate. Default 2. */
  pendingPolls?: number;
  /** Answer ThrottlingException this many times to the named operation (`DescribeStacks`) first. */
  throttle?: Record<string, number>;
};

export type ControlPlaneCall = { service: string; operation: string; region: string; status: number; body: string };

type Issued = { caArn: string; pem: string; polls: number };

const CFN_XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const TARGETS: Record<string, string> = { CertificateManager: 'acm', ACMPrivateCA: 'acm-pca' };

class AwsError extends Error {
  public constructor(public readonly status: number, public readonly code: string, message: string) {
    super(message);
  }
}

export class ControlPlaneEndpoint {
  /** Every request as answered, for assertions (which region and service a client signed for). */
  public readonly calls: ControlPlaneCall[] = [];
  /** Passphrases clients sent to ExportCertificate (so tests can scan for them). */
  public readonly exportPassphrases: string[] = [];
  private server?: Server;
  private readonly issued = new Map<string, Issued>();
  private readonly throttled = new Map<string, number>();

  public constructor(private readonly config: ControlPlaneConfig) {}

  public get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('endpoint not started');
    return `http://127.0.0.1:${address.port}`;
  }

  public async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = req.headers['x-amz-target'] as string | undefined;
    const service = target ? TARGETS[target.split('.')[0]] ?? 'unknown' : 'cloudformation';
    const query = service === 'cloudformation';
    const operation = target ? target.split('.')[1] ?? '' : new URLSearchParams(body.toString()).get('Action') ?? '';
    let region = '';
    const answer = (status: number, text: string, contentType: string): void => {
      this.calls.push({ service, operation, region, status, body: text });
      res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });
      res.end(text);
    };
    try {
      region = this.authenticate(req, body, service);
      this.checkThrottle(operation);
      if (query) {
        answer(200, this.cloudFormation(new URLSearchParams(body.toString()), region), 'text/xml');
      } else {
        if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
          throw new AwsError(400, 'SerializationException', 'Expected content-type application/x-amz-json-1.1');
        }
        const input = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
        const output = service === 'acm' ? this.acm(operation, input, region) : this.acmPca(operation, input, region);
        answer(200, JSON.stringify(output), 'application/x-amz-json-1.1');
      }
    } catch (error) {
      const e = error instanceof AwsError ? error : new AwsError(500, 'InternalFailure', (error as Error).message);
      if (query) {
        const type = e.status >= 500 ? 'Receiver' : 'Sender';
        answer(
          e.status,
          `<ErrorResponse xmlns="${CFN_XMLNS}"><Error><Type>${type}</Type><Code>${e.code}</Code><Message>${xml(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
          'text/xml'
        );
      } else {
        answer(e.status, JSON.stringify({ __type: e.code, message: e.message }), 'application/x-amz-json-1.1');
      }
    }
  }

  /** The region the request was signed for, or an AWS refusal. */
  private authenticate(req: IncomingMessage, body: Buffer, service: string): string {
    const auth = (req.headers.authorization ?? '');
    const scopeRegion = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1] ?? '';
    const region = this.config.regions.includes(scopeRegion) ? scopeRegion : this.config.regions[0];
    const outcome = verifySigV4(
      { method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body },
      { region, service, credentials: this.config.credentials }
    );
    if (!outcome.ok) {
      const status = outcome.refusal.code === 'AuthorizationHeaderMalformed' || outcome.refusal.code === 'IncompleteSignature' ? 400 : 403;
      throw new AwsError(status, outcome.refusal.code, outcome.refusal.message);
    }
    return region;
  }

  private checkThrottle(operation: string): void {
    const left = this.throttled.get(operation) ?? this.config.throttle?.[operation] ?? 0;
    if (left > 0) {
      this.throttled.set(operation, left - 1);
      throw new AwsError(400, operation === 'DescribeStacks' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded');
    }
    this.throttled.set(operation, 0);
  }

  private authorize(action: string, resource: string): void {
    if (this.config.deniedActions?.includes(action)) {
      throw new AwsError(
        action.startsWith('cloudformation:') ? 403 : 400,
        action.startsWith('cloudformation:') ? 'AccessDenied' : 'AccessDeniedException',
        `User: arn:aws:iam::${this.config.accountId}:user/tester is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
      );
    }
  }

  private cloudFormation(params: URLSearchParams, region: string): string {
    if (params.get('Action') !== 'DescribeStacks') throw new AwsError(400, 'InvalidAction', `Could not find operation ${params.get('Action') ?? ''}`);
    if (params.get('Version') !== '2010-05-15') throw new AwsError(400, 'InvalidParameterValue', 'Version must be 2010-05-15');
    const name = params.get('StackName');
    if (!name) throw new AwsError(400, 'ValidationError', 'StackName is required by this test endpoint');
    this.authorize('cloudformation:DescribeStacks', `arn:aws:cloudformation:${region}:${this.config.accountId}:stack/${name}/*`);
    const stack = (this.config.stacks ?? []).find((s) => s.region === region && s.name === name);
    if (!stack) throw new AwsError(400, 'ValidationError', `Stack with id ${name} does not exist`);
    const outputs = stack.outputs
      .map(
        (o) =>
          `<member><OutputKey>${xml(o.OutputKey)}</OutputKey><OutputValue>${xml(o.OutputValue)}</OutputValue>${o.Description ? `<Description>${xml(o.Description)}</Description>` : ''}</member>`
      )
      .join('');
    const stackId = `arn:aws:cloudformation:${region}:${this.config.accountId}:stack/${stack.name}/0a1b2c3d-0000-0000-0000-000000000000`;
    return (
      `<DescribeStacksResponse xmlns="${CFN_XMLNS}"><DescribeStacksResult><Stacks><member>` +
      `<StackId>${stackId}</StackId><StackName>${xml(stack.name)}</StackName><CreationTime>2026-01-01T00:00:00.000Z</CreationTime>` +
      `<StackStatus>${stack.status}</StackStatus><Outputs>${outputs}</Outputs>` +
      `</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`
    );
  }

  private acm(operation: string, input: Record<string, unknown>, region: string): unknown {
    const arn = required(input, 'CertificateArn');
    const certificate = this.acmCertificate(arn, region);
    if (operation === 'DescribeCertificate') {
      this.authorize('acm:DescribeCertificate', arn);
      const x509 = new X509Certificate(certificate.certificatePem);
      return {
        Certificate: {
          CertificateArn: arn,
          DomainName: /CN=([^\n,]+)/.exec(x509.subject)?.[1] ?? '',
          Subject: x509.subject.replace(/\n/g, ','),
          Serial: x509.serialNumber,
          Status: certificate.status,
          Type: certificate.type,
          KeyAlgorithm: 'RSA_2048',
          NotBefore: Date.parse(x509.validFrom) / 1000,
          NotAfter: Date.parse(x509.validTo) / 1000,
          ...(certificate.certificateAuthorityArn ? { CertificateAuthorityArn: certificate.certificateAuthorityArn } : {}),
        },
      };
    }
    if (operation === 'ExportCertificate') {
      this.authorize('acm:ExportCertificate', arn);
      const passphrase = Buffer.from(required(input, 'Passphrase'), 'base64').toString('latin1');
      if (passphrase.length < 4 || passphrase.length > 128 || /[#$%]/.test(passphrase) || /[^\x20-\x7e]/.test(passphrase)) {
        throw new AwsError(400, 'ValidationException', 'Passphrase must be 4 to 128 printable ASCII characters other than #, $ and %');
      }
      if (certificate.type !== 'PRIVATE') {
        throw new AwsError(400, 'ValidationException', `Certificate ARN: ${arn} is not a private certificate`);
      }
      if (certificate.status !== 'ISSUED') throw new AwsError(400, 'RequestInProgressException', `Certificate ${arn} is not in ISSUED state`);
      this.exportPassphrases.push(passphrase);
      return {
        Certificate: certificate.certificatePem,
        CertificateChain: certificate.chainPem,
        PrivateKey: acmEncryptedKey(certificate.privateKeyPem, passphrase),
      };
    }
    throw new AwsError(400, 'UnknownOperationException', `Unknown operation ${operation}`);
  }

  private acmCertificate(arn: string, region: string): AcmCertificateConfig {
    if (!/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/.test(arn)) {
      throw new AwsError(400, 'InvalidArnException', `The ARN ${arn} is not valid.`);
    }
    const certificate = (this.config.acmCertificates ?? []).find((c) => c.arn === arn && arn.split(':')[3] === region);
    if (!certificate) throw new AwsError(400, 'ResourceNotFoundException', `Could not find certificate ${arn}.`);
    return certificate;
  }

  private acmPca(operation: string, input: Record<string, unknown>, region: string): unknown {
    const caArn = required(input, 'CertificateAuthorityArn');
    const ca = (this.config.certificateAuthorities ?? []).find((c) => c.arn === caArn && caArn.split(':')[3] === region);
    if (operation === 'IssueCertificate') return this.issueCertificate(input, caArn, ca);
    if (operation === 'GetCertificate') {
      const certificateArn = required(input, 'CertificateArn');
      this.authorize('acm-pca:GetCertificate', caArn);
      const issued = this.issued.get(certificateArn);
      if (!ca || !issued || issued.caArn !== caArn) throw new AwsError(400, 'ResourceNotFoundException', `Could not find certificate ${certificateArn}.`);
      if (issued.polls > 0) {
        issued.polls -= 1;
        throw new AwsError(400, 'RequestInProgressException', 'The request is still in progress.');
      }
      return { Certificate: issued.pem.trim(), CertificateChain: ca.ca.chainPem.trim() };
    }
    throw new AwsError(400, 'UnknownOperationException', `Unknown operation ${operation}`);
  }

  private issueCertificate(input: Record<string, unknown>, caArn: string, ca: CertificateAuthorityConfig | undefined): unknown {
      this.authorize('acm-pca:IssueCertificate', caArn);
      const csrPem = Buffer.from(required(input, 'Csr'), 'base64').toString('utf8');
      const algorithm = required(input, 'SigningAlgorithm');
      const validity = input.Validity as { Value?: number; Type?: string } | undefined;
      if (!validity || typeof validity.Value !== 'number' || !validity.Type) {
        throw new AwsError(400, 'ValidationException', "1 validation error detected: Value at 'validity' failed to satisfy constraint: Member must not be null");
      }
      if (!ca) throw new AwsError(400, 'ResourceNotFoundException', `Could not find certificate authority ${caArn}.`);
      if ((ca.status ?? 'ACTIVE') !== 'ACTIVE') {
        throw new AwsError(400, 'InvalidStateException', `The certificate authority ${caArn} is not in the correct state to issue certificates (${ca.status}).`);
      }
      const days = validity.Type === 'DAYS' ? validity.Value : validity.Type === 'YEARS' ? validity.Value * 365 : NaN;
      if (ca.usageMode === 'SHORT_LIVED_CERTIFICATE' && !(days <= 7)) {
        throw new AwsError(400, 'ValidationException', 'Certificates issued by a SHORT_LIVED_CERTIFICATE certificate authority must be valid for 7 days or less.');
      }
      if (algorithm !== 'SHA256WITHRSA' && algorithm !== 'SHA384WITHRSA' && algorithm !== 'SHA512WITHRSA') {
        throw new AwsError(400, 'InvalidArgsException', `Signing algorithm ${algorithm} does not match the certificate authority's RSA key.`);
      }
      let pem: string;
      try {
        if (ca.rejectCsr) throw new Error('rejected');
        pem = ca.ca.sign(csrPem, { notAfter: new Date(Date.now() + days * 86_400_000) });
      } catch {
        throw new AwsError(400, 'MalformedCSRException', 'The certificate signing request is invalid.');
      }
      const certificateArn = `${caArn}/certificate/${randomBytes(16).toString('hex')}`;
      this.issued.set(certificateArn, { caArn, pem, polls: this.config.pendingPolls ?? 2 });
      return { CertificateArn: certificateArn };
  }
}

function required(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') {
    throw new AwsError(400, 'ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * ACM's export format: PKCS#8 EncryptedPrivateKeyInfo, PBES2 with PBKDF2 (HMAC-SHA1, the PRF left at
 * its default) and AES-256-CBC; what `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA1` gives.
 */
export function acmEncryptedKey(pkcs8Pem: string, passphrase: string): string {
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(forge.pki.privateKeyFromPem(pkcs8Pem)));
  const encrypted = forge.pki.encryptPrivateKeyInfo(info, passphrase, { algorithm: 'aes256', count: 2048, saltSize: 8, prfAlgorithm: 'sha1' });
  return forge.pki.encryptedPrivateKeyToPem(encrypted).replace(/\r\n/g, '\n');
}
