/*
 * Checks a command's --json `result` against its snapshotted schema in schemas/ (written by
 * `npm run schemas:generate` from the command's TypeScript result type). Admins script against
 * these shapes, so a result that drifts from its schema is a failing test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import { projectRoot } from './sfCli.js';

const ajv = new Ajv({ allErrors: true, strict: false });

/**
 * `commandId` as sf spells it with spaces or colons, e.g. "iamra keystore build". File names follow
 * plugin-command-snapshot: words joined by "-", a hyphen inside a word doubled to "__".
 */
export function expectMatchesSchema(commandId: string, result: unknown): void {
  const name = commandId
    .trim()
    .split(/[\s:]+/)
    .map((word) => word.replace(/-/g, '__'))
    .join('-');
  const file = join(projectRoot, 'schemas', `${name}.json`);
  const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
  const validate = ajv.compile(schema);
  const ok = validate(result);
  expect(ok, `--json result does not match ${file}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
}
