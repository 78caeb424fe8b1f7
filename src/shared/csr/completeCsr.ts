/*
 * CSR mode, step 2: check the chain AWS Private CA signed locally with the keystore rules -> retrieve
 * the pending CSR and compare public keys -> deploy the chain as the .crt -> retrieve and Tooling to
 * confirm the org holds it.
 */
import type { X509Certificate } from 'node:crypto';
import { chainFromLeaf } from '../keystore/chain.js';
import { readInputFile } from '../files/inputFile.js';
import { parseCertificates } from '../keystore/pem.js';
import { certificateFindings, type Finding, salesforceKeyFindings } from '../keystore/rules.js';
import { checkApiName } from '../metadata/apiNames.js';
import type { DeployOutcome } from '../org/deploy.js';
import { withSessionCheck } from '../org/orgErrors.js';
import { orgMessages } from '../org/messages.js';
import { assertApiVersion } from '../org/preflightChecks.js';
import { runningUsername } from '../org/runningUser.js';
import { deployCertificate, type OrgRequest, writeCertificateSource } from './certificateSource.js';
import { chainContent, holdsCertificate, readCsr, samePublicKey, subjectLine } from './csr.js';
import { ACM_PCA } from './constants.js';
import { csrMessages } from './messages.js';
import { findCertificate, retrieveCertificateContent } from './orgCertificate.js';

export type CsrCompleteRequest = OrgRequest & {
  /** Names the certificate in messages; read from disk unless `signed` holds it. */
  certificateFile: string;
  /** The certificate and chain already in memory (AWS Private CA's GetCertificate answer). */
  signed?: { certificate: string; chain: string };
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

export async function completeCsr(request: CsrCompleteRequest): Promise<CsrCompleteResult> {
  const name = checkApiName(request.certificateName, '--certificate-name', 64);
  const { ordered, warnings } = await checkSignedChain(request);
  const leaf = ordered[0];
  const username = runningUsername(request.org, request.connection);
  return withSessionCheck(username, async (changed) => {
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
    changed.push(orgMessages.getMessage('changed.deployed', [`Certificate ${name} (the signed chain)`, deploy.id]));
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
  }, { changes: true });
}

/** The local checks, before the org is touched: parse, order leaf -> root, apply the keystore's certificate rules. */
export async function checkSignedChain(request: Pick<CsrCompleteRequest, 'certificateFile' | 'chainFiles' | 'now' | 'signed'>): Promise<{
  ordered: X509Certificate[];
  warnings: string[];
}> {
  const certificate = request.signed ? Buffer.from(request.signed.certificate, 'utf8') : await readInputFile(request.certificateFile, 'certificate');
  const [leaf, ...rest] = parseCertificates(certificate, request.certificateFile);
  const others = [...rest];
  if (request.signed?.chain.trim()) others.push(...parseCertificates(Buffer.from(request.signed.chain, 'utf8'), request.certificateFile));
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
    error.actions = [...new Set([...errors.map((f) => f.action), ...csrMessages.getMessages('error.CertificateRefused.actions', [ACM_PCA.templateArn, ACM_PCA.signingAlgorithm])])];
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
