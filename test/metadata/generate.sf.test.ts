/*
 * `sf iamra metadata generate` through the real sf binary (compiled lib/; `npm run build` first):
 * the documented example with --json against the schema, and refusals as a user sees them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfCli, type SfRun, STACK_TRACE } from '../helpers/sfCli.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { ARN, ARN_FLAGS } from '../helpers/fixtures.js';
import { tempDir, tempProject } from '../helpers/tempProject.js';
import { readTree } from '../helpers/tree.js';
import { BUNDLED_EXAMPLE } from './world.js';

type GenerateJson = {
  stage: string;
  files: Array<{ type: string; fullName: string; path: string; status: string }>;
  inputs: { roleArn: { value: string; source: { from: string; outputKey?: string } } };
};

describe('sf iamra metadata generate (real sf binary)', () => {
  let sf: SfCli;
  before(() => {
    sf = SfCli.get(); // links the plugin once; in a hook so a --grep for other tests skips it
  });

  it('writes the example set from config/example-stack-outputs.json with a --json result matching the schema', () => {
    const outputDir = tempDir().dir;
    const run = sf.runSync(['iamra', 'metadata', 'generate', '--stack-outputs', 'config/example-stack-outputs.json', '--output-dir', outputDir, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    expectMatchesSchema('iamra metadata generate', run.json?.result);
    const result = run.json?.result as GenerateJson;
    expect(result.stage).to.equal('sts');
    expect(result.files.map((f) => `${f.type}:${f.fullName}:${f.status}`)).to.deep.equal([
      'ExternalCredential:AWS_IAM_Anywhere_Credential:created',
      'NamedCredential:APN_API_Connection:created',
      'PermissionSet:APN_Roles_Anywhere_Access:created',
    ]);
    expect(result.inputs.roleArn.source).to.deep.equal({ from: 'stack-outputs', file: 'config/example-stack-outputs.json', outputKey: 'RoleArn' });
    expect(readTree(outputDir)).to.deep.equal(readTree(BUNDLED_EXAMPLE));
  });

  it('prints the files table and the role-ARN note for humans', () => {
    const outputDir = tempDir().dir;
    const run = sf.runSync(['iamra', 'metadata', 'generate', ...ARN_FLAGS, '--output-dir', outputDir]);
    expect(run.code, run.stderr).to.equal(0);
    // ux.table draws box lines on a terminal and plain columns under CI=true: match either
    expect(run.stdout).to.match(/created\s+│?\s*ExternalCredential\s+│?\s*AWS_IAM_Anywhere_Credential/);
    expect(run.stdout).to.include('The role ARN is not metadata');
  });

  const lowApiProject = tempProject({ prefix: 'iamra-low-api-', sourceApiVersion: '58.0' }).dir;
  const notJson = join(tempDir().dir, 'outputs.json');
  writeFileSync(notJson, 'Outputs:\n  - TrustAnchorArn\n');

  /** `human`: also run without --json to check what a person sees on stderr. */
  type Row = { name: string; args: string[]; cwd?: string; message: RegExp; error: string; human?: boolean };
  const rows: Row[] = [
    { name: 'malformed ARN', args: ['--trust-anchor-arn', 'nope', '--profile-arn', ARN.profile, '--role-arn', ARN.role], message: /--trust-anchor-arn is not a well-formed ARN: "nope"/, error: 'MalformedArnError', human: true },
    {
      name: 'region other than us-west-2 without --region',
      args: ['--trust-anchor-arn', ARN.anchor.replace('us-west-2', 'eu-central-1'), '--profile-arn', ARN.profile.replace('us-west-2', 'eu-central-1'), '--role-arn', ARN.role],
      message: /in eu-central-1, but the AWS Partner CRM Connector's integration bucket is in us-west-2/,
      error: 'RegionNotConnectorRegionError',
      human: true,
    },
    { name: 'STS duration out of range', args: [...ARN_FLAGS, '--sts-duration', '60'], message: /STS duration 60 is out of range/, error: 'StsDurationOutOfRangeError' },
    { name: 'stack outputs that are not JSON', args: ['--stack-outputs', notJson], message: /outputs\.json is not JSON/, error: 'StackOutputsNotJsonError' },
    { name: 'bad API name', args: [...ARN_FLAGS, '--principal', 'IAMAW Principal'], message: /--principal "IAMAW Principal" is not a valid Salesforce API name/, error: 'BadApiNameError' },
    { name: 'project sourceApiVersion below 60', args: ARN_FLAGS, cwd: lowApiProject, message: /sourceApiVersion is 58.0, but the generated metadata needs API version 60/, error: 'SourceApiVersionTooLowError', human: true },
  ];

  // Each row runs with --json (and some also without); all runs go in parallel (sf starts slowly).
  type Outcome = { outputDir: string; human?: SfRun; json: SfRun };
  let outcomes: Outcome[] = [];
  before(async () => {
    outcomes = await Promise.all(
      rows.map(async (row) => {
        const outputDir = tempDir().dir;
        const args = ['iamra', 'metadata', 'generate', ...row.args, ...(row.cwd ? [] : ['--output-dir', outputDir])];
        const [json, human] = await Promise.all([
          sf.run([...args, '--json'], { cwd: row.cwd }),
          row.human ? sf.run(args, { cwd: row.cwd }) : undefined,
        ]);
        return { outputDir, human, json };
      })
    );
  });

  rows.forEach((row, index) => {
    it(`refuses: ${row.name} (exit 1, message, no stack trace, nothing written)`, () => {
      const { outputDir, human, json } = outcomes[index];
      if (human) {
        expect(human.code).to.equal(1);
        expect(human.stderr).to.match(row.message);
        expect(human.stdout + human.stderr).to.not.match(STACK_TRACE);
      }
      expect(json.code).to.equal(1);
      expect(json.json?.name).to.equal(row.error);
      expect(json.json?.message).to.match(row.message);
      expect(json.json?.actions ?? []).to.not.be.empty;
      expect(json.stdout + json.stderr).to.not.match(STACK_TRACE);
      expect(Object.keys(readTree(row.cwd ?? outputDir))).to.deep.equal(row.cwd ? ['sfdx-project.json'] : []);
    });
  });
});
