/*
 * Where generated source goes: the project's default package directory, or --output-dir; and the
 * project's sourceApiVersion check (principal access and callout status need API 59+).
 */
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { Messages, SfProject } from '@salesforce/core';
import { MIN_SOURCE_API_VERSION } from './constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'metadata');

export type OutputLocation = {
  /** Absolute directory new files' relative paths are joined to: `<default package>/main/default`, or --output-dir. */
  packageDir: string;
  /** The directory searched for files that already exist elsewhere (the package directory, or --output-dir). */
  searchRoot: string;
  /** The SFDX project, when one was found. */
  projectPath?: string;
  sourceApiVersion?: string;
};

/**
 * Resolves the output directory. With `outputDir` a project is optional (its API version is still
 * checked when there is one); without it `projectDir` must be inside an SFDX project.
 */
export async function resolveOutputLocation(projectDir: string, outputDir?: string): Promise<OutputLocation> {
  const project = outputDir ? await SfProject.resolve(projectDir).catch(() => undefined) : await SfProject.resolve(projectDir);
  const sourceApiVersion = project ? checkSourceApiVersion(project) : undefined;
  if (outputDir) {
    const dir = isAbsolute(outputDir) ? outputDir : resolve(projectDir, outputDir);
    return {
      packageDir: dir,
      searchRoot: dir,
      projectPath: project?.getPath(),
      sourceApiVersion,
    };
  }
  const defaultPackage = project!.getPackageDirectories().find((dir) => dir.default) ?? project!.getPackageDirectories()[0];
  if (!defaultPackage) {
    throw messages.createError('error.NoPackageDirectory', [project!.getPath()]);
  }
  // Where `sf project retrieve` puts new components of a package directory.
  return {
    packageDir: join(defaultPackage.fullPath, 'main', 'default'),
    searchRoot: defaultPackage.fullPath,
    projectPath: project!.getPath(),
    sourceApiVersion,
  };
}

function checkSourceApiVersion(project: SfProject): string | undefined {
  const version = project.getSfProjectJson().getContents().sourceApiVersion;
  if (version !== undefined && !(Number(version) >= MIN_SOURCE_API_VERSION)) {
    const wanted = `${MIN_SOURCE_API_VERSION}.0`;
    throw messages.createError(
      'error.SourceApiVersionTooLow',
      [version, MIN_SOURCE_API_VERSION],
      [wanted, project.getSfProjectJson().getPath()]
    );
  }
  return version;
}

/**
 * Where each file should go: where the component already is, if the package directory holds exactly
 * one file of that name in that type folder (projects do not all use main/default, and a second copy
 * would be a duplicate component), else under `packageDir`. Only names are compared; nothing is parsed.
 */
export async function targetPaths(location: OutputLocation, relativePaths: readonly string[]): Promise<string[]> {
  const entries = await readdir(location.searchRoot, { recursive: true }).catch(() => [] as string[]);
  const normalized = entries.map((entry) => entry.split(sep).join('/'));
  return relativePaths.map((relativePath) => {
    const matches = normalized.filter((entry) => entry === relativePath || entry.endsWith(`/${relativePath}`));
    return matches.length === 1
      ? join(location.searchRoot, ...matches[0].split('/'))
      : join(location.packageDir, ...relativePath.split('/'));
  });
}
