/*
 * The org simulator, exercised through the real `sf` binary (login, display, deploy, retrieve, query,
 * apex run) and, for the many small failure paths, through its HTTP API directly.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfCli, STACK_TRACE, type SfRun } from '../helpers/sfCli.js';
import { loginSf } from './harness/sfLogin.js';
import { importTestKeystore, testAwsAccount } from './harness/testAws.js';
import { fixtureProject, fixturesDir, type FixtureProject } from './harness/project.js';
import { startOrgSimulator, type OrgSimulator, type OrgSimulatorOptions } from './index.js';

const EC = 'externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential-meta.xml';
const NC = 'namedCredentials/APN_API_Connection.namedCredential-meta.xml';
const PS = 'permissionsets/APN_Roles_Anywhere_Access.permissionset-meta.xml';
const IDP = 'settings/IdentityProvider.settings-meta.xml';
const IDP_XML = `<?xml version="1.0" encoding="UTF-8"?>
<IdentityProviderSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <certificateName>CERT</certificateName>
    <enableIdentityProvider>true</enableIdentityProvider>
</IdentityProviderSettings>
`;
const ROLE_ARN = 'arn:aws:iam::123456789012:role/APNConnectorRole';
/** The AWS account the fixtures' external credential names (fixtures/valid). */
const FIXTURE_AWS = testAwsAccount({
  anchor: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/11111111-2222-3333-4444-555555555555',
  profile: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/66666666-7777-8888-9999-000000000000',
  role: ROLE_ARN,
});
/** --json output carries the error's `stack` field by design; only a trace outside it counts. */
const hasStackTraceOutsideJson = (text: string): boolean => STACK_TRACE.test(text.replace(/"(stack|cause)": "(?:[^"\\]|\\.)*"/g, ''));
const SMOKE_APEX = readFileSync(join(fixturesDir, 'smoke.apex'), 'utf8');

type FileResponse = { fullName: string; type: string; state: string; filePath?: string; error?: string };

let aliasCounter = 0;
/** A simulator with `sf` logged in to it under a fresh alias. */
async function loggedInSimulator(options: OrgSimulatorOptions = {}): Promise<{ sim: OrgSimulator; alias: string }> {
  aliasCounter += 1;
  const sim = await startOrgSimulator({ username: `admin${aliasCounter}@iamra-sim.example.com`, ...options });
  const alias = `sim${aliasCounter}`;
  await loginSf(SfCli.get(), sim, alias);
  return { sim, alias };
}

function deploy(alias: string, project: FixtureProject, extra: string[] = []): Promise<SfRun> {
  return SfCli.get().run(['project', 'deploy', 'start', '--target-org', alias, '--source-dir', 'force-app', '--wait', '2', ...extra], {
    cwd: project.dir,
  });
}

function filesOf(run: SfRun): FileResponse[] {
  return ((run.json?.result ?? run.json?.data) as { files?: FileResponse[] } | undefined)?.files ?? [];
}

/** Calls the simulator's HTTP API as jsforce would (bearer token). */
async function call(sim: OrgSimulator, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sim.instanceUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${sim.accessToken}`, 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = text; // e.g. the HTML page of a 5xx fault
  }
  return { status: res.status, json };
}

async function toolingQuery(sim: OrgSimulator, soql: string): Promise<Array<Record<string, unknown>>> {
  const res = await call(sim, `/services/data/v62.0/tooling/query?q=${encodeURIComponent(soql)}`);
  return (res.json as { records: Array<Record<string, unknown>> }).records;
}

type ExecResult = { compiled: boolean; success: boolean; compileProblem: string | null; exceptionMessage: string | null; line: number; column: number };
async function executeAnonymous(sim: OrgSimulator, apex: string): Promise<ExecResult> {
  const res = await call(sim, `/services/data/v62.0/tooling/executeAnonymous/?anonymousBody=${encodeURIComponent(apex)}`);
  return res.json as ExecResult;
}

/** The SMOKE:: JSON a marker-carrying exception message holds. */
function smokeOf(result: ExecResult): { status: number; body: string } {
  const message = result.exceptionMessage ?? '';
  expect(message, JSON.stringify(result)).to.include('SMOKE::');
  return JSON.parse(message.slice(message.indexOf('SMOKE::') + 'SMOKE::'.length)) as { status: number; body: string };
}

describe('org simulator through the real sf', () => {
  let sim: OrgSimulator;
  let alias: string;
  let project: FixtureProject;

  before(async () => {
    ({ sim, alias } = await loggedInSimulator({ orgType: 'sandbox', seed: (s) => (s.installPackage('awsapn'), importTestKeystore(s)), aws: FIXTURE_AWS }));
    project = fixtureProject();
  });
  after(async () => {
    await sim?.close();
    project?.cleanup();
  });

  it('authenticates sf: org display shows the org as connected', async () => {
    const run = await SfCli.get().run(['org', 'display', '--target-org', alias, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const result = run.json?.result as Record<string, string>;
    expect(result.id).to.equal(sim.orgId);
    expect(result.username).to.equal(sim.username);
    expect(result.connectedStatus).to.equal('Connected');
    expect(run.stdout).not.to.include(sim.accessToken);
  });

  it('a check-only deploy validates and applies nothing', async () => {
    const run = await deploy(alias, project, ['--dry-run', '--json']);
    expect(run.code, run.stdout).to.equal(0);
    expect(sim.state.externalCredentials).to.have.length(0);
    expect(sim.state.namedCredentials).to.have.length(0);
  });

  it('deploys the valid set; Tooling and REST queries see it; sf data query too', async () => {
    const run = await deploy(alias, project, ['--json']);
    expect(run.code, run.stdout).to.equal(0);
    expect(filesOf(run).map((f) => `${f.type}:${f.fullName}:${f.state}`)).to.have.members([
      'ExternalCredential:AWS_IAM_Anywhere_Credential:Created',
      'NamedCredential:APN_API_Connection:Created',
      'PermissionSet:APN_Roles_Anywhere_Access:Created',
    ]);
    const ncs = await toolingQuery(sim, "SELECT Id, DeveloperName, NamedCredentialType FROM NamedCredential WHERE DeveloperName = 'APN_API_Connection'");
    expect(ncs.map((r) => r.NamedCredentialType)).to.deep.equal(['SecuredEndpoint']);
    const ecs = await toolingQuery(sim, "SELECT Id, DeveloperName FROM ExternalCredential WHERE DeveloperName = 'AWS_IAM_Anywhere_Credential'");
    expect(ecs).to.have.length(1);
    const query = await SfCli.get().run(
      ['data', 'query', '--use-tooling-api', '--target-org', alias, '--json', '--query', "SELECT Id, DeveloperName, KeySize FROM Certificate WHERE DeveloperName = 'iamra'"],
      { cwd: project.dir }
    );
    expect(query.code, query.stdout).to.equal(0);
    expect((query.json?.result as { records: Array<Record<string, unknown>> }).records[0]).to.include({ DeveloperName: 'iamra', KeySize: 2048 });
  });

  it('a second deploy of the same files reports them Changed, not Created, and keeps one record each', async () => {
    const run = await deploy(alias, project, ['--json']);
    expect(run.code, run.stdout).to.equal(0);
    expect(filesOf(run).every((f) => f.state === 'Changed'), JSON.stringify(filesOf(run))).to.equal(true);
    expect(sim.state.namedCredentials).to.have.length(1);
  });

  it('source tracking (sandbox): no phantom changes after the deploy; an edit in Setup shows as a remote change', async () => {
    const deployPreview = await SfCli.get().run(['project', 'deploy', 'preview', '--target-org', alias, '--json'], { cwd: project.dir });
    expect(deployPreview.code, deployPreview.stdout).to.equal(0);
    expect((deployPreview.json?.result as { toDeploy: unknown[] }).toDeploy).to.deep.equal([]);
    sim.state.touchSourceMember('NamedCredential', 'APN_API_Connection'); // what an edit in Setup does
    const retrievePreview = await SfCli.get().run(['project', 'retrieve', 'preview', '--target-org', alias, '--json'], { cwd: project.dir });
    const toRetrieve = (retrievePreview.json?.result as { toRetrieve: Array<{ fullName: string; type: string }> }).toRetrieve;
    expect(toRetrieve.map((c) => `${c.type}:${c.fullName}`)).to.deep.equal(['NamedCredential:APN_API_Connection']);
  });

  it('retrieves what was deployed, byte for byte', async () => {
    const out = fixtureProject();
    try {
      out.remove(NC);
      const run = await SfCli.get().run(
        ['project', 'retrieve', 'start', '--target-org', alias, '--metadata', 'NamedCredential:APN_API_Connection', '--json'],
        { cwd: out.dir }
      );
      expect(run.code, run.stdout).to.equal(0);
      expect(out.read(NC)).to.equal(project.read(NC));
    } finally {
      out.cleanup();
    }
  });

  it('recovers from a 503 on checkDeployStatus through SDR polling retry', async () => {
    sim.faults.fail({ operation: 'checkDeployStatus', status: 503, times: 1 });
    const run = await deploy(alias, project);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout + run.stderr).to.match(/Network error occurred\.\s+Continuing to poll/);
    expect(sim.requests.filter((r) => r.operation === 'checkDeployStatus').length).to.be.greaterThan(1);
  });

  it('sf apex run: the smoke Apex gets GetCallerIdentity naming the assumed role once the setup is complete', async () => {
    sim.state.setPrincipalRoleArn('AWS_IAM_Anywhere_Credential', 'IAMAW_Principal', ROLE_ARN);
    sim.state.assignPermissionSet(sim.username, 'APN_Roles_Anywhere_Access');
    const run = await SfCli.get().run(['apex', 'run', '--target-org', alias, '--file', join(fixturesDir, 'smoke.apex'), '--json'], { cwd: project.dir });
    expect(run.code).to.equal(1); // the marker exception is a runtime failure to sf
    const data = run.json?.data as { compiled: boolean; exceptionMessage: string };
    expect(data.compiled).to.equal(true);
    const smoke = JSON.parse(data.exceptionMessage.slice(data.exceptionMessage.indexOf('SMOKE::') + 7)) as { status: number; body: string };
    expect(smoke.status).to.equal(200);
    // the session Roles Anywhere issued for the keystore's certificate (session name = its serial number)
    const serial = new X509Certificate(sim.state.certificate('iamra')!.content).serialNumber.toLowerCase();
    expect(smoke.body).to.include(`<Arn>arn:aws:sts::123456789012:assumed-role/APNConnectorRole/${serial}</Arn>`);
    expect(sim.aws?.services.received.at(-1)).to.include({ host: 'sts.us-west-2.amazonaws.com', status: 200 });
  });

  describe('its HTTP API (no sf): Connect credential, assignments, callout paths, faults', () => {
    const credentialBody = (arn: string): Record<string, unknown> => ({
      externalCredential: 'AWS_IAM_Anywhere_Credential',
      authenticationProtocol: 'AwsSv4',
      authenticationProtocolVariant: 'RolesAnywhere',
      principalType: 'NamedPrincipal',
      principalName: 'IAMAW_Principal',
      credentials: { awsRoleArn: { value: arn, encrypted: false } },
    });
    const credentialUrl = '/services/data/v62.0/named-credentials/credential';

    // Continues with the org the sf tests above deployed to; starts without grants or role ARN.
    before(() => {
      sim.state.assignments.splice(0);
      sim.state.principalCredentials.splice(0);
    });
    afterEach(() => sim.faults.reset());

    it('Connect credential: GET before, POST creates, POST again fails, PUT replaces, unknown principal fails', async () => {
      const query = '?externalCredential=AWS_IAM_Anywhere_Credential&principalName=IAMAW_Principal&principalType=NamedPrincipal';
      expect((await call(sim, credentialUrl + query)).json).to.include({ authenticationStatus: 'NotConfigured' });
      expect((await call(sim, credentialUrl, { method: 'PUT', body: credentialBody(ROLE_ARN) })).status).to.equal(404);
      expect((await call(sim, credentialUrl, { method: 'POST', body: credentialBody(ROLE_ARN) })).status).to.equal(201);
      expect((await call(sim, credentialUrl, { method: 'POST', body: credentialBody(ROLE_ARN) })).status).to.equal(400);
      expect((await call(sim, credentialUrl, { method: 'PUT', body: credentialBody(`${ROLE_ARN}2`) })).status).to.equal(200);
      expect(sim.state.principalCredential('AWS_IAM_Anywhere_Credential', 'IAMAW_Principal')?.credentials.awsRoleArn.value).to.equal(`${ROLE_ARN}2`);
      expect((await call(sim, credentialUrl, { method: 'PUT', body: credentialBody(ROLE_ARN) })).status).to.equal(200);
      expect((await call(sim, `${credentialUrl}?action=Refresh`, { method: 'POST', body: credentialBody(ROLE_ARN) })).status).to.equal(200);
      expect((await call(sim, credentialUrl.replace('v62.0', 'v55.0'), { method: 'POST', body: credentialBody(ROLE_ARN) })).status).to.equal(404);
      const wrong = await call(sim, credentialUrl, { method: 'POST', body: { ...credentialBody(ROLE_ARN), principalName: 'Nobody' } });
      expect(wrong.status).to.equal(404);
      expect(JSON.stringify(wrong.json)).to.include('Nobody');
    });

    it('PermissionSetAssignment: created once, the duplicate answers DUPLICATE_VALUE; queryable by Assignee.Username', async () => {
      const ps = sim.state.permissionSets.find((p) => p.name === 'APN_Roles_Anywhere_Access')!;
      const body = { AssigneeId: sim.userId, PermissionSetId: ps.id };
      expect((await call(sim, '/services/data/v62.0/sobjects/PermissionSetAssignment', { method: 'POST', body })).status).to.equal(201);
      const duplicate = await call(sim, '/services/data/v62.0/sobjects/PermissionSetAssignment', { method: 'POST', body });
      expect(duplicate.status).to.equal(400);
      expect((duplicate.json as Array<{ errorCode: string }>)[0].errorCode).to.equal('DUPLICATE_VALUE');
      const soql = `SELECT Id, Assignee.Username FROM PermissionSetAssignment WHERE PermissionSet.Name = 'APN_Roles_Anywhere_Access' AND Assignee.Username = '${sim.username}'`;
      const rows = await call(sim, `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`);
      expect((rows.json as { totalSize: number }).totalSize).to.equal(1);
    });

    it('executeAnonymous: the complete setup answers 200 with the assumed role', async () => {
      const smoke = smokeOf(await executeAnonymous(sim, SMOKE_APEX));
      expect(smoke.status).to.equal(200);
      expect(smoke.body).to.include(':assumed-role/APNConnectorRole/');
    });

    type CalloutRow = { name: string; arrange: () => () => void; expect: { status?: number; bodyIncludes?: string; exception?: string } };
    const calloutRows: CalloutRow[] = [
      {
        name: 'no permission set assignment',
        arrange: () => {
          const saved = sim.state.assignments.splice(0);
          return () => sim.state.assignments.push(...saved);
        },
        expect: { exception: "System.CalloutException: We couldn't access the credential(s)" },
      },
      {
        name: 'certificate not imported',
        arrange: () => {
          const saved = sim.state.certificates.splice(0);
          return () => sim.state.certificates.push(...saved);
        },
        expect: { exception: 'iamra' },
      },
      {
        name: 'no role ARN on the principal',
        arrange: () => {
          const saved = sim.state.principalCredentials.splice(0);
          return () => sim.state.principalCredentials.push(...saved);
        },
        expect: { exception: 'awsRoleArn' },
      },
      {
        name: 'AWS rejects the role (trust policy)',
        arrange: () => {
          sim.state.aws.rejectRole = 'AccessDenied';
          return () => delete sim.state.aws.rejectRole;
        },
        expect: { status: 403, bodyIncludes: '<Code>AccessDenied</Code>' },
      },
      {
        name: 'named credential still on S3',
        arrange: () => {
          const nc = sim.state.namedCredential('APN_API_Connection')!;
          const url = nc.url;
          nc.url = 'https://s3.us-west-2.amazonaws.com';
          return () => (nc.url = url);
        },
        // the external credential still signs for sts: S3 refuses the credential scope
        expect: { status: 400, bodyIncludes: '<Error><Code>AuthorizationHeaderMalformed</Code>' },
      },
      {
        name: 'running user without Customize Application',
        arrange: () => {
          sim.state.adminUser.customizeApplication = false;
          return () => (sim.state.adminUser.customizeApplication = true);
        },
        expect: { exception: 'Customize Application' },
      },
    ];
    for (const row of calloutRows) {
      it(`executeAnonymous callout failure: ${row.name}`, async () => {
        const restore = row.arrange();
        try {
          const result = await executeAnonymous(sim, SMOKE_APEX);
          expect(result.compiled).to.equal(true);
          expect(result.success).to.equal(false);
          if (row.expect.exception) {
            expect(result.exceptionMessage).to.include(row.expect.exception);
            expect(result.exceptionMessage).not.to.include('SMOKE::');
          } else {
            const smoke = smokeOf(result);
            expect(smoke.status).to.equal(row.expect.status);
            expect(smoke.body).to.include(row.expect.bodyIncludes);
          }
        } finally {
          restore();
        }
      });
    }

    it('executeAnonymous: Apex it cannot understand is a compile problem with line and column', async () => {
      const result = await executeAnonymous(sim, "HttpRequest req = new HttpRequest();\nreq.setEndpoint('callout:APN_API_Connection/');\nDatabase.insert(req);");
      expect(result).to.include({ compiled: false, success: false, line: 3, column: 1 });
      expect(result.compileProblem).to.match(/Unexpected token/);
    });

    it('fault knobs: a dropped connection resets the socket once, then the endpoint recovers', async () => {
      sim.faults.drop({ api: 'tooling', times: 1 });
      let failed = false;
      try {
        await toolingQuery(sim, 'SELECT Id FROM Certificate');
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      expect(await toolingQuery(sim, 'SELECT Id FROM Certificate')).to.have.length(1);
    });

    it('fault knobs: delay holds matching answers back, other endpoints answer at once', async () => {
      sim.faults.delay({ api: 'tooling', ms: 300 });
      const started = Date.now();
      await toolingQuery(sim, 'SELECT Id FROM Certificate');
      expect(Date.now() - started).to.be.at.least(290);
      const url = `${credentialUrl}?externalCredential=AWS_IAM_Anywhere_Credential&principalName=IAMAW_Principal`;
      expect((await call(sim, url)).status).to.equal(200);
    });

    it('fault knobs: reset() answers a held request at once (a test that is done waiting need not sit out the delay)', async () => {
      sim.faults.delay({ api: 'tooling', ms: 600_000 });
      let answered = false;
      const query = toolingQuery(sim, 'SELECT Id FROM Certificate').then((records) => {
        answered = true;
        return records;
      });
      // eslint-disable-next-line no-await-in-loop
      while (!sim.requests.some((r) => r.api === 'tooling')) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(answered, 'held while the delay is armed').to.equal(false);
      sim.faults.reset();
      expect(await query).to.have.length(1);
    });

    it('fault knobs: a 5xx N times then recovery; an expired session is a 401 INVALID_SESSION_ID', async () => {
      sim.faults.fail({ api: 'connect', status: 500, times: 2 });
      const url = `${credentialUrl}?externalCredential=AWS_IAM_Anywhere_Credential&principalName=IAMAW_Principal`;
      expect((await call(sim, url)).status).to.equal(500);
      expect((await call(sim, url)).status).to.equal(500);
      expect((await call(sim, url)).status).to.equal(200);
      sim.faults.expireSession();
      const expired = await call(sim, url);
      expect(expired.status).to.equal(401);
      expect((expired.json as Array<{ errorCode: string }>)[0].errorCode).to.equal('INVALID_SESSION_ID');
    });

    it('queries: unknown objects and fields fail as Salesforce does; InstalledSubscriberPackage by namespace', async () => {
      const bad = await call(sim, `/services/data/v62.0/tooling/query?q=${encodeURIComponent('SELECT Id FROM Nope')}`);
      expect((bad.json as Array<{ errorCode: string }>)[0].errorCode).to.equal('INVALID_TYPE');
      const badField = await call(sim, `/services/data/v62.0/tooling/query?q=${encodeURIComponent('SELECT Bogus FROM Certificate')}`);
      expect((badField.json as Array<{ errorCode: string }>)[0].errorCode).to.equal('INVALID_FIELD');
      const pkgs = await toolingQuery(sim, "SELECT Id, SubscriberPackage.NamespacePrefix FROM InstalledSubscriberPackage WHERE SubscriberPackage.NamespacePrefix = 'awsapn'");
      expect(pkgs).to.have.length(1);
      expect(pkgs[0].SubscriberPackage).to.deep.equal({ NamespacePrefix: 'awsapn' });
    });

    it('records every request with its API, for request counting', () => {
      const apis = new Set(sim.requests.map((r) => r.api));
      expect([...apis]).to.include.members(['identity', 'rest', 'tooling', 'metadata', 'connect', 'apex']);
    });
  });
});

describe('org simulator deploy rules, each through sf project deploy start', () => {
  /** One deploy of a bad variant; several rules may share it when they hit different files. */
  type Scenario = {
    org: 'withCert' | 'legacyNoCertProduction';
    change?: (p: FixtureProject) => void;
    sourceApiVersion?: string;
    args?: string[];
    /** Run without --json and check the text a user reads. */
    human?: boolean;
  };
  type Row = {
    name: string;
    scenario: string;
    /** file (relative to force-app/main/default) whose failure carries the message; undefined = whole deploy */
    file?: string;
    message: string;
  };
  const orgs: Record<Scenario['org'], OrgSimulatorOptions> = {
    withCert: { orgType: 'sandbox', seed: (s) => (s.installPackage('awsapn'), importTestKeystore(s)) },
    // No certificate, and the older instructions' Legacy credential of the same name.
    legacyNoCertProduction: { orgType: 'production', seed: (s) => s.addLegacyNamedCredential('APN_API_Connection') },
  };
  const scenarios: Record<string, Scenario> = {
    badValues: {
      org: 'withCert',
      change: (p) => {
        p.edit(EC, (x) => x.replace('<authenticationProtocol>AwsSv4<', '<authenticationProtocol>AwsSig4<'));
        p.edit(PS, (x) => x.replace('-IAMAW_Principal<', '-Other_Principal<'));
        p.edit(NC, (x) => x.replace('<parameterType>Authentication<', '<parameterType>ExternalCredential<'));
        p.write(IDP, IDP_XML.replace('CERT', 'not_imported'));
      },
    },
    badElements: {
      org: 'withCert',
      change: (p) =>
        p.edit(EC, (x) =>
          x
            .replace('<parameterType>AuthParameter</parameterType>\n        <parameterValue>sts', '<parameterType>AwsParameter</parameterType>\n        <parameterValue>sts')
            .replace(/\s*<label>.*<\/label>/, '')
        ),
    },
    // API 58 (NamedCredential/PermissionSet elements too new) and an EC without its SigningCertificate.
    api58NoSigningCertificate: {
      org: 'withCert',
      sourceApiVersion: '58.0',
      change: (p) => p.edit(EC, (x) => x.replace(/<externalCredentialParameters>\s*<certificate>[\s\S]*?<\/externalCredentialParameters>\s*/, '')),
    },
    // Human output (no --json), as a user reads it.
    certificateMissingAndLegacy: { org: 'legacyNoCertProduction', human: true },
    noTestRun: { org: 'legacyNoCertProduction', args: ['--test-level', 'NoTestRun'] },
  };
  const rows: Row[] = [
    { name: 'authenticationProtocol AwsSig4', scenario: 'badValues', file: EC, message: "'AwsSig4' is not a valid value for the enum 'AuthenticationProtocol'" },
    { name: 'principal access naming a principal the credential lacks', scenario: 'badValues', file: PS, message: 'no ExternalCredentialParameter named AWS_IAM_Anywhere_Credential-Other_Principal found' },
    { name: 'named credential parameterType ExternalCredential (no such type)', scenario: 'badValues', file: NC, message: "'ExternalCredential' is not a valid value for the enum 'NamedCredentialParamType'" },
    { name: 'IdentityProviderSettings naming a certificate the org lacks', scenario: 'badValues', file: IDP, message: 'no Certificate named not_imported found' },
    { name: 'unknown parameterType', scenario: 'badElements', file: EC, message: "'AwsParameter' is not a valid value for the enum 'ExternalCredentialParamType'" },
    { name: 'missing required label', scenario: 'badElements', file: EC, message: 'Required field is missing: label' },
    { name: 'AwsSv4 without a SigningCertificate parameter', scenario: 'api58NoSigningCertificate', file: EC, message: 'The authentication protocol AwsSv4 requires the following external credential parameter types: SigningCertificate' },
    { name: 'API version 58: calloutStatus does not exist yet', scenario: 'api58NoSigningCertificate', file: NC, message: 'Element {http://soap.sforce.com/2006/04/metadata}calloutStatus invalid at this location in type NamedCredential' },
    { name: 'API version 58: principal access does not exist yet', scenario: 'api58NoSigningCertificate', file: PS, message: 'externalCredentialPrincipalAccesses invalid at this location in type PermissionSet' },
    { name: 'signing certificate the org does not have', scenario: 'certificateMissingAndLegacy', file: EC, message: 'no Certificate named iamra found' },
    { name: 'Legacy APN_API_Connection already in the org', scenario: 'certificateMissingAndLegacy', file: NC, message: 'already exists with type Legacy' },
    { name: 'explicit NoTestRun in production', scenario: 'noTestRun', message: 'testLevel of NoTestRun cannot be used in production organizations' },
  ];

  const sims = new Map<string, { sim: OrgSimulator; alias: string }>();
  const runs = new Map<string, SfRun>();
  before(async () => {
    for (const [name, options] of Object.entries(orgs)) {
      // eslint-disable-next-line no-await-in-loop
      sims.set(name, await loggedInSimulator(options));
    }
    // Two at a time: each deploy is an sf process; more only queue on small CI machines.
    const names = Object.keys(scenarios);
    for (let i = 0; i < names.length; i += 2) {
      // eslint-disable-next-line no-await-in-loop
      await Promise.all(
        names.slice(i, i + 2).map(async (name) => {
          const scenario = scenarios[name];
          const project = fixtureProject({ sourceApiVersion: scenario.sourceApiVersion });
          scenario.change?.(project);
          try {
            runs.set(name, await deploy(sims.get(scenario.org)!.alias, project, [...(scenario.args ?? []), ...(scenario.human ? [] : ['--json'])]));
          } finally {
            project.cleanup();
          }
        })
      );
    }
  });
  after(async () => Promise.all([...sims.values()].map(({ sim }) => sim.close())));

  for (const row of rows) {
    it(`rejects: ${row.name}`, () => {
      const run = runs.get(row.scenario)!;
      expect(run.code, run.stdout).to.equal(1);
      expect(hasStackTraceOutsideJson(run.stdout + run.stderr)).to.equal(false);
      if (scenarios[row.scenario].human) {
        // The Component Failures table: type, name, problem per row (wrapped to the terminal width).
        const text = (run.stdout + run.stderr).replace(/\s+/g, ' ');
        expect(text).to.match(/Component Failures \[\d+\]/);
        expect(text).to.include(row.message);
        expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
      } else if (row.file) {
        const failures = filesOf(run).filter((f) => f.state === 'Failed' && f.filePath?.endsWith(row.file!));
        expect(failures.map((f) => f.error).join('\n'), JSON.stringify(filesOf(run), null, 1)).to.include(row.message);
      } else {
        expect(run.json?.message ?? run.stdout).to.include(row.message);
      }
    });
  }

  it('rollbackOnError: nothing of a failed deploy reaches the org', () => {
    for (const { sim } of sims.values()) {
      expect(sim.state.externalCredentials).to.have.length(0);
      expect(sim.state.permissionSets).to.have.length(0);
      expect(sim.state.namedCredentials.every((n) => n.namedCredentialType === 'Legacy')).to.equal(true);
    }
  });
});
