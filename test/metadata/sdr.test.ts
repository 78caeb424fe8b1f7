/* Every generated file resolves with SDR (as `sf project deploy` would) to the expected type and name. */
import { expect } from 'chai';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { generateMetadata } from '../../src/shared/metadata/generate.js';
import { EXAMPLE_STACK_OUTPUTS, tempDir } from './world.js';

describe('generated metadata resolves with SDR', () => {
  it('as ExternalCredential, NamedCredential, PermissionSet, Certificate and Settings with their full names', async () => {
    const outputDir = tempDir();
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
});
