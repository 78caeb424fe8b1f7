/*
 * NUT for CSR mode against a real scratch org: confirms what the org simulator only assumes
 * (src/shared/csr/constants.ts, test/simulator/rules/inferred.ts): that a CA-signed certificate deployed with
 * the placeholder .crt retrieves as a PKCS#10 CSR, and that the signed chain deployed leaf first becomes
 * the certificate. A throwaway test CA plays AWS Private CA. Skipped unless the cli-plugins-testkit
 * variables are set (see iamraOrg.nut.ts for how to run NUTs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execCmd, type TestSession } from '@salesforce/cli-plugins-testkit';
import { expect } from 'chai';
import { canRunNuts, createNutSession } from '../helpers/nutSession.js';
import { createTestCa } from '../helpers/testCa.js';

type CreateJson = { csrFile: string; csr: { subject: string; keySize: number }; reusedPendingCsr: boolean };
type CompleteJson = { confirmed: { chainLength: number } };

(canRunNuts ? describe : describe.skip)('iamra csr create + complete NUT (real org)', () => {
  let session: TestSession;
  const name = `iamra_nut_${Date.now().toString(36)}`;

  before(async () => {
    session = await createNutSession('iamraCsrNut');
  });
  after(async () => session?.clean());

  it('create: the org makes the key and returns a CSR openssl verifies; complete: the signed chain becomes the certificate', () => {
    const csrFile = join(session.project.dir, `${name}.csr`);
    const created = execCmd<CreateJson>(`iamra csr create --certificate-name ${name} --output ${csrFile} --json`, { ensureExitCode: 0 });
    expect(created.jsonOutput?.result.reusedPendingCsr).to.equal(false);
    expect(spawnSync('openssl', ['req', '-verify', '-noout', '-in', csrFile]).status, 'openssl req -verify').to.equal(0);

    const again = execCmd<CreateJson>(`iamra csr create --certificate-name ${name} --output ${csrFile} --force --json`, { ensureExitCode: 0 });
    expect(again.jsonOutput?.result.reusedPendingCsr, 'a pending CSR is kept, not replaced').to.equal(true);

    const ca = createTestCa();
    const signed = join(session.project.dir, 'signed.pem');
    const chain = join(session.project.dir, 'chain.pem');
    writeFileSync(signed, ca.sign(readFileSync(csrFile, 'utf8')));
    writeFileSync(chain, ca.chainPem);
    const completed = execCmd<CompleteJson>(`iamra csr complete --certificate-name ${name} --certificate ${signed} --chain ${chain} --json`, {
      ensureExitCode: 0,
    });
    expect(completed.jsonOutput?.result.confirmed.chainLength).to.be.greaterThan(0);
  });
});
