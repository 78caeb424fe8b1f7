/*
 * What both CSR-mode steps do to the org's certificate: write certs/<name>.crt(-meta.xml) into the
 * project (caSigned, key not exportable) and deploy them. The .crt holds a placeholder before signing
 * and the signed chain after.
 */
import type { Certificate } from '@salesforce/types/metadata';
import type { Connection, Org, SfProject } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { resolveOutputLocation, targetPaths } from '../metadata/packageDir.js';
import { planMetadataFiles, writePlannedFiles } from '../metadata/writer.js';
import { toMetadataXml, type XmlBody } from '../metadata/xml.js';
import { type DeployOutcome, type DeployProgress, deploySource } from '../org/deploy.js';
import { assertDeploySucceeded } from '../org/deployService.js';
import type { ComponentFailure } from '../org/deployStatus.js';
import { csrMessages } from './messages.js';

export type CsrStage = 'check' | 'deploy' | 'retrieve' | 'sign' | 'confirm';

export type CsrProgress = {
  status?: (stage: CsrStage) => void;
  warn?: (message: string) => void;
  deploy?: (progress: DeployProgress) => void;
  failures?: (failures: ComponentFailure[]) => void;
};

export type OrgRequest = {
  org: Org;
  connection: Connection;
  project: SfProject;
  /** DeveloperName of the CA-signed certificate. */
  certificateName: string;
  wait?: Duration;
  progress?: CsrProgress;
  retrySleep?: (ms: number) => Promise<void>;
};

/** Writes certs/<name>.crt and .crt-meta.xml into the default package directory; returns their paths. */
export async function writeCertificateSource(
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

export async function deployCertificate(request: OrgRequest, paths: string[]): Promise<DeployOutcome> {
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
