/* Every generated file resolves with SDR (as `sf project deploy` would) to the expected type and name. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { generateMetadata } from '../../src/shared/metadata/generate.js';
import { tempDir } from '../helpers/tempProject.js';
import { readTree } from '../helpers/tree.js';
import { EXAMPLE_STACK_OUTPUTS } from './world.js';

describe('generated metadata resolves with SDR', () => {
  it('as ExternalCredential, NamedCredential, PermissionSet, Certificate and Settings with their full names', async () => {
    const outputDir = tempDir().dir;
    const result = await generateMetadata({ stackOutputsFile: EXAMPLE_STACK_OUTPUTS, outputDir, identityProvider: true });
    const components = ComponentSet.fromSource(outputDir)
      .getSourceComponents()
      .toArray()
      .map((c) => ({ type: c.type.name, fullName: c.fullName, xml: c.xml, content: c.content }));
    expect(components.map((c) => `${c.type}:${c.fullName}`).sort()).to.deep.equal([
      'Certificate:iamra_identity_provider',
      'ExternalCredential:AWS_IAM_Anywhere_Credential',
      'NamedCredential:APN_API_Connection',
      'PermissionSet:APN_Roles_Anywhere_Access',
      'Settings:IdentityProvider',
    ]);
    // Every written file belongs to a resolved component, and the result names the same types/names.
    const resolvedPaths = components.flatMap((c) => [c.xml, c.content]).filter(Boolean);
    for (const file of result.files) {
      expect(resolvedPaths, file.path).to.include(file.path);
      expect(components.some((c) => c.type === file.type && c.fullName === file.fullName), file.path).to.equal(true);
    }
  });

  it('converts to a Metadata API package (what a deploy sends) with the expected package.xml members', async () => {
    const outputDir = tempDir().dir;
    await generateMetadata({ stackOutputsFile: EXAMPLE_STACK_OUTPUTS, outputDir, identityProvider: true });
    const mdapiDir = tempDir('iamra-mdapi-').dir;
    const result = await new MetadataConverter().convert(ComponentSet.fromSource(outputDir), 'metadata', {
      type: 'directory',
      outputDirectory: mdapiDir,
      genUniqueDir: false,
    });
    expect(result.packagePath).to.equal(mdapiDir);
    const packageXml = readFileSync(join(mdapiDir, 'package.xml'), 'utf8');
    for (const [type, member] of [
      ['ExternalCredential', 'AWS_IAM_Anywhere_Credential'],
      ['NamedCredential', 'APN_API_Connection'],
      ['PermissionSet', 'APN_Roles_Anywhere_Access'],
      ['Certificate', 'iamra_identity_provider'],
      ['Settings', 'IdentityProvider'],
    ]) {
      expect(packageXml).to.match(new RegExp(`<members>${member}</members>\\s*<name>${type}</name>`));
    }
    expect(Object.keys(readTree(mdapiDir)).sort()).to.deep.equal([
      'certs/iamra_identity_provider.crt',
      'certs/iamra_identity_provider.crt-meta.xml',
      'externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential',
      'namedCredentials/APN_API_Connection.namedCredential',
      'package.xml',
      'permissionsets/APN_Roles_Anywhere_Access.permissionset',
      'settings/IdentityProvider.settings',
    ]);
  });
});
