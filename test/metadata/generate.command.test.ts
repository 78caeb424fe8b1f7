/*
 * `sf iamra metadata generate` in-process: every input refusal of issue 3 is a row (error name,
 * message naming the problem, actions, no stack trace, nothing written), plus the behaviours a user
 * relies on: reruns change nothing, sts -> s3 -> sts round-trips, flags override the stack outputs,
 * foreign files are kept without --force, and the bundled example regenerates byte for byte.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import IamraMetadataGenerate, { type IamraMetadataGenerateResult } from '../../src/commands/iamra/metadata/generate.js';
import { STACK_TRACE } from '../helpers/sfCli.js';
import {
  createReadOnlyMount,
  createUnwritableDir,
  skipWithoutReadOnlyMount,
  skipWithoutUnwritableDir,
  type UnwritableDir,
} from '../helpers/unwritableDir.js';
import { withFlag } from '../helpers/argv.js';
import { ARN, ARN_FLAGS } from '../helpers/fixtures.js';
import { runInProcess, type CapturedRun } from '../helpers/runInProcess.js';
import { tempDir } from '../helpers/tempProject.js';
import { readTree } from '../helpers/tree.js';
import { BUNDLED_EXAMPLE, EXAMPLE_STACK_OUTPUTS } from './world.js';

const run = (args: string[]): Promise<CapturedRun<IamraMetadataGenerateResult>> =>
  runInProcess<IamraMetadataGenerateResult>(IamraMetadataGenerate, args);

const fixtures = tempDir('iamra-metadata-fixtures-').dir;
function stackFile(name: string, content: unknown): string {
  const file = join(fixtures, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const outputs = (...entries: Array<[string, string]>): unknown => ({
  Stacks: [{ Outputs: entries.map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }],
});
const east = (arn: string): string => arn.replace('us-west-2', 'us-east-1');

type Row = { name: string; args: string[]; error: string; message: RegExp; exitCode?: number };

const rows: Row[] = [
  { name: 'malformed trust anchor ARN', args: withFlag(ARN_FLAGS, '--trust-anchor-arn', 'trust-anchor/0d9e'), error: 'MalformedArnError', message: /--trust-anchor-arn is not a well-formed ARN/ },
  { name: 'profile ARN given as trust anchor', args: withFlag(ARN_FLAGS, '--trust-anchor-arn', ARN.profile), error: 'WrongArnKindError', message: /--trust-anchor-arn must be the ARN of an IAM Roles Anywhere trust anchor.*rolesanywhere profile/ },
  { name: 'wrong service for the role', args: withFlag(ARN_FLAGS, '--role-arn', 'arn:aws:sts::123456789012:assumed-role/r/s'), error: 'WrongArnKindError', message: /--role-arn must be the ARN of an IAM role.*sts assumed-role/ },
  { name: 'IAM user instead of role', args: withFlag(ARN_FLAGS, '--role-arn', 'arn:aws:iam::123456789012:user/bob'), error: 'WrongArnKindError', message: /--role-arn.*iam user/ },
  { name: 'unsupported partition', args: withFlag(ARN_FLAGS, '--profile-arn', ARN.profile.replace(':aws:', ':aws-iso:')), error: 'UnsupportedPartitionError', message: /--profile-arn is in partition "aws-iso"/ },
  { name: 'account of 11 digits', args: withFlag(ARN_FLAGS, '--role-arn', 'arn:aws:iam::12345678901:role/x'), error: 'BadAccountIdError', message: /--role-arn has account "12345678901"; an AWS account ID is exactly 12 digits/ },
  { name: 'account mismatch', args: withFlag(ARN_FLAGS, '--role-arn', 'arn:aws:iam::210987654321:role/x'), error: 'AccountMismatchError', message: /--role-arn belongs to account 210987654321 but the --trust-anchor-arn belongs to account 123456789012/ },
  { name: 'trust anchor and profile in different regions', args: withFlag(ARN_FLAGS, '--profile-arn', east(ARN.profile)), error: 'RegionMismatchError', message: /--trust-anchor-arn is in region us-west-2 but the --profile-arn is in region us-east-1/ },
  { name: 'region not us-west-2 without --region', args: withFlag(withFlag(ARN_FLAGS, '--profile-arn', east(ARN.profile)), '--trust-anchor-arn', east(ARN.anchor)), error: 'RegionNotConnectorRegionError', message: /in us-east-1, but the AWS Partner CRM Connector's integration bucket is in us-west-2/ },
  { name: '--region not the ARNs\' region', args: [...ARN_FLAGS, '--region', 'eu-west-1'], error: 'RegionFlagMismatchError', message: /--region is eu-west-1, but the trust anchor and profile are in us-west-2/ },
  { name: 'STS duration below 900', args: [...ARN_FLAGS, '--sts-duration', '899'], error: 'StsDurationOutOfRangeError', message: /STS duration 899 is out of range: it must be between 900 and 43200/ },
  { name: 'STS duration above 43200', args: [...ARN_FLAGS, '--sts-duration', '43201'], error: 'StsDurationOutOfRangeError', message: /STS duration 43201 is out of range/ },
  { name: 'principal name with a space', args: [...ARN_FLAGS, '--principal', 'My Principal'], error: 'BadApiNameError', message: /--principal "My Principal" is not a valid Salesforce API name: it may contain only letters, digits and underscores/ },
  { name: 'external credential name starting with a digit', args: [...ARN_FLAGS, '--external-credential', '1Cred'], error: 'BadApiNameError', message: /--external-credential "1Cred".*must start with a letter/ },
  { name: 'permission set name with a double underscore', args: [...ARN_FLAGS, '--permission-set', 'a__b'], error: 'BadApiNameError', message: /--permission-set "a__b".*two underscores/ },
  { name: 'named credential name ending in underscore', args: [...ARN_FLAGS, '--named-credential', 'APN_'], error: 'BadApiNameError', message: /--named-credential "APN_".*must not end with an underscore/ },
  { name: 'certificate name over 64 characters', args: [...ARN_FLAGS, '--certificate-name', `c${'x'.repeat(64)}`], error: 'BadApiNameError', message: /--certificate-name .*longer than 64 characters/ },
  { name: 'no ARNs and no stack outputs', args: ['--role-arn', ARN.role], error: 'ArnsMissingError', message: /No --trust-anchor-arn, --profile-arn was given/ },
  { name: 'stack outputs file that is not JSON', args: ['--stack-outputs', stackFile('not-json.json', 'Outputs: nope')], error: 'StackOutputsNotJsonError', message: /not-json\.json is not JSON/ },
  { name: 'stack outputs without Outputs', args: ['--stack-outputs', stackFile('no-outputs.json', { Stacks: [{ StackName: 's' }] })], error: 'StackOutputsNoOutputsError', message: /no-outputs\.json has no Outputs array/ },
  { name: 'stack outputs lacking the role ARN', args: ['--stack-outputs', stackFile('no-role.json', outputs(['A', ARN.anchor], ['P', ARN.profile]))], error: 'StackOutputsMissingArnError', message: /no-role\.json have no ARN of this kind: IAM role/ },
  { name: 'stack outputs with two profiles', args: ['--stack-outputs', stackFile('two.json', outputs(['A', ARN.anchor], ['P1', ARN.profile], ['P2', ARN.profile], ['R', ARN.role]))], error: 'StackOutputsAmbiguousError', message: /more than one Roles Anywhere profile.*outputs P1, P2/ },
  { name: 'stack outputs file missing', args: ['--stack-outputs', join(fixtures, 'absent.json')], error: 'StackOutputsUnreadableError', message: /cannot be read: .*absent\.json/ },
  { name: 'stack outputs file missing even though flags give every ARN', args: [...ARN_FLAGS, '--stack-outputs', join(fixtures, 'absent.json')], error: 'StackOutputsUnreadableError', message: /absent\.json/ },
  { name: 'bad ARN inside the stack outputs names the output', args: ['--stack-outputs', stackFile('bad-acct.json', outputs(['A', ARN.anchor], ['P', ARN.profile], ['TheRole', 'arn:aws:iam::210987654321:role/x']))], error: 'AccountMismatchError', message: /role arn \(stack output TheRole in .*bad-acct\.json\) belongs to account 210987654321/ },
  { name: 'identity-provider certificate name without --identity-provider', args: [...ARN_FLAGS, '--identity-provider-certificate', 'idp'], error: 'Error', message: /--identity-provider/, exitCode: 2 },
  { name: 'unknown --service', args: [...ARN_FLAGS, '--service', 'ec2'], error: 'Error', message: /Expected --service=ec2 to be one of: sts, s3/, exitCode: 2 },
];

describe('sf iamra metadata generate (in-process)', () => {
  for (const row of rows) {
    it(`refuses: ${row.name}`, async () => {
      const outputDir = tempDir().dir;
      const { error, stdout, stderr } = await run([...row.args, '--output-dir', outputDir]);
      expect(error, 'expected a refusal').to.not.equal(undefined);
      expect(error!.name).to.equal(row.error);
      expect(error!.message).to.match(row.message);
      expect(error!.exitCode ?? 1).to.equal(row.exitCode ?? 1);
      if (row.error !== 'Error') expect(error!.actions ?? [], 'actions name the fix').to.not.be.empty;
      expect(stdout + stderr).to.not.match(STACK_TRACE);
      expect(readdirSync(outputDir), 'nothing written').to.deep.equal([]);
    });
  }

  it('regenerates the bundled example byte for byte from config/example-stack-outputs.json', async () => {
    const outputDir = tempDir().dir;
    const { result, error } = await run(['--stack-outputs', EXAMPLE_STACK_OUTPUTS, '--output-dir', outputDir]);
    expect(error).to.equal(undefined);
    expect(readTree(outputDir)).to.deep.equal(readTree(BUNDLED_EXAMPLE));
    expect(result?.inputs.trustAnchorArn.source).to.deep.equal({ from: 'stack-outputs', file: EXAMPLE_STACK_OUTPUTS, outputKey: 'TrustAnchorArn' });
  });

  it('changes nothing when run twice, and sts -> s3 -> sts round-trips to identical bytes', async () => {
    const outputDir = tempDir().dir;
    const args = [...ARN_FLAGS, '--output-dir', outputDir];
    const first = await run(args);
    expect(first.result?.files.map((f) => f.status)).to.deep.equal(['created', 'created', 'created']);
    const sts = readTree(outputDir);
    const mtimes = first.result!.files.map((f) => statSync(f.path).mtimeMs);

    const again = await run(args);
    expect(again.result?.files.map((f) => f.status)).to.deep.equal(['unchanged', 'unchanged', 'unchanged']);
    expect(again.stdout).to.include('Nothing changed');
    expect(again.result!.files.map((f) => statSync(f.path).mtimeMs)).to.deep.equal(mtimes);

    const s3 = await run([...args, '--service', 's3']);
    expect(s3.result?.stage).to.equal('s3');
    expect(s3.result?.files.map((f) => f.status)).to.deep.equal(['changed', 'changed', 'unchanged']);
    expect(readTree(outputDir)).to.not.deep.equal(sts);
    await run([...args, '--service', 'sts']);
    expect(readTree(outputDir)).to.deep.equal(sts);
  });

  it('lets flags override the stack outputs and reports where each ARN came from', async () => {
    const outputDir = tempDir().dir;
    const otherRole = 'arn:aws:iam::123456789012:role/service-role/Other';
    const { result, stdout } = await run(['--stack-outputs', EXAMPLE_STACK_OUTPUTS, '--role-arn', otherRole, '--output-dir', outputDir]);
    expect(result?.inputs.roleArn).to.deep.equal({ value: otherRole, source: { from: 'flag', flag: '--role-arn' } });
    expect(result?.inputs.profileArn.source).to.include({ from: 'stack-outputs', outputKey: 'ProfileArn' });
    expect(stdout).to.include(`role-arn: ${otherRole} (from --role-arn)`);
    expect(stdout).to.match(/profile-arn: .* \(from output ProfileArn in /);
    // The role ARN is validated and reported, but is not metadata.
    expect(stdout).to.include('The role ARN is not metadata');
    for (const content of Object.values(readTree(outputDir))) expect(content).to.not.include('role/');
  });

  it('accepts another region when --region confirms it, with a warning', async () => {
    const outputDir = tempDir().dir;
    const args = [...withFlag(withFlag(ARN_FLAGS, '--profile-arn', east(ARN.profile)), '--trust-anchor-arn', east(ARN.anchor))];
    const { result, stderr } = await run([...args, '--region', 'us-east-1', '--output-dir', outputDir]);
    expect(result?.inputs.region).to.deep.equal({ value: 'us-east-1', source: { from: 'flag', flag: '--region' } });
    expect(result?.warnings.join('\n')).to.match(/Generating for us-east-1, not the connector's us-west-2/);
    expect(stderr).to.match(/Generating for us-east-1/);
    expect(readTree(outputDir)['namedCredentials/APN_API_Connection.namedCredential-meta.xml']).to.include('https://sts.us-east-1.amazonaws.com');
  });

  it('uses name overrides and warns that the connector only calls APN_API_Connection', async () => {
    const outputDir = tempDir().dir;
    const { result } = await run([...ARN_FLAGS, '--named-credential', 'Other_NC', '--principal', 'P1', '--sts-duration', '900', '--output-dir', outputDir]);
    expect(result?.files.map((f) => f.fullName)).to.include('Other_NC');
    expect(result?.warnings.join('\n')).to.include('calls only APN_API_Connection');
    const tree = readTree(outputDir);
    expect(tree['permissionsets/APN_Roles_Anywhere_Access.permissionset-meta.xml']).to.include('AWS_IAM_Anywhere_Credential-P1');
    expect(tree['externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential-meta.xml']).to.include('<parameterValue>900</parameterValue>');
  });

  it('keeps a file it did not write unless --force, and then writes nothing else either', async () => {
    const outputDir = tempDir().dir;
    const foreign = join(outputDir, 'namedCredentials', 'APN_API_Connection.namedCredential-meta.xml');
    mkdirSync(join(outputDir, 'namedCredentials'));
    writeFileSync(foreign, '<NamedCredential>hand-made</NamedCredential>\n');
    const refused = await run([...ARN_FLAGS, '--output-dir', outputDir]);
    expect(refused.error?.name).to.equal('NotOurFileError');
    expect(refused.error?.message).to.include(foreign);
    expect(refused.error?.actions?.join('\n')).to.include('--force');
    expect(existsSync(join(outputDir, 'externalCredentials')), 'no half-written set').to.equal(false);
    expect(readTree(outputDir)).to.deep.equal({ 'namedCredentials/APN_API_Connection.namedCredential-meta.xml': '<NamedCredential>hand-made</NamedCredential>\n' });

    const forced = await run([...ARN_FLAGS, '--output-dir', outputDir, '--force']);
    expect(forced.result?.files.find((f) => f.path === foreign)?.status).to.equal('changed');
  });

  it('with --identity-provider adds the certificate and settings, deterministically', async () => {
    const outputDir = tempDir().dir;
    const first = await run([...ARN_FLAGS, '--identity-provider', '--output-dir', outputDir]);
    expect(first.result?.files.map((f) => `${f.type}:${f.relativePath}`)).to.include.members([
      'Certificate:certs/iamra_identity_provider.crt',
      'Certificate:certs/iamra_identity_provider.crt-meta.xml',
      'Settings:settings/IdentityProvider.settings-meta.xml',
    ]);
    const second = await run([...ARN_FLAGS, '--identity-provider', '--output-dir', outputDir]);
    expect(second.result?.files.every((f) => f.status === 'unchanged')).to.equal(true);
  });

  describe('--output-dir that cannot be written: a clear message, not ENOTDIR or ENOENT', () => {
    const base = tempDir().dir;
    const file = join(base, 'a-file');
    writeFileSync(file, 'keep me');
    let unwritable: UnwritableDir | undefined;
    let readOnly: { mount?: UnwritableDir; reason?: string } = {};
    before(() => {
      unwritable = createUnwritableDir(base);
      readOnly = createReadOnlyMount(base);
    });
    after(() => {
      unwritable?.release();
      readOnly.mount?.release();
    });
    const dirRows: Array<{ name: string; dir: () => string; message: RegExp; unwritable?: boolean; readOnly?: boolean }> = [
      { name: 'a file', dir: () => file, message: /generated source cannot be written to .*a-file: .*a-file is a file, not a directory/ },
      { name: 'a directory under a file', dir: () => join(file, 'force-app', 'main'), message: /a-file is a file, not a directory/ },
      { name: 'a directory nobody may write (read-only)', dir: () => join(unwritable!.path, 'new', 'dir'), message: /you may not create files in .*immutable/, unwritable: true },
      { name: 'a read-only file system (EROFS)', dir: () => readOnly.mount!.path, message: /generated source cannot be written to .*read-only: .*read-only is on a read-only file system/, readOnly: true },
      { name: 'a new directory on a read-only file system (EROFS, not ENOENT mkdir)', dir: () => join(readOnly.mount!.path, 'force-app', 'main'), message: /read-only[/]force-app[/]main: .*read-only is on a read-only file system/, readOnly: true },
    ];
    for (const row of dirRows) {
      it(`refuses: ${row.name}`, async function () {
        if (row.unwritable && !unwritable) skipWithoutUnwritableDir(this);
        if (row.readOnly && !readOnly.mount) skipWithoutReadOnlyMount(this, readOnly.reason);
        const { error, stdout, stderr } = await run([...ARN_FLAGS, '--output-dir', row.dir()]);
        expect(error?.name).to.equal('OutputNotWritableError');
        expect(error?.message).to.match(row.message);
        expect(error?.message).to.not.match(/ENOTDIR|ENOENT|EROFS|mkdir/);
        expect(error?.actions?.join('\n')).to.match(/directory you can write to/);
        expect(stdout + stderr).to.not.match(STACK_TRACE);
        expect(readdirSync(base).sort(), 'nothing created').to.deep.equal(['a-file', ...(unwritable ? ['immutable'] : []), ...(readOnly.mount ? ['read-only'] : [])]);
        if (readOnly.mount) expect(readdirSync(readOnly.mount.path), 'nothing created on the read-only file system').to.deep.equal([]);
      });
    }
  });
});
