/*
 * The SOAP Metadata API of the simulator in process (no sf): the deploy options and fault knobs whose
 * effects the sf-level tests do not reach cheaply (rollbackOnError=false, whole-deploy failures,
 * InProgress polls, retrieve of what an admin imported).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'chai';
import forge from 'node-forge';
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { createTestCa, type TestCa } from '../../helpers/testCa.js';
import { FaultKnobs } from '../harness/faults.js';
import { fixturesDir } from '../harness/project.js';
import { OrgState } from '../org/state.js';
import { MetadataApi } from './metadataApi.js';

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['componentFailures', 'componentSuccesses'].includes(name) });

type Result = {
  id: string;
  done: string;
  status: string;
  success: string;
  details?: { componentFailures?: Array<{ fullName: string; problem: string }>; componentSuccesses?: Array<{ fullName: string }> };
  zipFile?: string;
};

function resultOf(body: string): Result {
  const doc = parser.parse(body) as { Envelope: { Body: Record<string, { result: Result }> } };
  return Object.values(doc.Envelope.Body)[0].result;
}

/** The valid fixtures as a Metadata-API-format zip (source-format names minus -meta.xml, as SDR converts them). */
async function fixtureZip(apiVersion = '62.0', change: (files: Record<string, string>) => void = () => {}): Promise<string> {
  const files: Record<string, string> = {};
  for (const folder of ['externalCredentials', 'namedCredentials', 'permissionsets']) {
    for (const name of readdirSync(join(fixturesDir, 'valid', folder))) {
      files[`${folder}/${name.replace(/-meta\.xml$/, '')}`] = readFileSync(join(fixturesDir, 'valid', folder, name), 'utf8');
    }
  }
  change(files);
  const zip = new JSZip();
  for (const [path, content] of Object.entries(files)) zip.file(path, content);
  zip.file('package.xml', `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>${apiVersion}</version></Package>`);
  return (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
}

async function deployAndCheck(api: MetadataApi, zipFile: string, options: Record<string, string> = {}): Promise<Result> {
  const started = resultOf((await api.handle({ operation: 'deploy', args: { ZipFile: zipFile, DeployOptions: options }, headers: {} })).body);
  return resultOf((await api.handle({ operation: 'checkDeployStatus', args: { asyncProcessId: started.id, includeDetails: 'true' }, headers: {} })).body);
}

describe('org simulator Metadata API (in process)', () => {
  let state: OrgState;
  let faults: FaultKnobs;
  let api: MetadataApi;
  beforeEach(() => {
    state = new OrgState({ orgType: 'sandbox' });
    state.installPackage('awsapn');
    faults = new FaultKnobs();
    api = new MetadataApi(state, faults);
  });

  it('rollbackOnError=false in a sandbox applies the passing components: SucceededPartial', async () => {
    const result = await deployAndCheck(api, await fixtureZip(), { rollbackOnError: 'false' });
    expect(result.status).to.equal('SucceededPartial');
    expect(result.details?.componentFailures?.map((f) => f.fullName)).to.deep.equal(['AWS_IAM_Anywhere_Credential']);
    expect(state.namedCredential('APN_API_Connection')).to.not.equal(undefined);
    expect(state.externalCredential('AWS_IAM_Anywhere_Credential')).to.equal(undefined);
  });

  it('production forces rollbackOnError: the same deploy applies nothing', async () => {
    state = new OrgState({ orgType: 'production' });
    state.installPackage('awsapn');
    api = new MetadataApi(state, faults);
    const result = await deployAndCheck(api, await fixtureZip(), { rollbackOnError: 'false' });
    expect(result.status).to.equal('Failed');
    expect(state.namedCredentials).to.have.length(0);
  });

  it('failDeploy({ errorMessage }) fails the whole deploy once, then deploys succeed again', async () => {
    state.importCertificate('iamra');
    faults.failDeploy({ errorMessage: 'UNKNOWN_EXCEPTION: An unexpected error occurred.' });
    const failed = await deployAndCheck(api, await fixtureZip());
    expect(failed.status).to.equal('Failed');
    expect(state.externalCredentials).to.have.length(0);
    expect((await deployAndCheck(api, await fixtureZip())).status).to.equal('Succeeded');
    expect(state.externalCredentials).to.have.length(1);
  });

  it('pollsBeforeDone answers InProgress before the result', async () => {
    state.importCertificate('iamra');
    api.pollsBeforeDone = 1;
    const started = resultOf((await api.handle({ operation: 'deploy', args: { ZipFile: await fixtureZip(), DeployOptions: {} }, headers: {} })).body);
    const check = async (): Promise<Result> =>
      resultOf((await api.handle({ operation: 'checkDeployStatus', args: { asyncProcessId: started.id, includeDetails: 'true' }, headers: {} })).body);
    expect((await check()).status).to.equal('InProgress');
    expect((await check()).status).to.equal('Succeeded');
  });

  describe('a deploy takes time and can be cancelled (docs: checkDeployStatus, cancelDeploy)', () => {
    const call = async (operation: string, args: Record<string, unknown>): Promise<{ status: number; result: Result; body: string }> => {
      const answer = await api.handle({ operation, args, headers: {} });
      return { status: answer.status, body: answer.body, result: answer.status === 200 ? resultOf(answer.body) : ({} as Result) };
    };
    const start = async (): Promise<string> => (await call('deploy', { ZipFile: await fixtureZip(), DeployOptions: {} })).result.id;
    const check = async (id: string): Promise<Result> => (await call('checkDeployStatus', { asyncProcessId: id, includeDetails: 'true' })).result;

    beforeEach(() => {
      state.importCertificate('iamra');
      api.pollsBeforeDone = 2;
    });

    it('nothing is applied while it is Queued or InProgress; it applies when it completes', async () => {
      const id = await start();
      expect(state.externalCredentials).to.have.length(0);
      expect((await check(id)).status).to.equal('InProgress');
      expect((await check(id)).status).to.equal('InProgress');
      expect(state.externalCredentials).to.have.length(0);
      const done = await check(id);
      expect([done.status, done.done]).to.deep.equal(['Succeeded', 'true']);
      expect(state.externalCredentials).to.have.length(1);
    });

    it('cancelDeploy on a queued deploy cancels it at once (done: true); nothing is applied', async () => {
      const id = await start();
      const cancel = await call('cancelDeploy', { String: id });
      expect(cancel.result.done).to.equal('true');
      const after = await check(id);
      expect([after.status, after.done, after.success]).to.deep.equal(['Canceled', 'true', 'false']);
      expect(state.externalCredentials).to.have.length(0);
    });

    it('cancelDeploy on an in-progress deploy: done false, one check says Canceling, then Canceled; nothing is applied', async () => {
      const id = await start();
      expect((await check(id)).status).to.equal('InProgress');
      expect((await call('cancelDeploy', { String: id })).result.done).to.equal('false');
      const canceling = await check(id);
      expect([canceling.status, canceling.done]).to.deep.equal(['Canceling', 'false']);
      expect((await check(id)).status).to.equal('Canceled');
      expect((await check(id)).status).to.equal('Canceled');
      expect(state.externalCredentials).to.have.length(0);
    });

    it('cancelDeploy on a finished deploy or an unknown id: INVALID_ID_FIELD', async () => {
      api.pollsBeforeDone = 0;
      const id = await start();
      const done = await call('cancelDeploy', { String: id });
      expect(done.status).to.equal(500);
      expect(done.body).to.match(/INVALID_ID_FIELD[\s\S]*Deployment already completed/);
      const unknown = await call('cancelDeploy', { String: '0Af000000000000AAA' });
      expect(unknown.body).to.match(/INVALID_ID_FIELD[\s\S]*Invalid deploy ID/);
      expect(state.externalCredentials).to.have.length(1);
    });
  });

  it('a SecuredEndpoint named credential must not carry Legacy-only fields or lack its URL', async () => {
    state.importCertificate('iamra');
    const result = await deployAndCheck(
      api,
      await fixtureZip('62.0', (files) => {
        const nc = 'namedCredentials/APN_API_Connection.namedCredential';
        files[nc] = files[nc].replace('<label>', '<endpoint>https://example.com</endpoint>\n    <label>').replace(/<namedCredentialParameters>\s*<parameterName>Url<[\s\S]*?<\/namedCredentialParameters>/, '');
      })
    );
    const problems = result.details?.componentFailures?.map((f) => f.problem) ?? [];
    expect(problems).to.include('The endpoint field is only available for named credentials of type Legacy.');
    expect(problems).to.include('A named credential of type SecuredEndpoint requires a URL parameter.');
  });

  it('retrieves a keystore-imported certificate (under unpackaged/ unless singlePackage)', async () => {
    state.importCertificate('IAMRA', { content: 'PEM' });
    const started = resultOf(
      (await api.handle({ operation: 'retrieve', args: { request: { unpackaged: { types: { members: 'iamra', name: 'Certificate' } } } }, headers: {} })).body
    );
    const result = resultOf((await api.handle({ operation: 'checkRetrieveStatus', args: { asyncProcessId: started.id }, headers: {} })).body);
    const zip = await JSZip.loadAsync(Buffer.from(result.zipFile!, 'base64'));
    expect(Object.keys(zip.files)).to.include.members(['unpackaged/certs/iamra.crt', 'unpackaged/certs/iamra.crt-meta.xml', 'unpackaged/package.xml']);
    expect(await zip.file('unpackaged/certs/iamra.crt')!.async('string')).to.equal('PEM');
  });

  describe('CSR mode', () => {
    const certZip = async (crt: string, keySize = 2048, name = 'csr'): Promise<string> => {
      const zip = new JSZip();
      zip.file(`certs/${name}.crt`, crt);
      zip.file(
        `certs/${name}.crt-meta.xml`,
        `<?xml version="1.0" encoding="UTF-8"?><Certificate xmlns="http://soap.sforce.com/2006/04/metadata"><caSigned>true</caSigned><keySize>${keySize}</keySize><masterLabel>CSR Label</masterLabel><privateKeyExportable>false</privateKeyExportable></Certificate>`
      );
      zip.file('package.xml', '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>62.0</version></Package>');
      return (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
    };
    const csrOf = (): forge.pki.CertificateSigningRequest => forge.pki.certificationRequestFromPem(state.certificate('csr')!.content);
    let ca: TestCa;
    before(() => (ca = createTestCa()));

    it('a CA-signed certificate holds a real CSR (CN = masterLabel, the requested key size) until its signed chain is deployed', async () => {
      expect((await deployAndCheck(api, await certZip('placeholder'))).status).to.equal('Succeeded');
      const csr = csrOf();
      expect(csr.verify()).to.equal(true);
      expect(csr.subject.getField('CN').value).to.equal('CSR Label');
      expect((csr.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).to.equal(2048);
      expect(state.certificatePublicKey('csr')).to.not.equal(undefined);

      const chain = ca.sign(state.certificate('csr')!.content) + ca.chainPem;
      const signed = await deployAndCheck(api, await certZip(chain));
      expect(signed.status, JSON.stringify(signed.details?.componentFailures)).to.equal('Succeeded');
      expect(state.certificate('csr')?.content).to.equal(chain);
    });

    it('a placeholder redeploy keeps a pending CSR; a new certificate or another key size gets a new key', async () => {
      await deployAndCheck(api, await certZip('placeholder'));
      const first = state.certificate('csr')!.content;
      await deployAndCheck(api, await certZip('placeholder'));
      expect(state.certificate('csr')!.content, 'unchanged placeholder').to.equal(first);
      await deployAndCheck(api, await certZip('placeholder', 4096));
      expect(state.certificate('csr')!.content).to.not.equal(first);
      expect((csrOf().publicKey as forge.pki.rsa.PublicKey).n.bitLength()).to.equal(4096);
      state.certificates.splice(0);
      await deployAndCheck(api, await certZip('placeholder', 4096));
      expect((csrOf().publicKey as forge.pki.rsa.PublicKey).n.bitLength()).to.equal(4096);
    });

    it('refuses a signed chain whose leaf is not for the org-held key (component error), and keeps the CSR', async () => {
      await deployAndCheck(api, await certZip('placeholder'));
      const pending = state.certificate('csr')!.content;
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const wrong = ca.sign(pending, { publicKeyPem: other }) + ca.chainPem;
      const refused = await deployAndCheck(api, await certZip(wrong));
      expect(refused.status).to.equal('Failed');
      expect(refused.details?.componentFailures?.map((f) => f.problem).join()).to.include("doesn't match the private key of the certificate signing request");
      expect(state.certificate('csr')!.content).to.equal(pending);
    });

    it('refuses a signed chain for a certificate the org never made a key for', async () => {
      const orphan = ca.sign(
        forge.pki.certificationRequestToPem(
          ((): forge.pki.CertificateSigningRequest => {
            const keys = forge.pki.rsa.generateKeyPair({ bits: 512 });
            const csr = forge.pki.createCertificationRequest();
            csr.publicKey = keys.publicKey;
            csr.setSubject([{ name: 'commonName', value: 'orphan' }]);
            csr.sign(keys.privateKey, forge.md.sha256.create());
            return csr;
          })()
        )
      );
      const refused = await deployAndCheck(api, await certZip(orphan));
      expect(refused.status).to.equal('Failed');
      expect(state.certificate('csr')).to.equal(undefined);
    });
  });

  it('destructiveChanges: an assigned permission set is refused; unassigned, it and the credentials go', async () => {
    state.importCertificate('iamra');
    expect((await deployAndCheck(api, await fixtureZip())).status).to.equal('Succeeded');
    state.assignPermissionSet(state.adminUser.username, 'APN_Roles_Anywhere_Access');
    const destructive = async (): Promise<string> => {
      const zip = new JSZip();
      zip.file('package.xml', '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>62.0</version></Package>');
      zip.file(
        'destructiveChanges.xml',
        '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata">' +
          '<types><members>APN_Roles_Anywhere_Access</members><name>PermissionSet</name></types>' +
          '<types><members>APN_API_Connection</members><name>NamedCredential</name></types>' +
          '<types><members>AWS_IAM_Anywhere_Credential</members><name>ExternalCredential</name></types></Package>'
      );
      return (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
    };
    const refused = await deployAndCheck(api, await destructive());
    expect(refused.status).to.equal('Failed');
    expect(refused.details?.componentFailures?.map((f) => f.problem).join()).to.include('assigned to one or more users');
    expect(state.externalCredentials).to.have.length(1);
    state.assignments.splice(0);
    expect((await deployAndCheck(api, await destructive())).status).to.equal('Succeeded');
    expect([state.externalCredentials, state.namedCredentials, state.permissionSets].map((l) => l.length)).to.deep.equal([0, 0, 0]);
  });

  it('destructiveChanges of a Certificate: refused while a credential or the Identity Provider names it, unless the referrer goes too', async () => {
    state.importCertificate('iamra');
    expect((await deployAndCheck(api, await fixtureZip())).status).to.equal('Succeeded');
    const deleting = async (members: Array<[string, string]>): Promise<Result> => {
      const zip = new JSZip();
      zip.file('package.xml', '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>62.0</version></Package>');
      const types = members.map(([type, name]) => `<types><members>${name}</members><name>${type}</name></types>`).join('');
      zip.file('destructiveChangesPost.xml', `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata">${types}</Package>`);
      return deployAndCheck(api, (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64'));
    };
    const inUse = await deleting([['Certificate', 'iamra']]);
    expect(inUse.status).to.equal('Failed');
    expect(inUse.details?.componentFailures?.[0].problem).to.equal("This certificate is in use by external credential AWS_IAM_Anywhere_Credential and can't be deleted.");
    expect(state.certificate('iamra')).to.not.equal(undefined);

    state.importCertificate('idp');
    state.identityProvider = { enabled: true, certificateName: 'idp' };
    expect((await deleting([['Certificate', 'idp']])).details?.componentFailures?.[0].problem).to.include('in use by the Identity Provider');
    expect((await deleting([['Certificate', 'nope']])).details?.componentFailures?.[0].problem).to.equal('No Certificate named: nope found');

    // The same deploy removes every referrer: the certificate (and its key) go.
    const all = await deleting([['Certificate', 'iamra'], ['NamedCredential', 'APN_API_Connection'], ['ExternalCredential', 'AWS_IAM_Anywhere_Credential'], ['PermissionSet', 'APN_Roles_Anywhere_Access']]);
    expect(all.status, JSON.stringify(all.details)).to.equal('Succeeded');
    expect(state.certificate('iamra')).to.equal(undefined);
    expect(state.signingKey('iamra')).to.equal(undefined);
  });

  describe('rules without an sf process (one row each)', () => {
    const EC = 'externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential';
    const CERT_META = `<?xml version="1.0" encoding="UTF-8"?>
<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">
    <caSigned>true</caSigned>
    <keySize>KEY</keySize>
    <masterLabel>LABEL</masterLabel>
    <privateKeyExportable>false</privateKeyExportable>
</Certificate>
`;
    const IDP = `<?xml version="1.0" encoding="UTF-8"?>
<IdentityProviderSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <certificateName>iamra</certificateName>
    <enableIdentityProvider>true</enableIdentityProvider>
</IdentityProviderSettings>
`;
    type RuleRow = {
      name: string;
      change: (files: Record<string, string>) => void;
      arrange?: (state: OrgState) => void;
      apiVersion?: string;
      fullName: string;
      problem: string;
    };
    const NC = 'namedCredentials/APN_API_Connection.namedCredential';
    const PS = 'permissionsets/APN_Roles_Anywhere_Access.permissionset';
    const ecParameter = (name: string, type: string, value: string, extra = ''): string =>
      `<externalCredentialParameters>${extra}<parameterName>${name}</parameterName><parameterType>${type}</parameterType><parameterValue>${value}</parameterValue></externalCredentialParameters>\n    <label>`;
    const rows: RuleRow[] = [
      {
        name: 'principal element (removed in API 58)',
        change: (f) => (f[EC] = f[EC].replace('<label>', '<principal>IAMAW_Principal</principal>\n    <label>')),
        fullName: 'AWS_IAM_Anywhere_Credential',
        problem: 'Element {http://soap.sforce.com/2006/04/metadata}principal invalid at this location in type ExternalCredential',
      },
      {
        name: 'Roles Anywhere without its trust anchor ARN',
        change: (f) => (f[EC] = f[EC].replace(/<externalCredentialParameters>\s*<parameterName>AwsTrustAnchorArn<[\s\S]*?<\/externalCredentialParameters>\s*/, '')),
        fullName: 'AWS_IAM_Anywhere_Credential',
        problem: 'requires the following authentication parameters: AwsTrustAnchorArn',
      },
      {
        name: 'unknown AuthProtocolVariant',
        change: (f) => (f[EC] = f[EC].replace('<parameterValue>RolesAnywhere<', '<parameterValue>RolesEverywhere<')),
        fullName: 'AWS_IAM_Anywhere_Credential',
        problem: 'The authentication protocol variant RolesEverywhere',
      },
      {
        name: 'certificate keySize outside 2048/4096',
        change: (f) => {
          f['certs/iamra.crt'] = 'placeholder';
          f['certs/iamra.crt-meta.xml'] = CERT_META.replace('KEY', '1024').replace('LABEL', 'iamra');
        },
        fullName: 'iamra',
        problem: "'1024' is not a valid value for the enum 'int'",
      },
      {
        name: 'certificate masterLabel over 64 characters',
        change: (f) => {
          f['certs/iamra.crt'] = 'placeholder';
          f['certs/iamra.crt-meta.xml'] = CERT_META.replace('KEY', '2048').replace('LABEL', 'x'.repeat(65));
        },
        fullName: 'iamra',
        problem: 'masterLabel: data value too large',
      },
      {
        name: 'IdentityProviderSettings without Customize Application',
        change: (f) => (f['settings/IdentityProvider.settings'] = IDP),
        arrange: (st) => (st.adminUser.customizeApplication = false),
        fullName: 'IdentityProvider',
        problem: 'Customize Application',
      },
      {
        name: 'named credential Authentication naming an external credential nobody has',
        change: (f) => {
          const nc = 'namedCredentials/APN_API_Connection.namedCredential';
          f[nc] = f[nc].replace('<externalCredential>AWS_IAM_Anywhere_Credential<', '<externalCredential>Missing_Credential<');
        },
        fullName: 'APN_API_Connection',
        problem: 'no ExternalCredential named Missing_Credential found',
      },
      ...(['Bad__Name', 'Bad_Name_', '1Bad', 'Bad-Name'].map((name) => ({
        name: `DeveloperName ${name}`,
        change: (f: Record<string, string>): void => {
          f[`permissionsets/${name}.permissionset`] = f[PS];
          delete f[PS];
        },
        fullName: name,
        problem: `The name ${name} can only contain underscores and alphanumeric characters`,
      })) satisfies RuleRow[]),
      {
        name: 'named credential label over 80 characters',
        change: (f) => (f[NC] = f[NC].replace('<label>APN API Connection<', `<label>${'x'.repeat(81)}<`)),
        fullName: 'APN_API_Connection',
        problem: 'label: data value too large',
      },
      {
        name: 'sequenceNumber on a parameter that is not a NamedPrincipal',
        change: (f) => (f[EC] = f[EC].replace('<label>', ecParameter('AwsAccountId', 'AuthParameter', '123456789012', '<sequenceNumber>2</sequenceNumber>'))),
        fullName: 'AWS_IAM_Anywhere_Credential',
        problem: "The parameter AwsAccountId can't have a sequence number",
      },
      {
        name: 'AuthProviderUrlQueryParameter on a Roles Anywhere credential',
        change: (f) => (f[EC] = f[EC].replace('<label>', ecParameter('AwsExternalId', 'AuthProviderUrlQueryParameter', 'x'))),
        fullName: 'AWS_IAM_Anywhere_Credential',
        problem: 'AuthProviderUrlQueryParameter parameters are only available for the AwsSv4_STS protocol variant',
      },
      {
        name: 'AwsStsExternalId on a Roles Anywhere credential',
        change: (f) => (f[EC] = f[EC].replace('<label>', ecParameter('AwsStsExternalId', 'AuthParameter', 'x'))),
        fullName: 'AWS_IAM_Anywhere_Credential',
        problem: 'AwsStsExternalId is only available for the AwsSv4_STS protocol variant',
      },
      {
        name: 'trust anchor and profile ARNs on an AwsSv4_STS credential',
        change: (f) => (f[EC] = f[EC].replace('<parameterValue>RolesAnywhere<', '<parameterValue>AwsSv4_STS<')),
        fullName: 'AWS_IAM_Anywhere_Credential',
        problem: 'AwsTrustAnchorArn is only available for the RolesAnywhere protocol variant, not AwsSv4_STS',
      },
      {
        name: 'two external credentials on one named credential',
        change: (f) =>
          (f[NC] = f[NC].replace(
            '<namedCredentialType>',
            '<namedCredentialParameters><externalCredential>AWS_IAM_Anywhere_Credential</externalCredential><parameterName>Second</parameterName><parameterType>Authentication</parameterType></namedCredentialParameters>\n    <namedCredentialType>'
          )),
        fullName: 'APN_API_Connection',
        problem: 'A named credential can reference only one external credential.',
      },
      {
        name: 'PrivateEndpoint without an OutboundNetworkConnection',
        change: (f) => (f[NC] = f[NC].replace('<namedCredentialType>SecuredEndpoint<', '<namedCredentialType>PrivateEndpoint<')),
        fullName: 'APN_API_Connection',
        problem: 'requires an OutboundNetworkConnection parameter',
      },
      {
        name: 'AllowedManagedPackageNamespaces naming a package the org does not have',
        change: () => {},
        arrange: (st) => st.installedPackages.splice(0),
        fullName: 'APN_API_Connection',
        problem: 'No installed managed package has the namespace awsapn.',
      },
      {
        name: 'ExternalCredential below API 56',
        change: () => {},
        apiVersion: '55.0',
        fullName: 'AWS_IAM_Anywhere_Credential',
        problem: 'Not available for deploy for this API version: ExternalCredential needs API 56.0',
      },
    ];
    for (const row of rows) {
      it(`rejects: ${row.name}`, async () => {
        state.importCertificate('iamra');
        row.arrange?.(state);
        const result = await deployAndCheck(api, await fixtureZip(row.apiVersion ?? '62.0', row.change));
        expect(result.status).to.equal('Failed');
        const problems = (result.details?.componentFailures ?? []).filter((f) => f.fullName === row.fullName).map((f) => f.problem);
        expect(problems.join('\n'), JSON.stringify(result.details?.componentFailures)).to.include(row.problem);
        expect(state.externalCredentials).to.have.length(0);
      });
    }

    it('accepts the valid set plus IdentityProviderSettings and applies them', async () => {
      state.importCertificate('iamra');
      const result = await deployAndCheck(api, await fixtureZip('62.0', (f) => (f['settings/IdentityProvider.settings'] = IDP)));
      expect(result.status, JSON.stringify(result.details?.componentFailures)).to.equal('Succeeded');
      expect(state.identityProvider).to.deep.equal({ enabled: true, certificateName: 'iamra' });
      expect(state.principalsOf('AWS_IAM_Anywhere_Credential')).to.deep.equal(['IAMAW_Principal']);
    });
  });
});
