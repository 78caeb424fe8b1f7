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
import type { OrgSnapshot } from './orgSnapshot.js';
import type { RollbackOutcome, StageListener, StageOutcome } from './stageRunner.js';

export type ConfigureRequest = {
  org: Org;
  connection: Connection;
  project: SfProject;
  /** ARNs, stack outputs, region, STS duration and name overrides, as `sf iamra metadata generate` takes them. */
  credentialSet: Omit<CredentialSetInput, 'service'>;
  /** Run the IAM Roles Anywhere CreateSession check first and stop if AWS refuses the certificate. */
  preflight?: RolesAnywhereCheckRequest;
  /** Users besides the running user who get the permission set. */
  assignTo?: string[];
  /** Where the named credential ends: s3 (the connector's working stage, default) or sts. */
  finalService: Service;
  /** Undo every change when a stage fails (default true). */
  rollback: boolean;
  wait?: Duration;
  testLevel?: string;
  listener?: StageListener & {
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
  names?: OrgNames;
  roleArn?: string;
  preflight?: VerifyResult;
  orgChecks?: PreflightResult;
  orgBefore?: OrgSnapshot;
  sts?: ServiceDeploy;
  principalCredential?: PrincipalCredentialChange;
  permissionSet?: AssignmentResult;
  smoke?: SmokeTestResult;
  s3?: ServiceDeploy;
  warnings: string[];
};

/** What `sf iamra configure --json` returns (and, on failure, what the error's data carries). */
export type ConfigureResult = {
  succeeded: boolean;
  /** The service the named credential points at when the run ended; absent when a failed run was rolled back. */
  service?: Service;
  stages: StageOutcome[];
  rollback: RollbackOutcome[];
  names?: OrgNames;
  preflight?: { assumedRoleArn: string; subjectArn?: string; expiration: string };
  deployIds: string[];
  principalCredential?: { action: string; principalName: string; roleArn: string };
  permissionSet?: { permissionSet: string; assigned: string[]; alreadyAssigned: string[] };
  smoke?: { passed: boolean; httpStatus?: number; assumedRoleArn?: string; message: string };
  files: Array<{ type: string; fullName: string; path: string }>;
  warnings: string[];
};
