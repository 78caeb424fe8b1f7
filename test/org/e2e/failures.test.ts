/*
 * Failure paths through the real sf binary against the org simulator: exit code, the documented
 * message and no stack trace. Every row gets its own simulator; the rows run concurrently in before()
 * (each sf process costs seconds) and are asserted one by one. These and the remaining paths (expired
 * certificate, still running after --wait, unknown --assign-to user, dry run, every smoke diagnosis) are
 * covered in detail, in process, by ../services.test.ts.
 */
import { expect } from 'chai';
import { STACK_TRACE, type SfRun } from '../../helpers/sfCli.js';
import type { OrgSimulator, OrgSimulatorOptions } from '../../simulator/index.js';
import type { LoginKind } from '../../simulator/sfLogin.js';
import { ARN, ARN_FLAGS } from '../../helpers/fixtures.js';
import { loginSf } from '../../simulator/sfLogin.js';
import { orgRig, type OrgRig, until } from './orgProject.js';

type Row = {
  name: string;
  options?: OrgSimulatorOptions;
  /** How sf logged in: access-token (no refresh possible, the default) or with a refresh token, as web login does. */
  login?: LoginKind;
  /** sf runs before the one under test (e.g. a successful deploy), then the simulator is changed. */
  setup?: (rig: OrgRig) => Promise<void>;
  arrange?: (sim: OrgSimulator) => void;
  args: string[];
  exitCode: number;
  /** What the simulator must have seen, checked after the run. */
  check?: (sim: OrgSimulator) => void;
  /** Error name in the --json output (when the row uses --json). */
  errorName?: string;
  output: RegExp;
};

const certificate: OrgSimulatorOptions = { orgType: 'sandbox', seed: (s) => s.importCertificate('iamra') };
const deployFirst = async (rig: OrgRig): Promise<void> => {
  const run = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--json']);
  if (run.code !== 0) throw new Error(`set-up deploy failed: ${run.stdout}${run.stderr}`);
};

const rows: Row[] = [
  {
    name: 'deploy: no certificate imported',
    options: { orgType: 'sandbox' },
    args: ['iamra', 'deploy', ...ARN_FLAGS, '--json'],
    exitCode: 1,
    errorName: 'CertificateNotImportedError',
    output: /no certificate named iamra[\s\S]*Import from Keystore/,
  },
  {
    name: 'deploy: Legacy APN_API_Connection in the org',
    options: { ...certificate, seed: (s) => (s.importCertificate('iamra'), s.addLegacyNamedCredential('APN_API_Connection')) },
    args: ['iamra', 'deploy', ...ARN_FLAGS, '--json'],
    exitCode: 1,
    errorName: 'LegacyNamedCredentialError',
    output: /Legacy named credential called APN_API_Connection/,
  },
  {
    name: 'deploy: component errors, printed as sf project deploy start does',
    options: certificate,
    arrange: (sim) => sim.faults.failDeploy({ problem: 'Simulated component problem' }),
    args: ['iamra', 'deploy', ...ARN_FLAGS],
    exitCode: 1,
    output: /Component Failures \[3\][\s\S]*Simulated component problem[\s\S]*failed: 3 component error\(s\)/,
  },
  {
    name: "deploy: a whole-deploy failure shows the org's errorMessage",
    options: certificate,
    arrange: (sim) => sim.faults.failDeploy({ errorMessage: 'UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId: 123-456' }),
    args: ['iamra', 'deploy', ...ARN_FLAGS, '--json'],
    exitCode: 1,
    errorName: 'DeployAbortedError',
    output: /failed: UNKNOWN_EXCEPTION: An unexpected error occurred\. Please include this ErrorId: 123-456/,
    check: (sim) => expect(sim.state.externalCredentials).to.deep.equal([]),
  },
  {
    name: 'deploy: 5xx from the Metadata API, then recovery',
    options: certificate,
    arrange: (sim) => sim.faults.fail({ api: 'metadata', status: 503, times: 2 }),
    args: ['iamra', 'deploy', ...ARN_FLAGS, '--json'],
    exitCode: 0,
    output: /"status": "Succeeded"/,
  },
  {
    name: 'deploy: expired session is reported with the fix',
    options: certificate,
    arrange: (sim) => sim.faults.expireSession(),
    args: ['iamra', 'deploy', ...ARN_FLAGS, '--json'],
    exitCode: 1,
    errorName: 'SessionExpiredError',
    output: /has expired or was revoked[\s\S]*sf org login web/,
  },
  {
    name: 'deploy: expired session, refreshed with the refresh token, and the deploy goes on',
    options: certificate,
    login: 'refresh-token',
    arrange: (sim) => sim.faults.expireSession(),
    args: ['iamra', 'deploy', ...ARN_FLAGS, '--json'],
    exitCode: 0,
    output: /"status": "Succeeded"/,
    check: (sim) => {
      const refreshes = sim.requests.filter((r) => r.path === '/services/oauth2/token');
      expect(refreshes, 'one refresh at /services/oauth2/token').to.have.length(1);
      const granted = sim.state.permissionSets.find((p) => p.name === 'APN_Roles_Anywhere_Access');
      expect(sim.state.assignments.map((a) => a.permissionSetId), 'the permission set assigned after the refresh').to.include(granted?.id);
    },
  },
  {
    name: 'deploy: expired session and a revoked refresh token are reported with the fix',
    options: certificate,
    login: 'refresh-token',
    arrange: (sim) => sim.faults.revokeSession(),
    args: ['iamra', 'deploy', ...ARN_FLAGS, '--json'],
    exitCode: 1,
    errorName: 'SessionExpiredError',
    output: /has expired or was revoked[\s\S]*sf org login web/,
  },
  {
    name: 'smoke: permission set not assigned',
    options: certificate,
    setup: deployFirst,
    arrange: (sim) => sim.state.assignments.splice(0),
    args: ['iamra', 'smoke', '--json'],
    exitCode: 1,
    errorName: 'SmokePermissionSetNotAssigned',
    output: /can't use the external credential's principal/,
  },
];

describe('sf iamra deploy/smoke failure paths (real sf against the org simulator)', function () {
  // Every row's sf runs at once in before(): on a busy 2-core machine that takes minutes.
  this.timeout(360_000);
  const outcomes = new Map<string, { run: SfRun; sim: OrgSimulator }>();
  const rigs: OrgRig[] = [];

  before(async () => {
    await Promise.all(
      rows.map(async (row) => {
        const rig = await orgRig(row.options, row.login);
        rigs.push(rig);
        await row.setup?.(rig);
        row.arrange?.(rig.sim);
        outcomes.set(row.name, { run: await rig.run(row.args), sim: rig.sim });
      })
    );
  });
  after(async () => Promise.all(rigs.map((r) => r.close())));

  for (const row of rows) {
    it(`${row.name}: exit ${row.exitCode}`, () => {
      const { run, sim } = outcomes.get(row.name)!;
      const all = run.stdout + run.stderr;
      expect(run.code, all).to.equal(row.exitCode);
      expect(all).to.match(row.output);
      if (row.errorName) expect(run.json?.name, all).to.equal(row.errorName);
      expect(run.stderr).not.to.match(STACK_TRACE);
      expect(all).not.to.include(sim.accessToken);
      expect(all).not.to.include(sim.refreshToken);
      row.check?.(sim);
    });
  }
});

describe('sf iamra deploy: a session revoked mid-run (real sf against the org simulator)', function () {
  this.timeout(240_000);
  let rig: OrgRig;
  after(async () => rig?.close());

  it('"log in again", written once, naming what this run left in the org; a re-run after logging in completes', async () => {
    rig = await orgRig(certificate);
    const running = rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--json']);
    // The deploy has landed; the session goes before the role ARN is set.
    rig.sim.faults.delay({ api: 'connect', ms: 1000 });
    await until(() => rig.sim.requests.some((r) => r.api === 'connect'));
    rig.sim.faults.revokeSession();
    const run = await running;
    rig.sim.faults.reset();
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    expect(run.json?.name).to.equal('SessionExpiredError');
    const message = String(run.json?.message);
    expect(message).to.match(/has expired or was revoked/);
    // The rollback could not run without a session: what it would have undone is named, as configure names it.
    expect(message).to.match(/Still in the org from this run: .*delete AWS_IAM_Anywhere_Credential, APN_API_Connection, APN_Roles_Anywhere_Access from the org/);
    expect(message.match(/has expired/g), 'written once').to.have.length(1);
    expect(JSON.stringify(run.json?.actions)).to.match(/sf org login web --alias/);
    expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
    rig.sim.faults.restoreSession();
    await loginSf(rig.sf, rig.sim, rig.alias);
    const again = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--json']);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    expect(rig.sim.state.principalCredential('AWS_IAM_Anywhere_Credential', 'IAMAW_Principal')?.credentials.awsRoleArn?.value).to.equal(ARN.role);
  });
});
