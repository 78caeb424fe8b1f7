/*
 * The org's own versions of the components configure deploys, retrieved before the first deploy, so a
 * failed run can put them back (redeploy what existed, delete what configure created). Salesforce has
 * no transaction across deploys; this is the closest thing to one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import {
  ComponentSet,
  ComponentStatus,
  DestructiveChangesType,
  RegistryAccess,
  RequestStatus,
} from '@salesforce/source-deploy-retrieve';

export type ComponentRef = { type: string; fullName: string };

export type OrgSnapshot = {
  /** Components that existed before, with their retrieved source. */
  existing: ComponentRef[];
  /** Components that did not exist; undo deletes them. */
  missing: ComponentRef[];
  /** Temp directory holding the retrieved source; removed by dispose(). */
  dir: string;
};

export async function snapshotOrgComponents(connection: Connection, components: ComponentRef[]): Promise<OrgSnapshot> {
  const dir = await mkdtemp(join(tmpdir(), 'iamra-org-snapshot-'));
  const wanted = new ComponentSet(components);
  wanted.apiVersion = connection.getApiVersion();
  const retrieve = await wanted.retrieve({ usernameOrConnection: connection, output: dir, merge: false });
  const result = await retrieve.pollStatus();
  const found = new Set(result.components.toArray().map((c) => key({ type: c.type.name, fullName: c.fullName })));
  return {
    existing: components.filter((c) => found.has(key(c))),
    missing: components.filter((c) => !found.has(key(c))),
    dir,
  };
}

/**
 * Puts the org back: the retrieved versions are deployed again, and what did not exist is deleted
 * (a destructive-changes deploy, which removes dependents in one transaction).
 */
export async function restoreOrgComponents(connection: Connection, snapshot: OrgSnapshot): Promise<void> {
  const restore = snapshot.existing.length ? ComponentSet.fromSource(snapshot.dir) : new ComponentSet();
  const registry = new RegistryAccess();
  for (const ref of snapshot.missing) {
    restore.add(
      { fullName: ref.fullName, type: registry.getTypeByName(ref.type) },
      DestructiveChangesType.POST
    );
  }
  restore.apiVersion = connection.getApiVersion();
  const deploy = await restore.deploy({ usernameOrConnection: connection, apiOptions: { rollbackOnError: true } });
  const result = await deploy.pollStatus();
  if (result.response.status !== RequestStatus.Succeeded) {
    const problems = result
      .getFileResponses()
      .filter((f) => f.state === ComponentStatus.Failed)
      .map((f) => `${f.type} ${f.fullName}: ${'error' in f ? f.error : ''}`);
    throw new Error(`${result.response.status}: ${problems.join('; ') || (result.response.errorMessage ?? '')}`);
  }
}

export async function disposeSnapshot(snapshot: OrgSnapshot | undefined): Promise<void> {
  if (snapshot) await rm(snapshot.dir, { recursive: true, force: true });
}

const key = (c: ComponentRef): string => `${c.type}:${c.fullName}`;
