/*
 * `keystore build --stack-name / --acm-certificate-arn`: the guide's ACM private certificate, exported
 * with its key straight into memory. DescribeCertificate first (PRIVATE, ISSUED, not expired, else
 * which and why), the user's consent to ACM's export charge, then ExportCertificate with a passphrase
 * made here and never shown; the encrypted key is decrypted by the keystore intake, in memory.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { Messages } from '@salesforce/core';
import type { CredentialSource } from '../keystore/intake.js';
import { type AwsAccess, resolveRegion } from './access.js';
import { parseArn } from './arn.js';
import type { AwsConnector } from './controlPlane.js';
import { profileSettings, sdkConnector } from './sdkAdapter.js';
import { loadStack } from './stack.js';
import { pickPrivateCertificateArns } from './stackOutputs.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'aws');

/** ACM's rule: 4-128 ASCII characters, none of # $ % (docs/jks-format.md). base64url's alphabet has none of them. */
const PASSPHRASE_BYTES = 24;

export type AcmExportRequest = {
  acmCertificateArn?: string;
  stackName?: string;
  aws: AwsAccess;
  /** --yes: the export charge is accepted without asking. */
  yes: boolean;
  /** Asks the user (only when a person can answer); undefined when nobody can. */
  confirm?: (question: string) => Promise<boolean>;
  onNotice?: (message: string) => void;
  now?: Date;
  randomBytes?: (size: number) => Buffer;
  connect?: AwsConnector;
};

export type AcmExport = { certificateArn: string; region: string; source: Extract<CredentialSource, { kind: 'pem-text' }> };

export async function exportFromAcm(request: AcmExportRequest): Promise<AcmExport> {
  const connect = request.connect ?? sdkConnector(request.aws);
  const certificateArn = request.acmCertificateArn ?? (await certificateArnFromStack(request));
  const arn = parseArn(certificateArn, '--acm-certificate-arn');
  if (arn.service !== 'acm' || arn.resourceType !== 'certificate' || !arn.region) {
    throw messages.createError('error.NotAcmCertificateArn', [certificateArn]);
  }
  const settings = profileSettings(request.aws);
  const { region } = await resolveRegion(request.aws, arn, async () => (await settings()).region);
  const aws = await connect(region);

  const described = await aws.describeCertificate(arn.text);
  if (described.type !== 'PRIVATE') throw messages.createError('error.NotPrivateCertificate', [arn.text, described.type ?? 'unknown']);
  const now = request.now ?? new Date();
  if (described.status === 'EXPIRED' || (described.notAfter && described.notAfter.getTime() <= now.getTime())) {
    const when = described.notAfter?.toISOString() ?? 'an earlier date';
    throw messages.createError('error.AcmCertificateExpired', [arn.text, when], [arn.text]);
  }
  if (described.status !== 'ISSUED') {
    throw messages.createError('error.CertificateNotIssued', [arn.text, described.status ?? 'unknown'], [arn.text]);
  }

  await consent(request, arn.text);
  const passphrase = (request.randomBytes ?? cryptoRandomBytes)(PASSPHRASE_BYTES).toString('base64url');
  const exported = await aws.exportCertificate(arn.text, passphrase);
  return {
    certificateArn: arn.text,
    region,
    source: {
      kind: 'pem-text',
      label: `ACM certificate ${arn.text}`,
      certificate: exported.certificate,
      chain: exported.chain,
      privateKey: exported.encryptedPrivateKey,
      passphrase,
    },
  };
}

async function certificateArnFromStack(request: AcmExportRequest): Promise<string> {
  // request.connect as given (not the SDK default made above): loadStack shares one DescribeStacks per run by it.
  const stack = await loadStack(request.stackName!, request.aws, request.connect);
  const pick = pickPrivateCertificateArns(stack.outputs).acmCertificateArn;
  if (!pick) throw messages.createError('error.StackHasNoAcmCertificate', [stack.source]);
  return pick.value;
}

/** ACM charges per export: --yes, or a person says yes; otherwise nothing is exported. */
async function consent(request: AcmExportRequest, arn: string): Promise<void> {
  if (request.yes) {
    request.onNotice?.(messages.getMessage('exportChargeNotice', [arn]));
    return;
  }
  const agreed = request.confirm ? await request.confirm(messages.getMessage('exportCharge', [arn])) : false;
  if (!agreed) throw messages.createError('error.ExportNotConfirmed');
}
