/* The --json result of `sf iamra doctor` (snapshotted in schemas/iamra-doctor.json). */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export type DoctorCheckId =
  | 'api-version'
  | 'package'
  | 'user-permissions'
  | 'identity-provider'
  | 'signing-certificate'
  | 'external-credential'
  | 'named-credential'
  | 'allowed-namespace'
  | 'permission-set'
  | 'role-arn'
  | 'assignments'
  | 'live-check'
  | 'local-certificate';

export type DoctorCheck = {
  id: DoctorCheckId;
  status: CheckStatus;
  /** What was found, one line. */
  message: string;
  /** How to fix it (empty when it passed). */
  fix: string[];
  /** Supporting lines, e.g. each difference from what the plugin would generate. */
  details: string[];
};

export type DoctorResult = {
  username: string;
  apiVersion: string;
  /** False when any check failed (the command then exits 1). */
  passed: boolean;
  summary: Record<CheckStatus, number>;
  checks: DoctorCheck[];
};
