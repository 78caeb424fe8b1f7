/*
 * The `iamra metadata generate` service: resolve inputs, build the credential set, write it into
 * the project's default package directory. `iamra deploy` uses generateMetadata, or planMetadata
 * (no writing) for a dry run; configure uses prepareCredentialSet and generateMetadata; none needs oclif.
 */
import { relative, sep } from 'node:path';
import { assertOutputDirectoryWritable } from '../files/atomicWrite.js';
import { selfSignedCertificatePem, TEMPLATE_VALIDITY } from '../keystore/selfSignedCertificate.js';
import { type MetadataFile, buildCredentialSet, type CredentialSetSpec, type IdentityProviderSpec } from './builder.js';
import { resolveCredentialSet, labelFor, type CredentialSetInput, type ResolvedInputs } from './inputs.js';
import { resolveOutputLocation, targetPaths } from './packageDir.js';
import type { InferredShape, Service } from './constants.js';
import { planMetadataFiles, type WriteStatus, type WrittenFile, writePlannedFiles } from './writer.js';

export type CredentialSetRequest = CredentialSetInput & {
  /** Also generate the self-signed certificate and IdentityProviderSettings (guide step 3-A/3-B). */
  identityProvider?: boolean;
  /** Try another shape for the [inferred] details (constants.ts); normally left out. */
  shape?: Partial<InferredShape>;
};

export type MetadataGenerateRequest = CredentialSetRequest & {
  /** Directory inside the SFDX project (default: the current directory). */
  projectDir?: string;
  /** Write here instead of the project's default package directory. */
  outputDir?: string;
  /** Replace files this command did not write. */
  force?: boolean;
};

export type PreparedCredentialSet = {
  spec: CredentialSetSpec;
  files: MetadataFile[];
  inputs: ResolvedInputs;
  /** For the Connect API at deploy time; not in any file. */
  roleArn: string;
  warnings: string[];
};

export type GeneratedFileResult = {
  type: string;
  fullName: string;
  /** Absolute path. */
  path: string;
  /** Path inside the package directory (or --output-dir), with `/`. */
  relativePath: string;
  status: WriteStatus;
};

export type MetadataGenerateResult = {
  /** The service (sts or s3) the set points at; the key keeps its published name. */
  stage: Service;
  /** The directory new files are written into: `<default package>/main/default`, or --output-dir. */
  outputDir: string;
  files: GeneratedFileResult[];
  inputs: ResolvedInputs;
  /** The role ARN is not metadata: it is the principal's credential, set through Connect at deploy time. */
  roleArnNotWritten: true;
  warnings: string[];
};

/** The throwaway self-signed certificate that enables the Identity Provider (guide step 3-A/3-B); deterministic. */
export function identityProviderSpec(idpName: string): IdentityProviderSpec {
  return {
    certificate: idpName,
    certificateLabel: labelFor(idpName),
    certificatePem: selfSignedCertificatePem({
      commonName: idpName,
      seed: `plugin-iamra identity provider template:${idpName}`,
      ...TEMPLATE_VALIDITY,
    }),
  };
}

/** Validates the request and builds the files in memory. Pure apart from reading --stack-outputs. */
export async function prepareCredentialSet(request: CredentialSetRequest): Promise<PreparedCredentialSet> {
  const resolved = await resolveCredentialSet(request);
  const idpName = resolved.inputs.names.identityProviderCertificate.value;
  const spec: CredentialSetSpec = {
    ...resolved.spec,
    shape: request.shape,
    identityProvider: request.identityProvider ? identityProviderSpec(idpName) : undefined,
  };
  return { spec, files: buildCredentialSet(spec), inputs: resolved.inputs, roleArn: resolved.roleArn, warnings: resolved.warnings };
}

export type PlannedMetadata = {
  /** What generateMetadata would return. */
  result: MetadataGenerateResult;
  /** Each file with its content and target path. */
  files: WrittenFile[];
};

/** Validates everything and decides where each file goes and its status, writing nothing. */
export async function planMetadata(request: MetadataGenerateRequest): Promise<PlannedMetadata> {
  return planPreparedMetadata(await prepareCredentialSet(request), request);
}

/** Where to write a prepared set, and whether to replace files this plugin did not write. */
export type WriteOptions = Pick<MetadataGenerateRequest, 'projectDir' | 'outputDir' | 'force'>;

/** planMetadata for a set already prepared (configure prepares each service's set once). */
export async function planPreparedMetadata(prepared: PreparedCredentialSet, request: WriteOptions): Promise<PlannedMetadata> {
  const location = await resolveOutputLocation(request.projectDir ?? process.cwd(), request.outputDir);
  // --output-dir can be anything the user typed: a file, or on a read-only mount; say so, not ENOTDIR.
  if (request.outputDir) await assertOutputDirectoryWritable(location.packageDir, 'generated source');
  const paths = await targetPaths(
    location,
    prepared.files.map((file) => file.relativePath)
  );
  const planned = await planMetadataFiles(prepared.files, paths, request.force);
  return {
    result: {
      stage: prepared.spec.service,
      outputDir: location.packageDir,
      files: planned.map(({ type, fullName, path, status }) => ({
        type,
        fullName,
        path,
        relativePath: relative(location.searchRoot, path).split(sep).join('/'),
        status,
      })),
      inputs: prepared.inputs,
      roleArnNotWritten: true,
      warnings: prepared.warnings,
    },
    files: planned,
  };
}

/** Validates everything, then writes the set; a refusal leaves the project untouched. */
export async function generateMetadata(request: MetadataGenerateRequest): Promise<MetadataGenerateResult> {
  const { result, files } = await planMetadata(request);
  await writePlannedFiles(files);
  return result;
}

/** generateMetadata for a set already prepared. */
export async function writePreparedMetadata(prepared: PreparedCredentialSet, options: WriteOptions): Promise<MetadataGenerateResult> {
  const { result, files } = await planPreparedMetadata(prepared, options);
  await writePlannedFiles(files);
  return result;
}
