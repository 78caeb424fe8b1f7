/*
 * `csr create` with AWS Private CA signing inside the plugin: create (or reuse) the org's pending CSR,
 * have the Private CA sign it, then complete it exactly as `csr complete` does, with the certificate
 * and chain held in memory. Without a CA (or with --no-sign) it is today's first step only.
 * configure --mode csr runs the same three steps as its certificate stages (configure/certificateStages.ts).
 */
import type { AwsAccess } from '../aws/access.js';
import type { AwsConnector } from '../aws/controlPlane.js';
import { signWithPrivateCa, type SignedCsr } from '../aws/privateCaSigning.js';
import type { OrgRequest } from './certificateSource.js';
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

/** Step 2: AWS Private CA signs the CSR the org returned (from memory). */
export async function signCsr(created: CsrCreateResult, signing: PrivateCaSigning): Promise<SignedCsr> {
  return signWithPrivateCa({ ...signing, csrPem: created.csr.pem });
}

/** Step 3: `csr complete` with the signed chain in memory. */
export async function completeSigned(request: OrgRequest, signed: SignedCsr): Promise<CsrCompleteResult> {
  return completeCsr({
    ...request,
    certificateFile: `the certificate AWS Private CA issued (${signed.certificateArn})`,
    signed: { certificate: signed.certificate, chain: signed.chain },
  });
}

export function signedSummary(signed: SignedCsr): CsrSignedSummary {
  const { certificateAuthorityArn, certificateArn, region, templateArn, validityDays } = signed;
  return { certificateAuthorityArn, certificateArn, region, templateArn, validityDays };
}

export async function createSignedCsr(request: CsrCreateRequest & { signing?: PrivateCaSigning }): Promise<CsrCreateSignedResult> {
  const created = await createCsr(request);
  const signing = request.signing;
  if (!signing) return created;
  request.progress?.status?.('sign');
  const signed = await signCsr(created, signing);
  const completed = await completeSigned(request, signed);
  return {
    ...created,
    signed: signedSummary(signed),
    completed,
    nextSteps: [`sf iamra deploy --target-org ${request.org.getUsername() ?? ''} --certificate-name ${created.certificateName}`],
  };
}
