/*
 * CSR mode, step 1: Salesforce generates and keeps the private key (privateKeyExportable=false).
 * Refuse what would replace a key -> write certs/<name>.crt(-meta.xml) -> SDR deploy -> Metadata-API
 * retrieve -> write the CSR PEM for AWS Private CA to sign. No key ever leaves the org.
 */
import { resolve } from 'node:path';
import { type Arn, parseArn } from '../aws/arn.js';
import { checkApiName } from '../metadata/apiNames.js';
import { assertOutputWritable, writeOutputFile } from '../files/atomicWrite.js';
import type { DeployOutcome } from '../org/deploy.js';
import { withSessionCheck } from '../org/orgErrors.js';
import { orgMessages } from '../org/messages.js';
import { assertApiVersion } from '../org/preflightChecks.js';
import { runningUsername } from '../org/runningUser.js';
import { deployCertificate, type OrgRequest, writeCertificateSource } from './certificateSource.js';
import { ACM_PCA, DEFAULT_CSR_OUTPUT, PLACEHOLDER_CRT } from './constants.js';
import { type CertificateSigningRequest, readCsr } from './csr.js';
import { csrMessages } from './messages.js';
import { readCertificateState, retrieveCertificateContent } from './orgCertificate.js';

export type CsrCreateRequest = OrgRequest & {
  keySize: number;
  /** The AWS Private CA that will sign (acm-pca certificate-authority ARN): fills in the next-step commands. */
  certificateAuthorityArn?: string;
  /** Where to write the CSR (relative to the current directory); configure signs it from memory and writes none. */
  output?: string;
  force?: boolean;
};

export type CsrSummary = {
  subject: string;
  keySize: number;
  /** The PKCS#10 request as PEM (public: it holds the org's public key and the subject). */
  pem: string;
};

export type CsrCreateResult = {
  certificateName: string;
  masterLabel: string;
  /** True when the org already held this pending CSR: nothing was deployed, the CSR was fetched again. */
  reusedPendingCsr: boolean;
  /** Absolute path of the CSR PEM written; absent when no --output was asked for (configure). */
  csrFile?: string;
  csr: CsrSummary;
  /** Project files written (certs/<name>.crt and .crt-meta.xml); empty when the pending CSR was reused. */
  files: string[];
  /** Absent when the pending CSR was reused. */
  deploy?: DeployOutcome;
  /** The commands to run next, in order. */
  nextSteps: string[];
};

/** A certificate of that name that is no pending CSR: a new CSR would replace it. */
export const certificateInTheWay = (name: string): Error => csrMessages.createError('error.CertificateExists', [name], [name, name]);

export async function createCsr(request: CsrCreateRequest): Promise<CsrCreateResult> {
  const name = checkApiName(request.certificateName, '--certificate-name', 64);
  const certificateAuthority = request.certificateAuthorityArn ? parsePrivateCaArn(request.certificateAuthorityArn) : undefined;
  const csrFile = request.output === undefined ? undefined : resolve(request.output);
  // Nothing is asked of the org before the output file is known to be writable.
  const target = { what: 'CSR file', force: request.force ?? false };
  if (csrFile) await assertOutputWritable(csrFile, target);
  const username = runningUsername(request.org, request.connection);
  return withSessionCheck(username, async (changed) => {
    const { connection, progress } = request;
    assertApiVersion(connection.getApiVersion());
    progress?.status?.('check');
    const state = await readCertificateState(connection, name, request);
    const existing = state.kind === 'missing' ? undefined : state.existing;
    let reused: CertificateSigningRequest | undefined;
    if (state.kind !== 'missing') {
      if (state.kind !== 'pending') throw certificateInTheWay(name);
      reused = state.csr;
      if (reused.keySize !== request.keySize) {
        progress?.warn?.(csrMessages.getMessage('warning.KeySizeKept', [name, String(reused.keySize), String(request.keySize)]));
      }
    }
    let files: string[] = [];
    let deploy: DeployOutcome | undefined;
    const masterLabel = existing?.masterLabel ?? name;
    if (!reused) {
      files = await writeCertificateSource(request.project, name, PLACEHOLDER_CRT, { keySize: request.keySize, masterLabel });
      progress?.status?.('deploy');
      deploy = await deployCertificate(request, files);
      changed.push(orgMessages.getMessage('changed.deployed', [`Certificate ${name} (a pending CSR)`, deploy.id]));
    }
    progress?.status?.('retrieve');
    const csr = reused ?? readCsr((await retrieveCertificateContent(connection, name, request)) ?? '');
    if (!csr) throw csrMessages.createError('error.NoCsrReturned', [name]);
    if (csrFile) await writeOutputFile(csrFile, csr.pem, target);
    return {
      certificateName: name,
      masterLabel,
      reusedPendingCsr: Boolean(reused),
      ...(csrFile ? { csrFile } : {}),
      csr: { subject: csr.subject, keySize: csr.keySize, pem: csr.pem },
      files,
      ...(deploy ? { deploy } : {}),
      nextSteps: nextSteps(name, request.output ?? DEFAULT_CSR_OUTPUT, username, certificateAuthority),
    };
  }, { changes: true });
}

/** An acm-pca certificate-authority ARN, or a clear error before anything is asked of the org. */
function parsePrivateCaArn(text: string): Arn {
  const arn = parseArn(text, '--certificate-authority-arn');
  if (arn.service !== 'acm-pca' || arn.resourceType !== 'certificate-authority' || !arn.region) {
    throw csrMessages.createError('error.NotPrivateCaArn', [text]);
  }
  return arn;
}

function nextSteps(name: string, output: string, targetOrg: string, ca?: Arn): string[] {
  // The CA's region: the AWS CLI's default region may be another one.
  const caArn = ca ? `${ca.text} --region ${ca.region}` : ACM_PCA.caArnPlaceholder;
  return [
    `aws acm-pca issue-certificate --certificate-authority-arn ${caArn} --csr fileb://${output} --signing-algorithm ${ACM_PCA.signingAlgorithm} --template-arn ${ACM_PCA.templateArn} --validity Value=${ACM_PCA.validityDays},Type=DAYS`,
    `aws acm-pca get-certificate --certificate-authority-arn ${caArn} --certificate-arn ${ACM_PCA.certificateArnPlaceholder} --query Certificate --output text > signed.pem`,
    `aws acm-pca get-certificate --certificate-authority-arn ${caArn} --certificate-arn ${ACM_PCA.certificateArnPlaceholder} --query CertificateChain --output text > chain.pem`,
    `sf iamra csr complete --target-org ${targetOrg} --certificate-name ${name} --certificate signed.pem --chain chain.pem`,
  ];
}
