import { expect } from 'chai';
import { SfCli } from './sfCli.js';

describe('the real sf binary with this plugin linked', () => {
  it('reports plugin-iamra as a linked plugin', () => {
    const run = SfCli.get().runSync(['plugins', '--json']);
    expect(run.code).to.equal(0);
    const plugins = JSON.parse(run.stdout) as Array<{ name: string; type: string }>;
    expect(plugins.find((p) => p.name === 'plugin-iamra')?.type).to.equal('link');
  });
});
