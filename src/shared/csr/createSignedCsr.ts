/*
 * `csr create` with AWS Private CA signing inside the plugin: create (or reuse) the org's pending CSR,
 * have the Private CA sign it, then complete it exactly as `csr complete` does, with the certificate
 * and chain held in memory. Without a CA (or with --no-sign) it is today's first step only.
 */
import { readFile } from 'node:fs/promises';
import type { AwsAccess } from '../aws/access.js';
import type { AwsConnector } from '../aws/controlPlane.js';
import { signWithPrivateCa } from '../aws/privateCaSigning.js';
import { completeCsr, type CsrCompleteResult } from './completeCsr.js';
import { createCsr, type CsrCreateRequest, type CsrCreateResult } from './createCsr.js';

export type PrivateCaSigning = {
  stackName?: string;
  certificateAuthorityArn?: string;
  aws: AwsAccess;
  templateArn?: string;
  validityDays?: number;
  connect?: AwsConnector;
};

export type CsrSignedSummary = {
  certificateAuthorityArn: string;
  certificateArn: string;
  region: string;
  templateArn: string;
  validityDays: number;
};

export type CsrCreateSignedResult = CsrCreateResult & {
  /** Present when AWS Private CA signed the CSR in this run. */
  signed?: CsrSignedSummary;
  /** The `csr complete` step done with the signed chain. */
  completed?: CsrCompleteResult;
};

export async function createSignedCsr(request: CsrCreateRequest & { signing?: PrivateCaSigning }): Promise<CsrCreateSignedResult> {
  const created = await createCsr(request);
  const signing = request.signing;
  if (!signing) return created;
  request.progress?.status?.('sign');
  const signed = await signWithPrivateCa({ ...signing, csrPem: await readFile(created.csrFile, 'utf8') });
  const completed = await completeCsr({
    ...request,
    certificateFile: `the certificate AWS Private CA issued (${signed.certificateArn})`,
    signed: { certificate: signed.certificate, chain: signed.chain },
  });
  const { certificateAuthorityArn, certificateArn, region, templateArn, validityDays } = signed;
  return {
    ...created,
    signed: { certificateAuthorityArn, certificateArn, region, templateArn, validityDays },
    completed,
    nextSteps: [`sf iamra deploy --target-org ${request.org.getUsername() ?? ''} --certificate-name ${created.certificateName}`],
  };
}
