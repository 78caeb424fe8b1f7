/*
 * The org's own versions of the components configure deploys, retrieved before the first deploy, so a
 * failed run can put them back (redeploy what existed, delete what configure created). Salesforce has
 * no transaction across deploys; this is the closest thing to one.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet, MetadataApiDeploy, RequestStatus } from '@salesforce/source-deploy-retrieve';

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
 * with a destructive-changes deploy (one transaction, so dependents go together).
 */
export async function restoreOrgComponents(connection: Connection, snapshot: OrgSnapshot): Promise<void> {
  const apiVersion = connection.getApiVersion();
  if (snapshot.existing.length) {
    const restore = ComponentSet.fromSource(snapshot.dir);
    restore.apiVersion = apiVersion;
    await finish(await restore.deploy({ usernameOrConnection: connection, apiOptions: { rollbackOnError: true } }));
  }
  if (snapshot.missing.length) {
    // SDR builds no deploy from components without source, so the destructive package is written directly.
    const dir = join(snapshot.dir, 'destructive');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.xml'), packageXml([], apiVersion));
    await writeFile(join(dir, 'destructiveChangesPost.xml'), packageXml(snapshot.missing, apiVersion));
    const deploy = new MetadataApiDeploy({ usernameOrConnection: connection, mdapiPath: dir, apiOptions: { rollbackOnError: true } });
    await deploy.start();
    await finish(deploy);
  }
}

async function finish(deploy: MetadataApiDeploy): Promise<void> {
  const result = await deploy.pollStatus();
  if (result.response.status !== RequestStatus.Succeeded) {
    const failures = [result.response.details.componentFailures ?? []].flat();
    const problems = failures.map((f) => `${f.componentType ?? ''} ${f.fullName}: ${f.problem ?? ''}`);
    throw new Error(`${result.response.status}: ${problems.join('; ') || (result.response.errorMessage ?? '')}`);
  }
}

function packageXml(components: ComponentRef[], apiVersion: string): string {
  const types = [...new Set(components.map((c) => c.type))].map(
    (type) =>
      `    <types>\n${components
        .filter((c) => c.type === type)
        .map((c) => `        <members>${c.fullName}</members>\n`)
        .join('')}        <name>${type}</name>\n    </types>\n`
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types.join('')}    <version>${apiVersion}</version>\n</Package>\n`;
}

export async function disposeSnapshot(snapshot: OrgSnapshot | undefined): Promise<void> {
  if (snapshot) await rm(snapshot.dir, { recursive: true, force: true });
}

const key = (c: ComponentRef): string => `${c.type}:${c.fullName}`;
