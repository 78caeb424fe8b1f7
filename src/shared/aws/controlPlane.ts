/*
 * What the plugin asks of AWS's control plane, as one port: CloudFormation DescribeStacks, ACM
 * DescribeCertificate/ExportCertificate, AWS Private CA IssueCertificate/GetCertificate. The SDK
 * adapter (sdkAdapter.ts) implements it; services take it injected so they stay testable.
 */
import type { StackOutput } from './stackOutputs.js';

export type AwsOperation =
  | 'cloudformation:DescribeStacks'
  | 'acm:DescribeCertificate'
  | 'acm:ExportCertificate'
  | 'acm-pca:IssueCertificate'
  | 'acm-pca:GetCertificate';

export type StackDescription = { name: string; status: string; outputs: StackOutput[] };

export type AcmCertificateDescription = {
  arn: string;
  type?: string;
  status?: string;
  notAfter?: Date;
  certificateAuthorityArn?: string;
  domainName?: string;
};

/** PEM texts as ExportCertificate returns them; the key encrypted with the passphrase sent. */
export type ExportedCertificate = { certificate: string; chain: string; encryptedPrivateKey: string };

export type IssueCertificateInput = {
  certificateAuthorityArn: string;
  csrPem: string;
  signingAlgorithm: string;
  templateArn: string;
  validityDays: number;
  idempotencyToken: string;
};

export type IssuedCertificate = { certificate: string; chain: string };

/** One region's clients. */
export type AwsControlPlane = {
  region: string;
  describeStack(stackName: string): Promise<StackDescription>;
  describeCertificate(arn: string): Promise<AcmCertificateDescription>;
  exportCertificate(arn: string, passphrase: string): Promise<ExportedCertificate>;
  issueCertificate(input: IssueCertificateInput): Promise<string>;
  /** undefined while AWS Private CA is still issuing (RequestInProgressException). */
  getCertificate(certificateAuthorityArn: string, certificateArn: string): Promise<IssuedCertificate | undefined>;
};

/** Opens the clients for a region; the SDK adapter's, or a fake in tests. */
export type AwsConnector = (region: string) => Promise<AwsControlPlane>;
