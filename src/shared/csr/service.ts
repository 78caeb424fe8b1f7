/*
 * CSR mode: Salesforce generates and keeps the private key (privateKeyExportable=false), AWS Private
 * CA signs its CSR, the signed chain goes back to the same certificate. No key ever leaves the org.
 *
 * - `createCsr`: refuse what would replace a key -> write certs/<name>.crt(-meta.xml) -> SDR deploy ->
 *   Metadata-API retrieve -> write the CSR PEM.
 * - `completeCsr`: check the signed chain locally with the keystore rules -> retrieve the pending CSR
 *   and compare public keys -> deploy the chain as the .crt -> retrieve and Tooling to confirm.
 */
import { X509Certificate } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Certificate } from '@salesforce/types/metadata';
import type { Connection, Org, SfProject } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { chainFromLeaf } from '../keystore/chain.js';
import { readInputFile } from '../keystore/files.js';
import { parseCertificates } from '../keystore/pem.js';
import { certificateFindings, type Finding, salesforceKeyFindings } from '../keystore/rules.js';
import { checkApiName } from '../metadata/apiNames.js';
import { resolveOutputLocation, targetPaths } from '../metadata/packageDir.js';
import { planMetadataFiles, writePlannedFiles } from '../metadata/writer.js';
import { toMetadataXml, type XmlBody } from '../metadata/xml.js';
import { type DeployOutcome, type DeployProgress, deploySource } from '../org/deploy.js';
import { assertDeploySucceeded } from '../org/deployService.js';
import type { ComponentFailure } from '../org/deployStatus.js';
import { withSessionCheck } from '../org/orgErrors.js';
import { assertApiVersion } from '../org/preflightChecks.js';
import { ACM_PCA, PLACEHOLDER_CRT } from './constants.js';
import { type CertificateSigningRequest, chainContent, holdsCertificate, readCsr, samePublicKey, subjectLine } from './csr.js';
import { csrMessages } from './messages.js';
import { findCertificate, retrieveCertificateContent } from './orgCertificate.js';

export type CsrStage = 'check' | 'deploy' | 'retrieve' | 'confirm';

export type CsrProgress = {
  status?: (stage: CsrStage) => void;
  warn?: (message: string) => void;
  deploy?: (progress: DeployProgress) => void;
  failures?: (failures: ComponentFailure[]) => void;
};

type OrgRequest = {
  org: Org;
  connection: Connection;
  project: SfProject;
  /** DeveloperName of the CA-signed certificate. */
  certificateName: string;
  wait?: Duration;
  progress?: CsrProgress;
  retrySleep?: (ms: number) => Promise<void>;
};

export type CsrCreateRequest = OrgRequest & {
  keySize: number;
  /** Where to write the CSR (relative to the current directory). */
  output: string;
  force?: boolean;
};

export type CsrSummary = {
  subject: string;
  keySize: number;
};

export type CsrCreateResult = {
  certificateName: string;
  masterLabel: string;
  /** True when the org already held this pending CSR: nothing was deployed, the CSR was fetched again. */
  reusedPendingCsr: boolean;
  /** Absolute path of the CSR PEM written. */
  csrFile: string;
  csr: CsrSummary;
  /** Project files written (certs/<name>.crt and .crt-meta.xml); empty when the pending CSR was reused. */
  files: string[];
  /** Absent when the pending CSR was reused. */
  deploy?: DeployOutcome;
  /** The commands to run next, in order. */
  nextSteps: string[];
};

export type CsrCompleteRequest = OrgRequest & {
  certificateFile: string;
  chainFiles?: string[];
  /** Injectable clock for the validity rules. */
  now?: Date;
};

export type CertificateSummary = {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
};

export type CsrCompleteResult = {
  certificateName: string;
  leaf: CertificateSummary & { keySize: number };
  /** Deployed order (leaf first), subjects and issuers. */
  chain: CertificateSummary[];
  files: string[];
  deploy: DeployOutcome;
  /** What the org holds afterwards, read back with a retrieve and Tooling. */
  confirmed: { chainLength: number; expirationDate?: string };
  warnings: string[];
};

export async function createCsr(request: CsrCreateRequest): Promise<CsrCreateResult> {
  const name = checkApiName(request.certificateName, '--certificate-name', 64);
  const csrFile = resolve(request.output);
  // Nothing is asked of the org before the output file is known to be writable.
  if (!request.force && (await exists(csrFile))) throw csrMessages.createError('error.OutputExists', [csrFile]);
  const username = request.org.getUsername() ?? request.connection.getUsername() ?? '';
  return withSessionCheck(username, async () => {
    const { connection, progress } = request;
    assertApiVersion(connection.getApiVersion());
    progress?.status?.('check');
    const existing = await findCertificate(connection, name);
    let reused: CertificateSigningRequest | undefined;
    if (existing) {
      const content = (await retrieveCertificateContent(connection, name, request)) ?? '';
      reused = readCsr(content);
      if (!reused) throw csrMessages.createError('error.CertificateExists', [name], [name, name]);
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
    }
    progress?.status?.('retrieve');
    const csr = reused ?? readCsr((await retrieveCertificateContent(connection, name, request)) ?? '');
    if (!csr) throw csrMessages.createError('error.NoCsrReturned', [name]);
    await mkdir(dirname(csrFile), { recursive: true });
    await writeFile(csrFile, csr.pem, 'utf8');
    return {
      certificateName: name,
      masterLabel,
      reusedPendingCsr: Boolean(reused),
      csrFile,
      csr: { subject: csr.subject, keySize: csr.keySize },
      files,
      ...(deploy ? { deploy } : {}),
      nextSteps: nextSteps(name, request.output, username),
    };
  });
}

export async function completeCsr(request: CsrCompleteRequest): Promise<CsrCompleteResult> {
  const name = checkApiName(request.certificateName, '--certificate-name', 64);
  const { ordered, warnings } = await checkSignedChain(request);
  const leaf = ordered[0];
  const username = request.org.getUsername() ?? request.connection.getUsername() ?? '';
  return withSessionCheck(username, async () => {
    const { connection, progress } = request;
    warnings.forEach((w) => progress?.warn?.(w));
    assertApiVersion(connection.getApiVersion());
    progress?.status?.('check');
    const existing = await findCertificate(connection, name);
    if (!existing) throw csrMessages.createError('error.NoPendingCsr', [name], [name]);
    const content = (await retrieveCertificateContent(connection, name, request)) ?? '';
    const csr = readCsr(content);
    if (!csr) {
      const key = holdsCertificate(content) ? 'error.NotPendingCsr' : 'error.NoPendingCsr';
      throw csrMessages.createError(key, [name], [name]);
    }
    if (!samePublicKey(csr.publicKey, leaf.publicKey)) {
      throw csrMessages.createError('error.KeyMismatch', [subjectLine(leaf), name, csr.subject], [name, name]);
    }
    const crt = chainContent(ordered);
    const files = await writeCertificateSource(request.project, name, crt, { keySize: csr.keySize, masterLabel: existing.masterLabel });
    progress?.status?.('deploy');
    const deploy = await deployCertificate(request, files);
    progress?.status?.('confirm');
    const held = (await retrieveCertificateContent(connection, name, request)) ?? '';
    const heldChain = holdsCertificate(held) ? parseCertificates(Buffer.from(held), name) : [];
    if (!heldChain[0]?.raw.equals(leaf.raw)) throw csrMessages.createError('error.NotConfirmed', [name], [name]);
    const after = await findCertificate(connection, name);
    return {
      certificateName: name,
      leaf: { ...summary(leaf), keySize: csr.keySize },
      chain: ordered.map(summary),
      files,
      deploy,
      confirmed: { chainLength: heldChain.length, ...(after?.expirationDate ? { expirationDate: after.expirationDate } : {}) },
      warnings,
    };
  });
}

/** The local checks, before the org is touched: parse, order leaf -> root, apply the keystore's certificate rules. */
export async function checkSignedChain(request: Pick<CsrCompleteRequest, 'certificateFile' | 'chainFiles' | 'now'>): Promise<{
  ordered: X509Certificate[];
  warnings: string[];
}> {
  const [leaf, ...rest] = parseCertificates(await readInputFile(request.certificateFile, 'certificate'), request.certificateFile);
  const others = [...rest];
  for (const file of request.chainFiles ?? []) {
    // eslint-disable-next-line no-await-in-loop
    others.push(...parseCertificates(await readInputFile(file, 'certificate chain'), file));
  }
  const linked = chainFromLeaf(leaf, others);
  if (linked.unlinked.length > 0) {
    throw csrMessages.createError('error.ChainDoesNotLink', [subjectLine(leaf), linked.unlinked.map(subjectLine).join('; ')]);
  }
  const findings: Finding[] = [...certificateFindings(linked.ordered, request.now ?? new Date()), ...salesforceKeyFindings(leaf.publicKey)];
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const error = csrMessages.createError('error.CertificateRefused', [request.certificateFile, errors.map((f) => `- ${f.message}`).join('\n')]);
    error.actions = [...new Set([...errors.map((f) => f.action), ...csrMessages.getMessages('error.CertificateRefused.actions')])];
    error.setData({ findings });
    throw error;
  }
  return { ordered: linked.ordered, warnings: findings.filter((f) => f.severity === 'warning').map((f) => f.message) };
}

function summary(cert: X509Certificate): CertificateSummary {
  return {
    subject: subjectLine(cert),
    issuer: cert.issuer.split('\n').join(', '),
    serialNumber: cert.serialNumber,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
  };
}

/** Writes certs/<name>.crt and .crt-meta.xml into the default package directory; returns their paths. */
async function writeCertificateSource(
  project: SfProject,
  name: string,
  crt: string,
  meta: { keySize: number; masterLabel: string }
): Promise<string[]> {
  const certificate: Omit<Certificate, 'content'> = {
    caSigned: true,
    keySize: meta.keySize,
    masterLabel: meta.masterLabel,
    privateKeyExportable: false,
  };
  const files = [
    { type: 'Certificate', fullName: name, relativePath: `certs/${name}.crt`, content: crt },
    {
      type: 'Certificate',
      fullName: name,
      relativePath: `certs/${name}.crt-meta.xml`,
      content: toMetadataXml('Certificate', certificate as unknown as XmlBody, csrMessages.getMessage('comment.generated')),
    },
  ];
  const location = await resolveOutputLocation(project.getPath());
  const paths = await targetPaths(location, files.map((f) => f.relativePath));
  const planned = await planMetadataFiles(files, paths);
  await writePlannedFiles(planned);
  return planned.map((f) => f.path);
}

async function deployCertificate(request: OrgRequest, paths: string[]): Promise<DeployOutcome> {
  const deploy = await deploySource({
    org: request.org,
    connection: request.connection,
    project: request.project,
    paths,
    wait: request.wait,
    onProgress: request.progress?.deploy,
    retrySleep: request.retrySleep,
  });
  assertDeploySucceeded(deploy, request.progress?.failures);
  return deploy;
}

function nextSteps(name: string, output: string, targetOrg: string): string[] {
  const ca = ACM_PCA.caArnPlaceholder;
  return [
    `aws acm-pca issue-certificate --certificate-authority-arn ${ca} --csr fileb://${output} --signing-algorithm ${ACM_PCA.signingAlgorithm} --template-arn ${ACM_PCA.templateArn} --validity ${ACM_PCA.validity}`,
    `aws acm-pca get-certificate --certificate-authority-arn ${ca} --certificate-arn ${ACM_PCA.certificateArnPlaceholder} --query Certificate --output text > signed.pem`,
    `aws acm-pca get-certificate --certificate-authority-arn ${ca} --certificate-arn ${ACM_PCA.certificateArnPlaceholder} --query CertificateChain --output text > chain.pem`,
    `sf iamra csr complete --target-org ${targetOrg} --certificate-name ${name} --certificate signed.pem --chain chain.pem`,
  ];
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
