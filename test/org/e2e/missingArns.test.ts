/*
 * Missing inputs are flag-level errors: a command that needs the three Roles Anywhere ARNs, given
 * neither all three ARN flags nor a stack (--stack-outputs / --stack-name) to supply the rest, is refused
 * right after parse (src/flags/aws.ts requireArnSources): the missing flags named, the fixes suggested,
 * no stack trace, and not one request to the org or to AWS. The org commands run through the real sf
 * against the org simulator, which records every request; the others in-process against the local
 * Roles Anywhere endpoint, which records every request too.
 */
import { expect } from 'chai';
import { ARN, pki } from '../../helpers/fixtures.js';
import { STACK_TRACE } from '../../helpers/sfCli.js';
import { runInProcess } from '../../helpers/runInProcess.js';
import IamraMetadataGenerate from '../../../src/commands/iamra/metadata/generate.js';
import Verify from '../../../src/commands/iamra/aws/verify.js';
import CredentialProcess from '../../../src/commands/iamra/aws/credential-process.js';
import { tempDir } from '../../helpers/tempProject.js';
import { newEndpoint } from '../../rolesanywhere/world.js';
import type { VerifyingEndpoint } from '../../rolesanywhere/endpoint/verifyingEndpoint.js';
import { orgRig, type OrgRig } from './orgProject.js';

type Refusal = { name: string; message: string; actions: string[]; text: string; code: number };

const credential = ['--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.pem'), '--intermediates', pki('chain.pem')];

type Row = {
  name: string;
  /** The ARN flags the row gives (the others are missing). */
  given: string[];
  missing: RegExp;
  viaSf: boolean;
  run: (given: string[]) => Promise<Refusal>;
};

let rig: OrgRig;
let endpoint: VerifyingEndpoint;
const out = tempDir('iamra-missing-arns-');

async function runViaSf(args: string[]): Promise<Refusal> {
  const run = await rig.run([...args, '--json']);
  const json = run.json ?? { message: '', actions: [], name: '', status: 0 };
  return { name: json.name ?? '', message: json.message ?? '', actions: json.actions ?? [], text: run.stdout + run.stderr, code: run.code };
}

async function inProcess(command: Parameters<typeof runInProcess>[0], args: string[]): Promise<Refusal> {
  const run = await runInProcess(command, args);
  return {
    name: run.error?.name ?? '',
    message: run.error?.message ?? '',
    actions: run.error?.actions ?? [],
    text: run.output,
    code: run.error?.exitCode ?? (run.error ? 1 : 0),
  };
}

const commands: Array<{ command: string; viaSf?: boolean; run: (given: string[]) => Promise<Refusal> }> = [
  { command: 'configure', viaSf: true, run: (given) => runViaSf(['iamra', 'configure', ...given]) },
  { command: 'deploy', viaSf: true, run: (given) => runViaSf(['iamra', 'deploy', ...given]) },
  { command: 'metadata generate', run: (given) => inProcess(IamraMetadataGenerate, [...given, '--output-dir', out.dir]) },
  { command: 'aws verify', run: (given) => inProcess(Verify, [...credential, ...given, '--endpoint', endpoint.url]) },
  { command: 'aws credential-process', run: (given) => inProcess(CredentialProcess, [...credential, ...given, '--endpoint', endpoint.url]) },
];
const inputs: Array<{ label: string; given: string[]; missing: RegExp }> = [
  { label: 'no ARN at all', given: [], missing: /No --trust-anchor-arn, --profile-arn, --role-arn was given/ },
  { label: 'only the role ARN', given: ['--role-arn', ARN.role], missing: /No --trust-anchor-arn, --profile-arn was given/ },
];
const rows: Row[] = commands.flatMap(({ command, viaSf, run }) =>
  inputs.map(({ label, given, missing }) => ({ name: `${command}, ${label}`, given, missing, viaSf: viaSf === true, run }))
);

describe('missing ARNs and no stack: refused before any org or AWS request', () => {
  const refusals: Refusal[] = [];
  let orgRequests: unknown[] = [];
  let awsRequests = 0;

  before(async function () {
    // a login and four cold sf starts: minutes on a loaded two-core machine
    this.timeout(10 * 60 * 1000);
    rig = await orgRig();
    endpoint = await newEndpoint().start();
    const orgBefore = rig.sim.requests.length;
    const awsBefore = endpoint.received.length;
    // The sf rows side by side (each is a cold sf start); the in-process rows one after another.
    const viaSfRows = rows.map((row, index) => ({ row, index })).filter(({ row }) => row.viaSf);
    const sfRefusals = await Promise.all(viaSfRows.map(({ row }) => row.run(row.given)));
    viaSfRows.forEach(({ index }, i) => (refusals[index] = sfRefusals[i]));
    for (const [index, row] of rows.entries()) {
      // eslint-disable-next-line no-await-in-loop
      if (!row.viaSf) refusals[index] = await row.run(row.given);
    }
    orgRequests = rig.sim.requests.slice(orgBefore);
    awsRequests = endpoint.received.length - awsBefore;
  });
  after(async () => {
    await rig?.close();
    await endpoint?.stop();
    out.cleanup();
  });

  rows.forEach((row, index) => {
    it(`${row.name}: ArnsMissingError naming the missing flags and the fixes`, () => {
      const refusal = refusals[index];
      expect(refusal.name, refusal.text).to.equal('ArnsMissingError');
      expect(refusal.code).to.equal(1);
      expect(refusal.message).to.match(row.missing);
      expect(refusal.actions.join('\n'))
        .to.match(/--stack-outputs/)
        .and.match(/--stack-name/)
        .and.match(/--trust-anchor-arn, --profile-arn and --role-arn/);
      expect(refusal.text).to.not.match(STACK_TRACE);
    });
  });

  it('not one request reached the org or the Roles Anywhere endpoint during those refusals', () => {
    expect(orgRequests, 'org requests').to.deep.equal([]);
    expect(awsRequests, 'AWS requests').to.equal(0);
  });
});
