/*
 * The AWS SDK for JavaScript v3 behind the AwsControlPlane port. Every SDK module is imported here,
 * dynamically and only when a command first talks to AWS, so offline commands load none of it
 * (`npm run bench` measures their startup). Credentials: the SDK's default chain for the chosen
 * profile (environment, shared files, SSO, credential_process). Endpoints: the SDK's own settings
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, a profile's endpoint_url), which is also how the
 * tests point it at local endpoints.
 */
import { Messages } from '@salesforce/core';
import { type AwsAccess, profileName } from './access.js';
import type { AwsConnector, AwsControlPlane, AwsOperation } from './controlPlane.js';
import { awsCall, type AwsErrorLike } from './errors.js';
import { privateCaClient } from './privateCaClient.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'aws');

/** Attempts per call (the SDK retries throttling and 5xx with backoff; its default is 3). */
const MAX_ATTEMPTS = 4;

type SharedConfig = { configFile: Record<string, Record<string, string | undefined>> };

/** The profile's settings from the shared config file (region, endpoint_url), read once. */
export function profileSettings(access: AwsAccess): () => Promise<Record<string, string | undefined>> {
  let loaded: Promise<Record<string, string | undefined>> | undefined;
  return () => {
    loaded ??= import('@smithy/core/config').then(async ({ loadSharedConfigFiles }) => {
      const files = (await loadSharedConfigFiles({ ignoreCache: true })) as SharedConfig;
      return files.configFile[profileName(access)] ?? {};
    });
    return loaded;
  };
}

export function sdkConnector(access: AwsAccess): AwsConnector {
  const profile = access.profile;
  const settings = profileSettings(access);
  let credentials: Promise<import('@smithy/types').AwsCredentialIdentityProvider> | undefined;
  const credentialProvider = (): Promise<import('@smithy/types').AwsCredentialIdentityProvider> => {
    credentials ??= import('@aws-sdk/credential-provider-node').then(({ defaultProvider }) => defaultProvider({ profile }));
    return credentials;
  };

  return (region: string): Promise<AwsControlPlane> => {
    const context = (operation: AwsOperation, resource: string): Parameters<typeof awsCall>[0] => ({
      operation,
      region,
      profile: profileName(access),
      resource,
    });
    const clientConfig = { region, profile, maxAttempts: MAX_ATTEMPTS };

    const cloudFormation = async (): Promise<{ send: (command: unknown) => Promise<unknown> }> => {
      const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
      return new CloudFormationClient(clientConfig) as unknown as { send: (command: unknown) => Promise<unknown> };
    };
    let acm: Promise<import('@aws-sdk/client-acm').ACMClient> | undefined;
    const acmClient = (): Promise<import('@aws-sdk/client-acm').ACMClient> => {
      acm ??= import('@aws-sdk/client-acm').then(({ ACMClient }) => new ACMClient(clientConfig));
      return acm;
    };
    let pca: ReturnType<typeof privateCaClient> | undefined;
    const pcaClient = (partition: string): ReturnType<typeof privateCaClient> => {
      pca ??= (async (): ReturnType<typeof privateCaClient> =>
        privateCaClient({
          region,
          credentials: await credentialProvider(),
          endpoint: (await configuredEndpoint('ACM PCA', access, settings)) ?? `https://acm-pca.${region}.${dnsSuffix(partition)}`,
          maxAttempts: MAX_ATTEMPTS,
        }))();
      return pca;
    };

    return Promise.resolve({
      region,
      describeStack: (stackName) =>
        awsCall(
          context('cloudformation:DescribeStacks', stackName),
          async () => {
            const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
            const out = (await (await cloudFormation()).send(new DescribeStacksCommand({ StackName: stackName }))) as {
              Stacks?: Array<{ StackName?: string; StackStatus?: string; Outputs?: Array<Record<string, string | undefined>> }>;
            };
            const stack = out.Stacks?.[0];
            if (!stack) throw messages.createError('error.StackNotFound', [stackName, region], [region]);
            return { name: stack.StackName ?? stackName, status: stack.StackStatus ?? '', outputs: stack.Outputs ?? [] };
          },
          (e) => ((e.message ?? '').includes('does not exist') ? messages.createError('error.StackNotFound', [stackName, region], [region]) : undefined)
        ),
      describeCertificate: (arn) =>
        awsCall(
          context('acm:DescribeCertificate', arn),
          async () => {
            const { DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
            const out = await (await acmClient()).send(new DescribeCertificateCommand({ CertificateArn: arn }));
            const c = out.Certificate ?? {};
            return {
              arn,
              type: c.Type,
              status: c.Status,
              notAfter: c.NotAfter,
              certificateAuthorityArn: c.CertificateAuthorityArn,
              domainName: c.DomainName,
            };
          },
          (e) => notFound(e, 'error.AcmCertificateNotFound', arn, region)
        ),
      exportCertificate: (arn, passphrase) =>
        awsCall(context('acm:ExportCertificate', arn), async () => {
          const { ExportCertificateCommand } = await import('@aws-sdk/client-acm');
          const secret = Buffer.from(passphrase, 'latin1');
          try {
            const out = await (await acmClient()).send(new ExportCertificateCommand({ CertificateArn: arn, Passphrase: secret }));
            return { certificate: out.Certificate ?? '', chain: out.CertificateChain ?? '', encryptedPrivateKey: out.PrivateKey ?? '' };
          } finally {
            secret.fill(0);
          }
        }),
      issueCertificate: (input) =>
        awsCall(
          context('acm-pca:IssueCertificate', input.certificateAuthorityArn),
          async () => {
            const call = await pcaClient(input.certificateAuthorityArn.split(':')[1]);
            const out = await call('IssueCertificate', {
              CertificateAuthorityArn: input.certificateAuthorityArn,
              Csr: Buffer.from(input.csrPem, 'utf8').toString('base64'),
              SigningAlgorithm: input.signingAlgorithm,
              TemplateArn: input.templateArn,
              Validity: { Value: input.validityDays, Type: 'DAYS' },
              IdempotencyToken: input.idempotencyToken,
            });
            return String(out.CertificateArn ?? '');
          },
          (e) => privateCaError(e, input.certificateAuthorityArn, region)
        ),
      getCertificate: (caArn, certificateArn) =>
        awsCall(
          context('acm-pca:GetCertificate', certificateArn),
          async () => {
            const call = await pcaClient(caArn.split(':')[1]);
            try {
              const out = await call('GetCertificate', { CertificateAuthorityArn: caArn, CertificateArn: certificateArn });
              return { certificate: String(out.Certificate ?? ''), chain: String(out.CertificateChain ?? '') };
            } catch (error) {
              // Issuance is asynchronous: this one error means "not yet", every other one is final.
              if ((error as AwsErrorLike).name === 'RequestInProgressException') return undefined;
              throw error;
            }
          },
          (e) => privateCaError(e, caArn, region)
        ),
    });
  };
}

function notFound(e: AwsErrorLike, key: string, arn: string, region: string): ReturnType<typeof messages.createError> | undefined {
  return e.name === 'ResourceNotFoundException' || e.name === 'InvalidArnException' ? messages.createError(key, [arn, region, e.message ?? '']) : undefined;
}

function privateCaError(e: AwsErrorLike, caArn: string, region: string): ReturnType<typeof messages.createError> | undefined {
  switch (e.name) {
    case 'MalformedCSRException':
      return messages.createError('error.MalformedCsr', [caArn, e.message ?? '']);
    case 'InvalidStateException':
      return messages.createError('error.CaNotActive', [caArn, e.message ?? ''], [caArn, region]);
    case 'ValidationException':
      return (e.message ?? '').includes('SHORT_LIVED_CERTIFICATE') ? messages.createError('error.CaShortLived', [caArn, e.message ?? '']) : undefined;
    default:
      return notFound(e, 'error.PrivateCaNotFound', caArn, region);
  }
}

function dnsSuffix(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The endpoint override the SDK itself would use for `serviceId` (its env variables, then the profile's endpoint_url). */
async function configuredEndpoint(
  serviceId: string,
  access: AwsAccess,
  settings: () => Promise<Record<string, string | undefined>>
): Promise<string | undefined> {
  const env = access.env ?? process.env;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  const fromEnv = env[`AWS_ENDPOINT_URL_${serviceId.toUpperCase().replace(/ /g, '_')}`] ?? env.AWS_ENDPOINT_URL;
  if (fromEnv) return fromEnv;
  const profile = await settings();
  return profile.ignore_configured_endpoint_urls === 'true' ? undefined : profile.endpoint_url;
}
