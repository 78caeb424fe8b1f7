/*
 * SOAP Metadata API: deploy / checkDeployStatus / cancelDeploy / retrieve / checkRetrieveStatus.
 * Deploys unzip the real zip, parse every file, run schema + rules, then apply all-or-nothing
 * (rollbackOnError) unless checkOnly; results carry per-file componentSuccesses / componentFailures
 * as Salesforce reports them, so SDR's getFileResponses() and `sf project deploy start` print them.
 */
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import type { OrgState } from '../org/state.js';
import type { FaultKnobs } from '../harness/faults.js';
import { componentsOf, type DeployComponent } from '../rules/components.js';
import { checkRules } from '../rules/rules.js';
import { applyComponent } from '../rules/apply.js';
import { applyDeletion, checkDeletions, type Deletion, deletionsOf } from '../rules/destructive.js';
import { inferredMessages } from '../rules/inferred.js';
import { METADATA_NS } from '../rules/metadataSchema.js';
import { soapEnvelope, soapFault, type SoapRequest } from './soap.js';

export type SoapAnswer = { status: number; body: string };

/**
 * A deploy as the org runs it [doc: deploy(), checkDeployStatus(), cancelDeploy()]: Queued until the
 * first status check, then InProgress for `pollsLeft` checks, then it runs the rules and applies (or
 * not) in one go. cancelDeploy cancels a queued deploy at once (done: true) and an in-progress one
 * after one more check answering Canceling; a cancelled deploy applies nothing.
 */
type DeployJob = {
  id: string;
  /** The summary (and, once done, the details) checkDeployStatus answers. */
  result: Record<string, unknown>;
  pollsLeft: number;
  state: 'Queued' | 'InProgress' | 'Canceling' | 'Done';
  /** Validates, applies and returns the final result; runs once, when the deploy completes. */
  complete?: () => Record<string, unknown>;
};
type RetrieveJob = { id: string; result: Record<string, unknown> };

const packageParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['types', 'members'].includes(name) });

export class MetadataApi {
  /** How many checkDeployStatus calls answer InProgress before the result (0 = done at once). */
  public pollsBeforeDone = 0;
  public readonly deploys = new Map<string, DeployJob>();
  private readonly retrieves = new Map<string, RetrieveJob>();

  public constructor(private readonly state: OrgState, private readonly faults: FaultKnobs) {}

  public async handle(request: SoapRequest): Promise<SoapAnswer> {
    switch (request.operation) {
      case 'deploy':
        return this.deploy(request.args);
      case 'checkDeployStatus':
        return this.checkDeployStatus(request.args);
      case 'cancelDeploy':
        return this.cancelDeploy(String(request.args.asyncProcessId ?? request.args.String ?? request.args.id ?? ''));
      case 'retrieve':
        return this.retrieve(request.args);
      case 'checkRetrieveStatus':
        return this.checkRetrieveStatus(request.args);
      default:
        return { status: 500, body: soapFault('INVALID_OPERATION', `The org simulator does not implement ${request.operation}`) };
    }
  }

  /** The org gets through its queue: every deploy still queued or in progress completes at its next status check. */
  public letRunningDeploysFinish(): void {
    for (const job of this.deploys.values()) if (job.state === 'Queued' || job.state === 'InProgress') job.pollsLeft = 0;
  }

  private async deploy(args: Record<string, unknown>): Promise<SoapAnswer> {
    const options = (args.DeployOptions ?? {}) as Record<string, string | undefined>;
    const checkOnly = options.checkOnly === 'true';
    // [doc] rollbackOnError defaults to true and production orgs force it.
    const rollbackOnError = options.rollbackOnError !== 'false' || this.state.orgType === 'production';
    if (options.testLevel === 'NoTestRun' && this.state.orgType === 'production') {
      return { status: 500, body: soapFault('INVALID_OPERATION', inferredMessages.noTestRunInProduction()) };
    }
    const files = await unzip(Buffer.from(String(args.ZipFile ?? ''), 'base64')).catch(() => undefined);
    if (!files) return { status: 500, body: soapFault('INVALID_FIELD', 'The zip file is invalid or corrupt') };
    const started = new Date().toISOString();
    const apiVersion = (files['package.xml'] && packageVersion(files['package.xml'])) ?? Number(this.state.apiVersion);
    const components = componentsOf(withoutPackageFiles(files), apiVersion);
    const deletions = deletionsOf(files);
    // The fault belongs to this deploy (the "next" one), whenever it completes.
    const fault = this.faults.takeDeployFailure({ deletes: deletions.length > 0 });
    const id = this.state.newId('DeployRequest');
    const base = {
      checkOnly,
      createdBy: this.state.adminUserId,
      createdByName: this.state.adminUser.name,
      createdDate: started,
      id,
      ignoreWarnings: options.ignoreWarnings === 'true',
      numberComponentErrors: 0,
      numberComponentsDeployed: 0,
      numberComponentsTotal: components.length,
      numberTestErrors: 0,
      numberTestsCompleted: 0,
      numberTestsTotal: 0,
      rollbackOnError,
      runTestsEnabled: false,
    };
    const complete = (): Record<string, unknown> => {
      // The org checks the rules when the deploy runs, against the org as it is then.
      checkRules(components, this.state, this.state.adminUser);
      checkDeletions(deletions, this.state);
      if (fault?.problem) [...components, ...deletions].forEach((c) => c.problems.push(fault.problem!));
      const failed = [...components, ...deletions].filter((c) => c.problems.length > 0).length;
      const apply = !checkOnly && (failed === 0 || !rollbackOnError) && !fault?.errorMessage;
      const details = this.componentResults(components, apply, started, 'package.xml' in files);
      this.deletionResults(deletions, apply, started, details);
      const status = deployStatus(Boolean(fault?.errorMessage), failed, rollbackOnError || checkOnly);
      return {
        ...base,
        completedDate: new Date().toISOString(),
        details: { ...details, runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 } },
        done: true,
        errorMessage: fault?.errorMessage,
        errorStatusCode: fault?.errorMessage ? 'UNKNOWN_EXCEPTION' : undefined,
        lastModifiedDate: new Date().toISOString(),
        numberComponentErrors: details.componentFailures.length,
        numberComponentsDeployed: status === 'Failed' ? 0 : components.length - failed,
        startDate: started,
        status,
        success: status !== 'Failed',
      };
    };
    const job: DeployJob = { id, result: { ...base, done: false, status: 'Queued', success: false }, pollsLeft: this.pollsBeforeDone, state: 'Queued', complete };
    this.deploys.set(id, job);
    // A deploy the org finishes before anyone asks (no InProgress polls) is done on receipt.
    if (job.pollsLeft === 0) this.finish(job);
    return ok('deploy', { done: false, id, state: 'Queued' });
  }

  /** Per-file results; applies each passing component to the org when `apply`. */
  private componentResults(
    components: DeployComponent[],
    apply: boolean,
    started: string,
    hasPackageXml: boolean
  ): { componentSuccesses: Array<Record<string, unknown>>; componentFailures: Array<Record<string, unknown>> } {
    const componentSuccesses: Array<Record<string, unknown>> = [];
    const componentFailures: Array<Record<string, unknown>> = [];
    for (const c of components) {
      if (c.problems.length > 0) {
        componentFailures.push(...c.problems.map((problem) => componentResult(c, started, { success: false, problem })));
        continue;
      }
      const before = existingId(this.state, c);
      const applied = apply ? applyComponent(this.state, c) : { id: before, created: !before };
      componentSuccesses.push(componentResult(c, started, { success: true, id: applied.id, created: applied.created }));
    }
    if (hasPackageXml) {
      componentSuccesses.push({ changed: true, componentType: '', created: false, createdDate: started, deleted: false, fileName: 'package.xml', fullName: 'package.xml', success: true });
    }
    return { componentSuccesses, componentFailures };
  }

  /** Destructive changes: refused ones are failures; the others are applied with the deploy. */
  private deletionResults(
    deletions: Deletion[],
    apply: boolean,
    started: string,
    details: { componentSuccesses: Array<Record<string, unknown>>; componentFailures: Array<Record<string, unknown>> }
  ): void {
    for (const d of deletions) {
      if (d.problems.length) {
        details.componentFailures.push(...d.problems.map((problem) => deletionResult(d, started, problem)));
      } else {
        if (apply) applyDeletion(this.state, d);
        details.componentSuccesses.push(deletionResult(d, started));
      }
    }
  }

  private checkDeployStatus(args: Record<string, unknown>): SoapAnswer {
    const job = this.deploys.get(String(args.asyncProcessId ?? ''));
    if (!job) return { status: 500, body: soapFault('INVALID_ID_FIELD', 'invalid id') };
    if (job.state === 'Canceling') {
      // [doc] an in-progress deploy is not always cancelled at once; that one answer says Canceling, then Canceled, is [inferred].
      this.cancel(job);
      return ok('checkDeployStatus', { ...job.result, done: false, status: 'Canceling' });
    }
    if (job.state === 'Queued' || job.state === 'InProgress') {
      if (job.pollsLeft > 0) {
        job.pollsLeft -= 1;
        job.state = 'InProgress';
        job.result = { ...job.result, status: 'InProgress', startDate: job.result.startDate ?? new Date().toISOString() };
        return ok('checkDeployStatus', job.result);
      }
      this.finish(job);
    }
    const includeDetails = args.includeDetails === 'true';
    const { details, ...summary } = job.result;
    return ok('checkDeployStatus', includeDetails && details ? { ...summary, details } : summary);
  }

  /** [doc] cancelDeploy(): a queued deploy is cancelled at once; an in-progress one on a later check; a finished one cannot be. */
  private cancelDeploy(id: string): SoapAnswer {
    const job = this.deploys.get(id);
    if (!job) return { status: 500, body: soapFault('INVALID_ID_FIELD', 'Invalid deploy ID') };
    if (job.state === 'Done') return { status: 500, body: soapFault('INVALID_ID_FIELD', 'Deployment already completed') };
    if (job.state === 'Queued') {
      this.cancel(job);
      return ok('cancelDeploy', { done: true, id });
    }
    job.state = 'Canceling';
    return ok('cancelDeploy', { done: false, id });
  }

  private finish(job: DeployJob): void {
    job.result = job.complete!();
    job.complete = undefined;
    job.state = 'Done';
  }

  /** A cancelled deploy ends Canceled, having applied nothing. */
  private cancel(job: DeployJob): void {
    const now = new Date().toISOString();
    job.complete = undefined;
    job.state = 'Done';
    job.result = { ...job.result, completedDate: now, lastModifiedDate: now, done: true, status: 'Canceled', success: false, numberComponentsDeployed: 0 };
  }

  private async retrieve(args: Record<string, unknown>): Promise<SoapAnswer> {
    const request = (args.request ?? args.retrieveRequest ?? {}) as { singlePackage?: string; unpackaged?: { types?: unknown } };
    const types = arrayOf(request.unpackaged?.types) as Array<{ name?: string; members?: string | string[] }>;
    const wanted = types.flatMap((t) => arrayOf(t.members).map((m) => [String(t.name), String(m)] as const));
    // [doc] singlePackage defaults to false: files then sit under `unpackaged/`.
    const singlePackage = request.singlePackage === 'true';
    const prefix = singlePackage ? '' : 'unpackaged/';
    const zip = new JSZip();
    const fileProperties: Array<Record<string, unknown>> = [];
    const messages: Array<Record<string, unknown>> = [];
    const now = new Date().toISOString();
    for (const [type, member] of wanted) {
      const matches = [...this.state.components.values()].filter((c) => c.type === type && (member === '*' || c.fullName === member));
      if (matches.length === 0 && member !== '*') {
        messages.push({ fileName: `${prefix}package.xml`, problem: `Entity of type '${type}' named '${member}' cannot be found` });
      }
      for (const component of matches) {
        for (const [path, content] of Object.entries(component.files)) zip.file(`${prefix}${path}`, content);
        const mainFile = Object.keys(component.files).find((p) => !p.endsWith('-meta.xml')) ?? Object.keys(component.files)[0];
        fileProperties.push({
          createdById: this.state.adminUserId,
          createdByName: this.state.adminUser.name,
          createdDate: now,
          fileName: `${prefix}${mainFile}`,
          fullName: component.fullName,
          id: this.state.newId('SourceMember'),
          lastModifiedById: this.state.adminUserId,
          lastModifiedByName: this.state.adminUser.name,
          lastModifiedDate: now,
          manageableState: 'unmanaged',
          type: component.type,
        });
      }
    }
    zip.file(`${prefix}package.xml`, packageXmlFor(fileProperties, this.state.apiVersion));
    const id = this.state.newId('RetrieveRequest');
    const zipFile = (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
    this.retrieves.set(id, {
      id,
      result: { done: true, fileProperties, id, messages: messages.length ? messages : undefined, status: 'Succeeded', success: true, zipFile },
    });
    return ok('retrieve', { done: false, id, state: 'Queued' });
  }

  private checkRetrieveStatus(args: Record<string, unknown>): SoapAnswer {
    const job = this.retrieves.get(String(args.asyncProcessId ?? ''));
    if (!job) return { status: 500, body: soapFault('INVALID_ID_FIELD', 'invalid id') };
    return ok('checkRetrieveStatus', job.result);
  }
}

function deployStatus(aborted: boolean, failedComponents: number, allOrNothing: boolean): 'Failed' | 'Succeeded' | 'SucceededPartial' {
  if (aborted) return 'Failed';
  if (failedComponents === 0) return 'Succeeded';
  return allOrNothing ? 'Failed' : 'SucceededPartial';
}

function ok(operation: string, result: unknown): SoapAnswer {
  return { status: 200, body: soapEnvelope(METADATA_NS, operation, result) };
}

function arrayOf<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

async function unzip(buffer: Buffer): Promise<Record<string, Buffer>> {
  const zip = await JSZip.loadAsync(buffer);
  const files: Record<string, Buffer> = {};
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  // A zip may wrap everything in one folder (`unpackaged/package.xml`); paths are relative to package.xml.
  const pkg = entries.find((f) => f.name.endsWith('package.xml') && !f.name.includes('destructive'));
  const root = pkg ? pkg.name.slice(0, -'package.xml'.length) : '';
  for (const entry of entries) {
    // eslint-disable-next-line no-await-in-loop
    files[entry.name.slice(root.length)] = await entry.async('nodebuffer');
  }
  return files;
}

function withoutPackageFiles(files: Record<string, Buffer>): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(files).filter(([p]) => !/^(destructiveChanges(Pre|Post)?\.xml|package\.xml)$/.test(p)));
}

function packageVersion(xml: Buffer): number | undefined {
  const doc = packageParser.parse(xml.toString('utf8')) as { Package?: { version?: string } };
  return doc.Package?.version ? Number(doc.Package.version) : undefined;
}

function existingId(state: OrgState, c: DeployComponent): string {
  const lookups: Record<string, () => string | undefined> = {
    ExternalCredential: () => state.externalCredential(c.fullName)?.id,
    NamedCredential: () => state.namedCredential(c.fullName)?.id,
    PermissionSet: () => state.permissionSets.find((p) => p.name === c.fullName)?.id,
    Certificate: () => state.certificate(c.fullName)?.id,
  };
  return lookups[c.type]?.() ?? '';
}

function deletionResult(d: { type: string; fullName: string }, createdDate: string, problem?: string): Record<string, unknown> {
  return {
    changed: !problem,
    componentType: d.type,
    created: false,
    createdDate,
    deleted: !problem,
    fileName: 'destructiveChanges.xml',
    fullName: d.fullName,
    problem,
    problemType: problem ? 'Error' : undefined,
    success: !problem,
  };
}

function componentResult(
  c: DeployComponent,
  createdDate: string,
  outcome: { success: boolean; problem?: string; id?: string; created?: boolean }
): Record<string, unknown> {
  return {
    changed: outcome.success,
    componentType: c.type,
    created: outcome.created ?? false,
    createdDate,
    deleted: false,
    fileName: c.fileName,
    fullName: c.fullName,
    id: outcome.id ? outcome.id : undefined,
    problem: outcome.problem,
    problemType: outcome.success ? undefined : 'Error',
    success: outcome.success,
  };
}

function packageXmlFor(fileProperties: Array<Record<string, unknown>>, apiVersion: string): string {
  const byType = new Map<string, string[]>();
  for (const p of fileProperties) byType.set(String(p.type), [...(byType.get(String(p.type)) ?? []), String(p.fullName)]);
  const types = [...byType.entries()]
    .map(([name, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="${METADATA_NS}">\n${types}    <version>${apiVersion}</version>\n</Package>\n`;
}
