/*
 * Where generated source goes: the project's default package directory, or --output-dir; and the
 * project's sourceApiVersion check (principal access and callout status need API 59+).
 */
import { isAbsolute, join, resolve } from 'node:path';
import { Messages, SfProject } from '@salesforce/core';
import { MIN_SOURCE_API_VERSION } from './constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'metadata');

export type OutputLocation = {
  /** Absolute directory the files' relative paths are joined to: `<default package>/main/default`, or --output-dir. */
  packageDir: string;
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
    return {
      packageDir: isAbsolute(outputDir) ? outputDir : resolve(projectDir, outputDir),
      projectPath: project?.getPath(),
      sourceApiVersion,
    };
  }
  const defaultPackage = project!.getPackageDirectories().find((dir) => dir.default) ?? project!.getPackageDirectories()[0];
  if (!defaultPackage) {
    throw messages.createError('error.NoPackageDirectory', [project!.getPath()]);
  }
  // Where `sf project retrieve` puts new components of a package directory.
  return { packageDir: join(defaultPackage.fullPath, 'main', 'default'), projectPath: project!.getPath(), sourceApiVersion };
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
