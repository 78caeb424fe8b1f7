/* Where generateMetadata writes inside an SFDX project, and the sourceApiVersion rule. */
import { join } from 'node:path';
import { expect } from 'chai';
import { SfProject, type SfError } from '@salesforce/core';
import { generateMetadata } from '../../src/shared/metadata/generate.js';
import { ARN } from '../helpers/fixtures.js';
import { tempProject } from '../helpers/tempProject.js';
import { readTree } from '../helpers/tree.js';

const arns = { trustAnchorArn: ARN.anchor, profileArn: ARN.profile, roleArn: ARN.role };

function project(sourceApiVersion?: string): string {
  const packageDirectories = [{ path: 'other', default: false }, { path: 'app', default: true }];
  return tempProject({ packageDirectories, sourceApiVersion: sourceApiVersion ?? null }).dir;
}

describe('metadata generate in an SFDX project', () => {
  afterEach(() => SfProject.clearInstances());

  it('writes into <default package>/main/default, as a retrieve would', async () => {
    const dir = project('62.0');
    const result = await generateMetadata({ ...arns, projectDir: dir });
    expect(result.outputDir).to.equal(join(dir, 'app', 'main', 'default'));
    expect(Object.keys(readTree(join(dir, 'app'))).sort()).to.deep.equal([
      'main/default/externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential-meta.xml',
      'main/default/namedCredentials/APN_API_Connection.namedCredential-meta.xml',
      'main/default/permissionsets/APN_Roles_Anywhere_Access.permissionset-meta.xml',
    ]);
  });

  it('updates a component where it already is instead of adding a duplicate', async () => {
    const dir = project(undefined); // no sourceApiVersion: the org's version is used at deploy, fine
    const first = await generateMetadata({ ...arns, projectDir: dir, outputDir: join(dir, 'app', 'custom') });
    expect(first.files.map((f) => f.status)).to.deep.equal(['created', 'created', 'created']);
    const second = await generateMetadata({ ...arns, projectDir: dir, service: 's3' });
    expect(second.files.map((f) => f.relativePath)).to.deep.equal([
      'custom/externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential-meta.xml',
      'custom/namedCredentials/APN_API_Connection.namedCredential-meta.xml',
      'custom/permissionsets/APN_Roles_Anywhere_Access.permissionset-meta.xml',
    ]);
    expect(second.files.map((f) => f.status)).to.deep.equal(['changed', 'changed', 'unchanged']);
    expect(Object.keys(readTree(join(dir, 'app')))).to.have.length(3);
  });

  it('refuses a project whose sourceApiVersion is below 60 and says how to fix it', async () => {
    const dir = project('58.0');
    const error = await generateMetadata({ ...arns, projectDir: dir }).then(
      () => expect.fail('expected a refusal'),
      (e: SfError) => e
    );
    expect(error.name).to.equal('SourceApiVersionTooLowError');
    expect(error.message).to.include('sourceApiVersion is 58.0');
    expect(error.actions?.join('\n')).to.include('"sourceApiVersion": "60.0"');
    expect(error.actions?.join('\n')).to.include(join(dir, 'sfdx-project.json'));
    expect(readTree(join(dir, 'app'))).to.deep.equal({});
  });
});
