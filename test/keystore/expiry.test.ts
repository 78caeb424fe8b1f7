/*
 * One expiry policy: a local certificate (keystore rules) and the org's Certificate record (configure
 * and deploy preflight) get the same verdict on the same day, on both sides of the threshold.
 */
import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { certificateExpiry, EXPIRY_WARNING_DAYS } from '../../src/shared/keystore/expiry.js';
import { certificateFindings } from '../../src/shared/keystore/rules.js';
import { certificateWarnings } from '../../src/shared/org/preflightChecks.js';
import { createTestCa } from '../helpers/testCa.js';

const DAY = 86_400_000;

describe('expiry policy (one threshold for every command)', () => {
  const ca = createTestCa();
  const leaf = new X509Certificate(ca.issueLeaf('expiry-policy').certificatePem);
  const notAfter = new Date(leaf.validTo);

  const verdicts = (daysBefore: number): { local: string; org: string; policy: string } => {
    const now = new Date(notAfter.getTime() - daysBefore * DAY - (daysBefore >= 0 ? 60_000 : -60_000));
    const local = certificateFindings([leaf], now).map((f) => f.code);
    let org: string;
    try {
      org = certificateWarnings({ id: '1', developerName: 'iamra', expirationDate: notAfter.toISOString() }, now).length ? 'warn' : 'ok';
    } catch {
      org = 'expired';
    }
    return {
      local: local.includes('Expired') ? 'expired' : local.includes('ExpiresSoon') ? 'warn' : 'ok',
      org,
      policy: certificateExpiry({ notAfter }, now).status,
    };
  };

  it(`warns from ${EXPIRY_WARNING_DAYS} days before expiry (ACM's renewal window), locally and in the org alike`, () => {
    expect(EXPIRY_WARNING_DAYS).to.equal(60);
    expect(verdicts(EXPIRY_WARNING_DAYS)).to.deep.equal({ local: 'ok', org: 'ok', policy: 'valid' });
    expect(verdicts(EXPIRY_WARNING_DAYS - 1)).to.deep.equal({ local: 'warn', org: 'warn', policy: 'expiring' });
    expect(verdicts(20)).to.deep.equal({ local: 'warn', org: 'warn', policy: 'expiring' });
    expect(verdicts(-1)).to.deep.equal({ local: 'expired', org: 'expired', policy: 'expired' });
  });
});
