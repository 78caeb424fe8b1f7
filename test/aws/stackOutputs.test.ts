import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { ARN } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tempProject.js';
import { sfErrorOf } from '../metadata/world.js';
import { pickArns, pickArnsFromStackOutputs, readStackOutputsFile } from '../../src/shared/aws/stackOutputs.js';

const { anchor: ANCHOR, profile: PROFILE } = ARN;
/** A role with a path, as CloudFormation stacks often create them. */
const ROLE = ARN.role.replace(':role/', ':role/service-role/');

// Keys deliberately say nothing (or the wrong thing) about what the value is.
const OUTPUTS = [
  { OutputKey: 'Bucket', OutputValue: 'arn:aws:s3:::some-bucket' },
  { OutputKey: 'First', OutputValue: ROLE },
  { OutputKey: 'ProfileArn', OutputValue: ANCHOR },
  { OutputKey: 'Third', OutputValue: PROFILE, Description: 'profile' },
  { OutputKey: 'Name', OutputValue: 'not an arn' },
];


describe('stack outputs', () => {
  it('picks each ARN by its kind, not by the output key, and says which output gave it', () => {
    const doc = JSON.stringify({ Stacks: [{ StackName: 'iamra', Outputs: OUTPUTS }] });
    expect(pickArnsFromStackOutputs(doc, 'f.json')).to.deep.equal({
      trustAnchorArn: { value: ANCHOR, outputKey: 'ProfileArn' },
      profileArn: { value: PROFILE, outputKey: 'Third' },
      roleArn: { value: ROLE, outputKey: 'First' },
    });
  });

  it('accepts a bare Outputs array and a single stack object', () => {
    expect(pickArnsFromStackOutputs(JSON.stringify(OUTPUTS), 'f').roleArn?.value).to.equal(ROLE);
    expect(pickArnsFromStackOutputs(JSON.stringify({ Outputs: OUTPUTS }), 'f').roleArn?.value).to.equal(ROLE);
  });

  it('does not require kinds given another way, and ignores their ambiguity', () => {
    const outputs = [OUTPUTS[2], OUTPUTS[3], { OutputKey: 'R1', OutputValue: ROLE }, { OutputKey: 'R2', OutputValue: ROLE }];
    const picks = pickArnsFromStackOutputs(JSON.stringify(outputs), 'f', ['trustAnchorArn', 'profileArn']);
    expect(picks.roleArn).to.equal(undefined);
    expect(picks.trustAnchorArn?.outputKey).to.equal('ProfileArn');
  });

  const refusals = [
    { name: 'not JSON', text: '{ nope', error: 'StackOutputsNotJson', mentions: ['f.json'] },
    { name: 'no Outputs', text: JSON.stringify({ Stacks: [{ StackName: 'x' }] }), error: 'StackOutputsNoOutputs', mentions: ['f.json'] },
    { name: 'two stacks', text: JSON.stringify({ Stacks: [{ Outputs: [] }, { Outputs: [] }] }), error: 'StackOutputsStackCount', mentions: ['2 stacks'] },
    { name: 'a missing role', text: JSON.stringify(OUTPUTS.filter((o) => o.OutputKey !== 'First')), error: 'StackOutputsMissingArn', mentions: ['IAM role'] },
    {
      name: 'two trust anchors',
      text: JSON.stringify([...OUTPUTS, { OutputKey: 'Anchor2', OutputValue: ANCHOR }]),
      error: 'StackOutputsAmbiguous',
      mentions: ['trust anchor', 'ProfileArn', 'Anchor2'],
    },
  ];
  for (const row of refusals) {
    it(`refuses ${row.name}`, () => {
      const error = sfErrorOf(() => pickArnsFromStackOutputs(row.text, 'f.json'));
      expect(error.name).to.equal(`${row.error}Error`);
      for (const text of row.mentions) expect(error.message).to.include(text);
    });
  }

  describe('file encodings (what Windows PowerShell and editors write)', () => {
    const json = JSON.stringify({ Stacks: [{ Outputs: OUTPUTS }] }, null, 2).replace(/\n/g, '\r\n');
    const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();
    const rows: Array<{ name: string; bytes: Buffer }> = [
      { name: 'UTF-8', bytes: Buffer.from(json) },
      { name: 'UTF-8 with a BOM', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]) },
      { name: 'UTF-16LE with a BOM (PowerShell 5 `>`)', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]) },
      { name: 'UTF-16BE with a BOM', bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(json)]) },
      { name: 'UTF-16LE without a BOM', bytes: Buffer.from(json, 'utf16le') },
    ];
    for (const row of rows) {
      it(`reads ${row.name}`, async () => {
        const { dir } = tempDir('iamra-stack-');
        const file = join(dir, 'outputs.json');
        writeFileSync(file, row.bytes);
        expect(pickArns(await readStackOutputsFile(file))).to.deep.equal({
          trustAnchorArn: { value: ANCHOR, outputKey: 'ProfileArn' },
          profileArn: { value: PROFILE, outputKey: 'Third' },
          roleArn: { value: ROLE, outputKey: 'First' },
        });
      });
    }

    it('a broken file holding NUL bytes: StackOutputsNotJson, and the message has no control characters', async () => {
      const { dir } = tempDir('iamra-stack-');
      const file = join(dir, 'outputs.json');
      writeFileSync(file, Buffer.from('{"Outputs": \u0000\u0000 [] }'));
      const error = await readStackOutputsFile(file).then(
        () => expect.fail('expected an error'),
        (e: SfError) => e
      );
      expect(error.name).to.equal('StackOutputsNotJsonError');
      expect(error.message).to.include(file);
      // eslint-disable-next-line no-control-regex
      expect(error.message).to.not.match(/[\u0000-\u0008\u000b-\u001f]/);
      expect(error.message).to.include('\\u0000');
    });
  });

  it('reads a file, and names an unreadable one', async () => {
    const { dir } = tempDir('iamra-stack-');
    const file = join(dir, 'outputs.json');
    writeFileSync(file, JSON.stringify({ Stacks: [{ Outputs: OUTPUTS }] }));
    expect(pickArns(await readStackOutputsFile(file)).profileArn?.value).to.equal(PROFILE);
    const missing = join(dir, 'absent.json');
    const error = await readStackOutputsFile(missing).then(
      () => expect.fail('expected an error'),
      (e: SfError) => e
    );
    expect(error.name).to.equal('StackOutputsUnreadableError');
    expect(error.message).to.include(missing);
  });
});
