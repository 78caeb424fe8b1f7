/*
 * The SOAP Metadata API of the simulator in process (no sf): the deploy options and fault knobs whose
 * effects the sf-level tests do not reach cheaply (rollbackOnError=false, whole-deploy failures,
 * InProgress polls, retrieve of what an admin imported).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { FaultKnobs } from './faults.js';
import { MetadataApi } from './metadataApi.js';
import { fixturesDir } from './project.js';
import { OrgState } from './state.js';

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
});
