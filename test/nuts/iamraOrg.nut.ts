/*
 * NUTs for `sf iamra deploy` and `sf iamra smoke` against a real scratch org. Skipped unless the
 * cli-plugins-testkit variables are set (TESTKIT_HUB_USERNAME / TESTKIT_JWT_CLIENT_ID / TESTKIT_AUTH_URL
 * for a Dev Hub). Run: `npm run build && npm exec -- mocha --no-config --require ts-node/register
 * --node-option loader=ts-node/esm --timeout 600000 test/nuts/iamraOrg.nut.ts`.
 *
 * Scratch orgs get no imported certificate (forcedotcom/cli#3178), so by default this proves what can be
 * proven without AWS: the Tooling queries, the preflight refusal, and that the smoke-test Apex compiles
 * and reports through its marker on a real org. With IAMRA_NUT_TRUST_ANCHOR_ARN, IAMRA_NUT_PROFILE_ARN,
 * IAMRA_NUT_ROLE_ARN set and a keystore imported (alias in IAMRA_NUT_CERTIFICATE, default iamra) into an
 * org given by TESTKIT_ORG_USERNAME, it runs the full deploy -> smoke flow.
 */
import { execCmd, type TestSession } from '@salesforce/cli-plugins-testkit';
import { expect } from 'chai';
import { ARN_FLAGS } from '../helpers/fixtures.js';
import { canRunNuts, createNutSession } from '../helpers/nutSession.js';

const full = Boolean(process.env.IAMRA_NUT_TRUST_ANCHOR_ARN && process.env.IAMRA_NUT_PROFILE_ARN && process.env.IAMRA_NUT_ROLE_ARN);

const arnFlags = full
  ? `--trust-anchor-arn ${process.env.IAMRA_NUT_TRUST_ANCHOR_ARN} --profile-arn ${process.env.IAMRA_NUT_PROFILE_ARN} --role-arn ${process.env.IAMRA_NUT_ROLE_ARN} --certificate-name ${process.env.IAMRA_NUT_CERTIFICATE ?? 'iamra'}`
  : ARN_FLAGS.join(' ');

type SmokeJson = { name?: string; data?: { diagnosis?: string }; result?: { passed: boolean; httpStatus: number } };

(canRunNuts ? describe : describe.skip)('iamra deploy + smoke NUT (real org)', () => {
  let session: TestSession;

  before(async () => {
    session = await createNutSession('iamraOrgNut');
  });
  after(async () => session?.clean());

  if (!full) {
    it('stops before deploying when the signing certificate is not imported (the Tooling queries work on a real org)', () => {
      const run = execCmd<unknown>(`iamra deploy ${arnFlags} --dry-run --json`, { ensureExitCode: 1 });
      expect(run.jsonOutput?.name).to.equal('CertificateNotImportedError');
    });

    it('the smoke-test Apex compiles on a real org and reports through its marker (no named credential yet)', () => {
      const run = execCmd<unknown>('iamra smoke --json', { ensureExitCode: 1 });
      const json = run.jsonOutput as unknown as SmokeJson;
      expect(json.data?.diagnosis).to.be.a('string').and.not.be.oneOf(['ApexCompileFailure', 'NoMarker']);
    });
  } else {
    it('deploys, sets the role ARN, assigns the permission set, and the smoke test returns HTTP 200', () => {
      execCmd(`iamra deploy ${arnFlags} --dry-run --json`, { ensureExitCode: 0 });
      execCmd(`iamra deploy ${arnFlags} --json`, { ensureExitCode: 0 });
      const smoke = execCmd<{ passed: boolean; httpStatus: number }>('iamra smoke --json', { ensureExitCode: 0 });
      expect(smoke.jsonOutput?.result).to.deep.include({ passed: true, httpStatus: 200 });
      const again = execCmd<{ nothingToChange: boolean; deploy?: unknown }>(`iamra deploy ${arnFlags} --json`, { ensureExitCode: 0 });
      expect(again.jsonOutput?.result).to.deep.include({ nothingToChange: true });
      expect(again.jsonOutput?.result.deploy).to.equal(undefined);
    });
  }
});
