/*
 * The scan every AWS e2e test ends with: no private key, passphrase or session token reached a file
 * left behind (the working directory, sf's HOME with its logs), the output or --json.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) continue;
    if (info.isDirectory()) {
      if (name !== 'node_modules' && name !== '.git') out.push(...filesUnder(path));
    } else if (info.size < 8_000_000) {
      out.push(path);
    }
  }
  return out;
}

export function expectNoSecretsLeft(options: { dirs: string[]; texts: string[]; secrets: string[] }): void {
  const secrets = options.secrets.filter((s) => s.length >= 4);
  for (const text of options.texts) {
    expect(text).to.not.match(/PRIVATE KEY-----/);
    for (const secret of secrets) expect(text.includes(secret), 'a secret in the output').to.equal(false);
  }
  for (const dir of options.dirs) {
    for (const file of filesUnder(dir)) {
      const content = readFileSync(file).toString('latin1');
      expect(content.includes('PRIVATE KEY-----'), `a private key in ${file}`).to.equal(false);
      for (const secret of secrets) expect(content.includes(secret), `a secret in ${file}`).to.equal(false);
    }
  }
}
