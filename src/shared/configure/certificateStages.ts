/*
 * configure --mode csr: the certificate stages that run before configure's own (stages.ts), so the
 * org holds a certificate signed by the stack's AWS Private CA before anything references it. The
 * three steps are `sf iamra csr create`'s (csr/createSignedCsr.ts): the org makes the key pair and
 * its CSR, Private CA signs it from memory, the chain is deployed and read back. A certificate already
 * signed and in place is kept (a re-run changes nothing); a pending CSR is signed, not replaced.
 */
/* eslint-disable no-param-reassign -- adding to the plan is what a stage is for */
import { Messages } from '@salesforce/core';
import { completeSigned, signCsr, signedSummary } from '../csr/createSignedCsr.js';
import { certificateInTheWay, createCsr } from '../csr/createCsr.js';
import type { OrgRequest } from '../csr/certificateSource.js';
import { readCertificateState } from '../csr/orgCertificate.js';
import type { CertificateForPlan } from './converge.js';
import type { ConfigurePlan } from './plan.js';
import type { Stage } from './stageRunner.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.configure');

export type CertificateStageId = 'csr-create' | 'csr-sign' | 'csr-complete';

export function certificateStages(title: (id: CertificateStageId) => string): Array<Stage<ConfigurePlan>> {
  return [
    {
      id: 'csr-create',
      title: title('csr-create'),
      run: async (plan, register): Promise<void> => {
        const mode = plan.request.certificate!;
        const request = orgRequest(plan);
        const state = await readCertificateState(request.connection, mode.certificateName, request);
        if (state.kind === 'signed') {
          plan.certificate = {
            certificateName: mode.certificateName,
            action: 'kept',
            ...(state.existing.expirationDate ? { validTo: state.existing.expirationDate } : {}),
          };
          return;
        }
        // Kept on failure, not deleted: its key never leaves the org, and a re-run signs or reuses it.
        register({
          description: messages.getMessage('rollback.certificateKept', [mode.certificateName]),
          run: () => Promise.resolve({ status: 'left', note: messages.getMessage('rollback.certificateKeptNote', [mode.certificateName]) }),
        });
        plan.csr = await createCsr({ ...request, keySize: mode.keySize });
      },
    },
    {
      id: 'csr-sign',
      title: title('csr-sign'),
      applies: (plan) => plan.csr !== undefined,
      run: async (plan): Promise<void> => {
        plan.signed = await signCsr(plan.csr!, plan.request.certificate!.signing);
      },
    },
    {
      id: 'csr-complete',
      title: title('csr-complete'),
      applies: (plan) => plan.signed !== undefined,
      run: async (plan): Promise<void> => {
        const completed = await completeSigned(orgRequest(plan), plan.signed!);
        plan.certificate = {
          certificateName: completed.certificateName,
          action: 'signed',
          ...signedSummary(plan.signed!),
          validTo: completed.leaf.validTo,
        };
      },
    },
  ];
}

/**
 * The signing certificate for the plan. After the stages ran it is signed (kept, or signed now); a
 * --dry-run skips them, so it reads what they would find, and refuses what csr-create would refuse.
 */
export async function csrCertificateForPlan(plan: ConfigurePlan): Promise<CertificateForPlan> {
  const developerName = plan.request.certificate!.certificateName;
  const expirationDate = plan.certificate?.validTo ?? plan.orgChecks?.certificate?.expirationDate;
  const known = { developerName, mode: 'csr' as const, ...(expirationDate ? { expirationDate } : {}) };
  if (plan.certificate) return { ...known, state: 'signed', signedNow: plan.certificate.action === 'signed' };
  const request = orgRequest(plan);
  const state = await readCertificateState(request.connection, developerName, request);
  if (state.kind === 'other') throw certificateInTheWay(developerName);
  return { ...known, state: state.kind };
}

function orgRequest(plan: ConfigurePlan): OrgRequest {
  const { request } = plan;
  return {
    org: request.org,
    connection: request.connection,
    project: request.project,
    certificateName: request.certificate!.certificateName,
    wait: request.wait,
    progress: { warn: request.listener?.warn, deploy: request.listener?.deployProgress, failures: request.listener?.deployFailures },
  };
}
