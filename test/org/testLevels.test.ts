/* deploy and configure offer the same --test-level values, from one list, without the levels that need --tests. */
import { expect } from 'chai';
import IamraConfigure from '../../src/commands/iamra/configure.js';
import IamraDeploy from '../../src/commands/iamra/deploy.js';
import { TEST_LEVELS } from '../../src/shared/org/constants.js';

describe('--test-level options', () => {
  it('deploy and configure both offer TEST_LEVELS, which has no level that needs --tests', () => {
    expect(IamraDeploy.flags['test-level'].options).to.deep.equal([...TEST_LEVELS]);
    expect(IamraConfigure.flags['test-level'].options).to.deep.equal([...TEST_LEVELS]);
    expect(TEST_LEVELS).to.not.include('RunSpecifiedTests');
    expect(TEST_LEVELS).to.not.include('RunRelevantTests');
  });
});
