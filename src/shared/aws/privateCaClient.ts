/*
 * AWS Private CA's two operations (IssueCertificate, GetCertificate) as JSON 1.1 requests signed with
 * @smithy/signature-v4 from the same SDK tree as the CloudFormation and ACM clients. The registry here
 * offers @aws-sdk/client-acm-pca only at 3.523.0, which brings a second SDK core (+79 MB installed) and
 * ignores a profile's region; these ~100 lines add 48 KB. Credentials come from the SDK's own default
 * chain, the endpoint from the same settings the SDK reads (AWS_ENDPOINT_URL_ACM_PCA, AWS_ENDPOINT_URL,
 * the profile's endpoint_url). Everything is imported lazily, by the adapter, only when called.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export type PrivateCaOperation = 'IssueCertificate' | 'GetCertificate';

export type PrivateCaClientOptions = {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** Scheme, host and port; default https://acm-pca.REGION.amazonaws.com. */
  endpoint: string;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
};

/** The shape the SDK's errors have, so errors.ts maps both alike. */
export class PrivateCaServiceError extends Error {
  public readonly $metadata: { httpStatusCode: number };
  public constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

const RETRYABLE = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'InternalFailure', 'ServiceUnavailable']);

export type PrivateCaClient = (operation: PrivateCaOperation, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export async function privateCaClient(options: PrivateCaClientOptions): Promise<PrivateCaClient> {
  const [{ SignatureV4 }, { Sha256 }, { HttpRequest }, { NodeHttpHandler, streamCollector }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/core/checksum'),
    import('@smithy/core/protocols'),
    import('@smithy/node-http-handler'),
  ]);
  const signer = new SignatureV4({ service: 'acm-pca', region: options.region, credentials: options.credentials, sha256: Sha256 });
  const handler = new NodeHttpHandler({ connectionTimeout: 10_000, requestTimeout: 60_000 });
  const url = new URL(options.endpoint);
  const sleep = options.sleep ?? ((ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = options.maxAttempts ?? 4;

  const once = async (operation: PrivateCaOperation, body: string): Promise<Record<string, unknown>> => {
    const request = new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname === '' ? '/' : url.pathname,
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `ACMPrivateCA.${operation}`,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    });
    const signed = await signer.sign(request);
    const { response } = await handler.handle(signed as InstanceType<typeof HttpRequest>);
    const text = Buffer.from(await streamCollector(response.body as Parameters<typeof streamCollector>[0])).toString('utf8');
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (response.statusCode >= 200 && response.statusCode < 300) return json;
    // JSON 1.1 errors: `__type` (maybe namespaced "ns#Code") or the X-Amzn-ErrorType header.
    // eslint-disable-next-line no-underscore-dangle
    const raw = String(json.__type ?? response.headers['x-amzn-errortype'] ?? `Http${response.statusCode}`);
    const code = raw.split('#').pop()!.split(':')[0];
    const message = String(json.message ?? json.Message ?? code);
    throw new PrivateCaServiceError(code, message, response.statusCode);
  };

  return async (operation, input) => {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      try {
        // eslint-disable-next-line no-await-in-loop
        return await once(operation, body);
      } catch (error) {
        const retryable = error instanceof PrivateCaServiceError && (RETRYABLE.has(error.name) || error.$metadata.httpStatusCode >= 500);
        if (!retryable || attempt >= maxAttempts) throw error;
        // Full-jitter exponential backoff, as the SDK's standard retry mode does.
        // eslint-disable-next-line no-await-in-loop
        await sleep(Math.random() * Math.min(20_000, 100 * 2 ** attempt));
      }
    }
  };
}
