/*
 * The one object that flows through `sf iamra configure`: the request it starts from, and what each
 * stage adds to it. Stages read earlier stages' fields; nothing else carries state between them.
 */
import type { Connection, Org, SfProject } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import type { Service } from '../metadata/constants.js';
import type { ResolvedArns } from '../aws/arnResolver.js';
import type { MetadataGenerateResult, PreparedCredentialSet } from '../metadata/generate.js';
import type { CredentialSetInput } from '../metadata/inputs.js';
import type { DeployOutcome, DeployProgress } from '../org/deploy.js';
import type { ComponentFailure } from '../org/deployStatus.js';
import type { AssignmentResult } from '../org/permissionSetAssignment.js';
import type { PreflightResult } from '../org/preflightChecks.js';
import type { PrincipalCredentialChange } from '../org/principalCredential.js';
import type { SmokeTestResult } from '../org/smokeTest.js';
import type { OrgNames } from '../org/types.js';
import type { RolesAnywhereCheckRequest, VerifyResult } from '../rolesanywhere/createSession.js';
import type { CsrCompleteResult } from '../csr/completeCsr.js';
import type { CsrCreateResult } from '../csr/createCsr.js';
import type { CsrSignedSummary, PrivateCaSigning } from '../csr/createSignedCsr.js';
import type { SignedCsr } from '../aws/privateCaSigning.js';
import type { ConvergePlan, PlanRow, Route } from './converge.js';
import type { Lease } from './lease.js';
import type { OrgReading } from './orgRead.js';
import type { RollbackOutcome, StageListener, StageOutcome } from './stageRunner.js';

export type ConfigureRequest = {
  org: Org;
  connection: Connection;
  project: SfProject;
  /** ARNs, stack outputs, region, STS duration and name overrides, as `sf iamra metadata generate` takes them. */
  credentialSet: Omit<CredentialSetInput, 'service'>;
  /**
   * --mode csr: the certificate stages (certificateStages.ts) first; the org makes the key and AWS
   * Private CA signs its CSR. Absent in jks mode (the keystore is imported in Setup).
   */
  certificate?: { certificateName: string; keySize: number; signing: PrivateCaSigning };
  /** --keystore with --dry-run: the certificate is absent, and a real run would guide its import first. */
  certificateToImport?: string;
  /** Run the IAM Roles Anywhere CreateSession check first and stop if AWS refuses the certificate. */
  preflight?: RolesAnywhereCheckRequest;
  /** Users besides the running user who get the permission set. */
  assignTo?: string[];
  /** Where the named credential ends: s3 (the connector's working stage, default) or sts. */
  finalService: Service;
  /**
   * `sf iamra deploy`: only read-org, deploy-changes, role-arn and permission-set, the changes
   * deployed straight to finalService (no STS route, no checks, no switch).
   */
  steps?: 'configure' | 'deploy';
  /** Undo every change when a stage fails (default true). */
  rollback: boolean;
  /** Read the org and show the plan; change nothing in the org or the project. */
  dryRun?: boolean;
  /** Overwrite components whose org content someone else set (as `sf project deploy start --ignore-conflicts`). */
  ignoreConflicts?: boolean;
  wait?: Duration;
  testLevel?: string;
  /** Passed to the retry of each deploy start (tests inject a no-wait sleep). */
  retrySleep?: (ms: number) => Promise<void>;
  /** Set when the user interrupted the run (Ctrl-C, SIGTERM): the error the run ends with. */
  interrupted?: () => Error | undefined;
  listener?: StageListener & {
    /** The plan, before anything changes. */
    plan?: (rows: PlanRow[], route: Route) => void;
    warn?: (message: string) => void;
    deployProgress?: (progress: DeployProgress) => void;
    deployFailures?: (failures: ComponentFailure[]) => void;
  };
};

export type ServiceDeploy = { generate: MetadataGenerateResult; deploy: DeployOutcome };

export type ConfigurePlan = {
  request: ConfigureRequest;
  /** Resolved once, by the first stage that needs them. */
  arns?: ResolvedArns;
  /** Each service's credential set, prepared once. */
  prepared?: Partial<Record<Service, PreparedCredentialSet>>;
  /** The certificate stages' steps (--mode csr). */
  csr?: CsrCreateResult;
  signed?: SignedCsr;
  completed?: CsrCompleteResult;
  certificate?: ConfigureCertificate;
  names?: OrgNames;
  roleArn?: string;
  preflight?: VerifyResult;
  orgChecks?: PreflightResult;
  reading?: OrgReading;
  convergence?: ConvergePlan;
  lease?: Lease;
  /** Every version of each component this run deployed or started to deploy, by `Type:fullName`. */
  deployed: Map<string, string[]>;
  sts?: ServiceDeploy;
  changes?: ServiceDeploy;
  principalCredential?: PrincipalCredentialChange;
  permissionSet?: AssignmentResult;
  smoke?: SmokeTestResult;
  s3?: ServiceDeploy;
  warnings: string[];
};

/** --mode csr: the signing certificate as the run left it, kept (already signed and in place) or signed now. */
export type ConfigureCertificate = { certificateName: string; action: 'kept' | 'signed'; validTo?: string } & Partial<CsrSignedSummary>;

/** The plan as --json reports it. */
export type ConfigurePlanSummary = {
  route: Route;
  rows: PlanRow[];
  /** Components whose org content differs from both the wanted version and the project's file. */
  conflicts: Array<{ type: string; fullName: string; diff: string[] }>;
  /** Where the named credential pointed when the run started. */
  serviceBefore?: Service;
};

/** What `sf iamra configure --json` returns (and, on failure, what the error's data carries). */
export type ConfigureResult = {
  succeeded: boolean;
  dryRun: boolean;
  /** True when the org already held everything: no deploy, no write. */
  nothingToChange: boolean;
  plan?: ConfigurePlanSummary;
  /** The service the named credential points at when the run ended; absent when a failed run was rolled back. */
  service?: Service;
  stages: StageOutcome[];
  rollback: RollbackOutcome[];
  names?: OrgNames;
  /** --mode csr only. */
  certificate?: ConfigureCertificate;
  preflight?: { assumedRoleArn: string; subjectArn?: string; expiration: string };
  deployIds: string[];
  principalCredential?: { action: string; principalName: string; roleArn: string };
  permissionSet?: { permissionSet: string; assigned: string[]; alreadyAssigned: string[] };
  smoke?: { passed: boolean; httpStatus?: number; assumedRoleArn?: string; message: string };
  files: Array<{ type: string; fullName: string; path: string }>;
  warnings: string[];
};
