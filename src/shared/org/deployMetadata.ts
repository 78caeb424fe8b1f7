/*
 * The one place metadata moves to and from the org outside source tracking: read components as the
 * org holds them (a Metadata-API-format retrieve, no SDR events), deploy XML in Metadata API format
 * (package.xml and destructiveChangesPost.xml through the XML module), and follow a deploy to its end.
 * Metadata-format deploys and retrieves emit no scopedPre/PostDeploy events, so no SourceTracking
 * listener left by an earlier tracked deploy can see a temp path (docs/salesforce-metadata.md §8).
 * A dropped checkDeployStatus does not decide the outcome: the deploy is looked up by id until it ends.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import {
  ComponentSet,
  DeployResult,
  type MetadataApiDeploy,
  MetadataApiDeploy as MetadataApiDeployClass,
  type MetadataApiDeployStatus,
  RegistryAccess,
  RequestStatus,
} from '@salesforce/source-deploy-retrieve';
import { toMetadataXml } from '../metadata/xml.js';
import { pollIntervalMs } from '../pollInterval.js';
import { errorText } from './orgErrors.js';
import { isTransientError, withRetry } from './retry.js';

export type ComponentRef = { type: string; fullName: string };

/** A component as the org holds it: `xml` is its Metadata API file, absent when the org has none. */
export type OrgComponent = ComponentRef & { xml?: string };

/** `id`: the deploy's id, so that two deploys of one run are told apart in the progress display. */
export type DeployProgress = { id?: string; status: string; deployed: number; total: number; errors: number };

/** How a deploy ended, once it is known: the org's status, or still running past --wait. */
export type FinishedDeploy =
  | { kind: 'done'; result: DeployResult }
  | { kind: 'timed-out'; id: string };

const registry = new RegistryAccess();

/** Temp folders this process made and has not yet removed (an interrupted run removes them on the way out). */
const liveTempDirs = new Set<string>();

export async function removeTempDirs(): Promise<void> {
  await Promise.all([...liveTempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  liveTempDirs.clear();
}

async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  liveTempDirs.add(dir);
  try {
    return await work(dir);
  } finally {
    liveTempDirs.delete(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Where a component's file sits in a Metadata API package (e.g. `externalCredentials/X.externalCredential`). */
export function mdapiPath(ref: ComponentRef): string {
  const type = registry.getTypeByName(ref.type);
  return `${type.directoryName}/${ref.fullName}.${type.suffix ?? ''}`;
}

export type RetrieveOptions = {
  /** How long the retrieve may take; default 10 minutes. */
  wait?: Duration;
  /** The package.xml version; SDR's default otherwise. */
  apiVersion?: string;
  retrySleep?: (ms: number) => Promise<void>;
};

/** A finished retrieve: the org's status and, by the metadata-format path asked for, the files it returned. */
export type RetrievedFiles = { id: string; succeeded: boolean; status: string; problems: string; files: Map<string, string> };

/**
 * The one retrieve loop: a Metadata-API-format retrieve of `refs` into a temp folder (removed afterwards,
 * also on interruption), polled until it ends, and the files at `paths` (e.g. `certs/X.crt`) read back.
 */
export async function retrieveFiles(connection: Connection, refs: ComponentRef[], paths: string[], options: RetrieveOptions = {}): Promise<RetrievedFiles> {
  return withTempDir('iamra-read-', async (dir) => {
    const set = new ComponentSet(refs.map(({ type, fullName }) => ({ type, fullName })));
    if (options.apiVersion) set.apiVersion = options.apiVersion;
    const retrieve = await withRetry(
      () =>
        set.retrieve({
          usernameOrConnection: connection,
          output: dir,
          format: 'metadata',
          unzip: true,
          singlePackage: true,
          suppressEvents: true,
        }),
      { sleep: options.retrySleep }
    );
    const result = await retrieve.pollStatus({ frequency: Duration.milliseconds(pollFrequencyMs()), timeout: options.wait ?? Duration.minutes(10) });
    const { id, status, messages } = result.response;
    const files = new Map<string, string>();
    const succeeded = status === RequestStatus.Succeeded;
    if (succeeded) {
      const listed = await listFiles(dir);
      for (const path of paths) {
        const file = listed.find((f) => f.endsWith(`/${path}`));
        // eslint-disable-next-line no-await-in-loop
        if (file) files.set(path, await readFile(file, 'utf8'));
      }
    }
    return { id, succeeded, status: String(status), problems: succeeded ? '' : errorText(messages), files };
  });
}

/** Reads the components from the org (one retrieve and its polls); what the org lacks comes back without xml. */
export async function retrieveComponents(connection: Connection, refs: ComponentRef[]): Promise<OrgComponent[]> {
  const retrieved = await retrieveFiles(connection, refs, refs.map(mdapiPath), { apiVersion: connection.getApiVersion() });
  if (!retrieved.succeeded) throw new Error(`Retrieve ${retrieved.id} ${retrieved.status}: ${retrieved.problems}`);
  return refs.map((ref) => {
    const xml = retrieved.files.get(mdapiPath(ref));
    return xml === undefined ? { ...ref } : { ...ref, xml };
  });
}

export type MetadataDeployRequest = {
  /** Components to deploy with the given XML. */
  upserts: Array<ComponentRef & { xml: string }>;
  /** Components to delete (destructiveChangesPost.xml), in the same transaction. */
  deletes: ComponentRef[];
  wait?: Duration;
  onProgress?: (progress: DeployProgress) => void;
};

/** Deploys Metadata-API-format XML (no source tracking, no SDR events) and follows it to its end. */
export async function deployMetadataXml(connection: Connection, request: MetadataDeployRequest): Promise<FinishedDeploy> {
  const apiVersion = connection.getApiVersion();
  return withTempDir('iamra-deploy-', async (dir) => {
    await writeFile(join(dir, 'package.xml'), packageXml(request.upserts, apiVersion));
    if (request.deletes.length) await writeFile(join(dir, 'destructiveChangesPost.xml'), packageXml(request.deletes, apiVersion));
    for (const component of request.upserts) {
      const path = join(dir, mdapiPath(component));
      // eslint-disable-next-line no-await-in-loop
      await mkdir(dirname(path), { recursive: true });
      // eslint-disable-next-line no-await-in-loop
      await writeFile(path, component.xml);
    }
    const deploy = new MetadataApiDeployClass({
      usernameOrConnection: connection,
      mdapiPath: dir,
      apiOptions: { rollbackOnError: true, singlePackage: true },
    });
    await withRetry(() => deploy.start());
    return followDeploy(connection, deploy, { wait: request.wait, onProgress: request.onProgress });
  });
}

/** package.xml (or a destructive-changes manifest) for the components, through the XML module. */
export function packageXml(components: ComponentRef[], apiVersion: string): string {
  const types = [...new Set(components.map((c) => c.type))].sort().map((name) => ({
    members: components.filter((c) => c.type === name).map((c) => c.fullName).sort(),
    name,
  }));
  return toMetadataXml('Package', { ...(types.length ? { types } : {}), version: apiVersion });
}

/**
 * Polls a started deploy until it ends or --wait runs out. A poll that fails on the network does not
 * decide anything: the deploy is looked up by its id (checkDeployStatus) until its outcome is known.
 */
export async function followDeploy(
  connection: Connection,
  deploy: MetadataApiDeploy,
  options: { wait?: Duration; onProgress?: (progress: DeployProgress) => void; components?: ComponentSet }
): Promise<FinishedDeploy> {
  const wait = options.wait ?? Duration.minutes(33);
  const deadline = Date.now() + wait.milliseconds;
  deploy.onUpdate((s) => options.onProgress?.(progressOf(s)));
  try {
    const result = await deploy.pollStatus({ frequency: Duration.milliseconds(pollFrequencyMs()), timeout: wait });
    // SDR's onUpdate skips the final status: report it, so the display ends on the deploy's own counts.
    options.onProgress?.(progressOf(result.response));
    return { kind: 'done', result };
  } catch (error) {
    if (!deploy.id) throw error;
    if (/timed out|PollingClientTimeout/i.test(errorText(error))) return { kind: 'timed-out', id: deploy.id };
    if (!isTransientError(error)) throw error;
    return lookUpDeploy(connection, deploy.id, deadline, options);
  }
}

/** checkDeployStatus by id, tolerating dropped answers, until the deploy is done or the deadline passes. */
export async function lookUpDeploy(
  connection: Connection,
  id: string,
  deadline: number,
  options: { onProgress?: (progress: DeployProgress) => void; components?: ComponentSet } = {}
): Promise<FinishedDeploy> {
  for (;;) {
    let status: MetadataApiDeployStatus | undefined;
    try {
      // eslint-disable-next-line no-await-in-loop
      status = (await connection.metadata.checkDeployStatus(id, true)) as unknown as MetadataApiDeployStatus;
    } catch (error) {
      if (!isTransientError(error)) throw error;
    }
    if (status) {
      options.onProgress?.(progressOf(status));
      if (status.done === true || String(status.done) === 'true') {
        return { kind: 'done', result: new DeployResult(normalizeStatus(status), options.components) };
      }
    }
    if (Date.now() >= deadline) return { kind: 'timed-out', id };
    // eslint-disable-next-line no-await-in-loop
    await new Promise((resolve) => setTimeout(resolve, pollFrequencyMs()));
  }
}

/** Asks the org to cancel a deploy still running past --wait and follows it until it stops (bounded). */
export async function cancelAndFollow(connection: Connection, id: string, wait: Duration = Duration.minutes(2)): Promise<FinishedDeploy> {
  await withRetry(() => connection.metadata.cancelDeploy(id)).catch(() => undefined);
  return lookUpDeploy(connection, id, Date.now() + wait.milliseconds);
}

function progressOf(s: MetadataApiDeployStatus): DeployProgress {
  return {
    id: s.id,
    status: String(s.status),
    deployed: Number(s.numberComponentsDeployed ?? 0),
    total: Number(s.numberComponentsTotal ?? 0),
    errors: Number(s.numberComponentErrors ?? 0),
  };
}

/** jsforce leaves SOAP booleans and numbers as strings; SDR's own poll converts them the same way. */
function normalizeStatus(status: MetadataApiDeployStatus): MetadataApiDeployStatus {
  const bool = (v: unknown): boolean => v === true || v === 'true';
  return { ...status, done: bool(status.done), success: bool(status.success), checkOnly: bool(status.checkOnly) };
}

/** Once a second suits real orgs (src/shared/pollInterval.ts). */
const pollFrequencyMs = (): number => pollIntervalMs(1000);

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).split('\\').join('/'));
}
