/*
 * CSR mode signing itself: AWS Private CA IssueCertificate for the org's CSR, then GetCertificate
 * until it is issued. RequestInProgressException means "not yet" and is waited out; any other error
 * stops at once with its own message (the SDK's waiter would turn those into a timeout).
 */
import { createHash } from 'node:crypto';
import { Messages } from '@salesforce/core';
import { ACM_PCA } from '../csr/constants.js';
import { envMs, pollIntervalMs } from '../pollInterval.js';
import { type AwsAccess, resolveRegion } from './access.js';
import { parseArn } from './arn.js';
import type { AwsConnector } from './controlPlane.js';
import { profileSettings, sdkConnector } from './sdkAdapter.js';
import { loadStack } from './stack.js';
import { pickPrivateCertificateArns } from './stackOutputs.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'aws');


export type SignCsrRequest = {
  csrPem: string;
  certificateAuthorityArn?: string;
  stackName?: string;
  aws: AwsAccess;
  templateArn?: string;
  validityDays?: number;
  connect?: AwsConnector;
  /** Between GetCertificate polls; default 1 s (SF_IAMRA_POLL_MS in simulator runs). */
  pollMs?: number;
  /** How long issuance may take; default 5 minutes. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

export type SignedCsr = {
  certificateAuthorityArn: string;
  certificateArn: string;
  region: string;
  templateArn: string;
  validityDays: number;
  /** PEM texts as GetCertificate returned them. */
  certificate: string;
  chain: string;
};

export async function signWithPrivateCa(request: SignCsrRequest): Promise<SignedCsr> {
  const connect = request.connect ?? sdkConnector(request.aws);
  const caText = request.certificateAuthorityArn ?? (await caArnFromStack(request));
  const caArn = parseArn(caText, '--certificate-authority-arn');
  const settings = profileSettings(request.aws);
  const { region } = await resolveRegion(request.aws, caArn, async () => (await settings()).region);
  const aws = await connect(region);
  const templateArn = request.templateArn ?? ACM_PCA.templateArn;
  const validityDays = request.validityDays ?? ACM_PCA.validityDays;
  const certificateArn = await aws.issueCertificate({
    certificateAuthorityArn: caArn.text,
    csrPem: request.csrPem,
    signingAlgorithm: ACM_PCA.signingAlgorithm,
    templateArn,
    validityDays,
    // the same CSR asked again within AWS's idempotency window gets the same certificate back
    idempotencyToken: createHash('sha256').update(request.csrPem).digest('hex').slice(0, 36),
  });
  const sleep = request.sleep ?? ((ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)));
  const pollMs = request.pollMs ?? pollIntervalMs(1000);
  // SF_IAMRA_ISSUE_TIMEOUT_MS gives up sooner (or later) than five minutes
  const timeoutMs = request.timeoutMs ?? envMs('SF_IAMRA_ISSUE_TIMEOUT_MS') ?? 5 * 60_000;
  const started = Date.now();
  for (;;) {
    // eslint-disable-next-line no-await-in-loop
    const issued = await aws.getCertificate(caArn.text, certificateArn);
    if (issued) return { certificateAuthorityArn: caArn.text, certificateArn, region, templateArn, validityDays, ...issued };
    if (Date.now() - started > timeoutMs) {
      throw messages.createError('error.IssueTimedOut', [certificateArn, String(Math.round(timeoutMs / 1000))], [caArn.text, certificateArn]);
    }
    // eslint-disable-next-line no-await-in-loop
    await sleep(pollMs);
  }
}

async function caArnFromStack(request: SignCsrRequest): Promise<string> {
  // request.connect as given (not the SDK default made above): loadStack shares one DescribeStacks per run by it.
  const stack = await loadStack(request.stackName!, request.aws, request.connect);
  const pick = pickPrivateCertificateArns(stack.outputs).certificateAuthorityArn;
  if (!pick) throw messages.createError('error.StackHasNoPrivateCa', [stack.source]);
  return pick.value;
}

