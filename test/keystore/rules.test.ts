import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  certificateFindings,
  checkAlias,
  passwordFindings,
  salesforceKeyFindings,
} from '../../src/shared/keystore/rules.js';
import { createTestCa } from '../helpers/testCa.js';
import { pki } from '../helpers/fixtures.js';

const cert = (name: string): X509Certificate => new X509Certificate(readFileSync(pki(`${name}.pem`)));
const chainOf = (leaf: string): X509Certificate[] => [cert(leaf), cert('intermediate-ca'), cert('root-ca')];
const codes = (findings: Array<{ code: string; severity: string }>): string[] => findings.map((f) => `${f.severity}:${f.code}`);
const now = new Date('2027-06-01T00:00:00Z');

describe('keystore rules (pure, injected now)', () => {
  it('a good leaf and chain break no rule', () => {
    expect(certificateFindings(chainOf('leaf-rsa2048'), now)).to.deep.equal([]);
  });

  it('a leaf with basicConstraints CA:TRUE but no keyCertSign is still a CA (node:crypto alone says it is not)', () => {
    const ca = createTestCa();
    const leaf = new X509Certificate(ca.issueLeaf('ca-true-no-certsign', { ca: true, keyCertSign: false }).certificatePem);
    expect(leaf.ca, 'the case OpenSSL misses').to.equal(false);
    const chain = [leaf, new X509Certificate(ca.intermediatePem), new X509Certificate(ca.rootPem)];
    expect(codes(certificateFindings(chain, new Date()))).to.deep.equal(['error:LeafIsCa']);
  });

  const leaves: Array<[string, string[]]> = [
    ['leaf-ca', ['error:LeafIsCa']],
    ['leaf-no-digital-signature', ['error:NoDigitalSignature']],
    ['leaf-sha1', ['error:WeakSignature']],
    ['leaf-expired', ['error:Expired']],
    ['leaf-not-yet-valid', ['error:NotYetValid']],
  ];
  for (const [leaf, expected] of leaves) {
    it(`${leaf}: ${expected.join(', ')}`, () => {
      const findings = certificateFindings(chainOf(leaf), now);
      expect(codes(findings)).to.deep.equal(expected);
      expect(findings[0].message).to.include(leaf === 'leaf-sha1' ? 'sha1WithRSAEncryption' : '');
      expect(findings[0].action).to.not.equal('');
    });
  }

  it('warns (not errors) when a certificate expires within 30 days, and errors the day after expiry', () => {
    const leaf = cert('leaf-rsa2048');
    const notAfter = new Date(leaf.validTo).getTime();
    const soon = certificateFindings([leaf], new Date(notAfter - 10 * 86_400_000));
    expect(codes(soon)).to.deep.equal(['warning:ExpiresSoon']);
    expect(soon[0].message).to.match(/in 10 days/);
    expect(certificateFindings([leaf], new Date(notAfter - 40 * 86_400_000))).to.deep.equal([]);
    expect(codes(certificateFindings([leaf], new Date(notAfter + 86_400_000)))).to.deep.equal(['error:Expired']);
  });

  it('Salesforce key rule: RSA 2048/3072/4096 only', () => {
    for (const bits of [2048, 3072, 4096]) {
      expect(salesforceKeyFindings(createPrivateKey(readFileSync(pki(`leaf-rsa${bits}.key.pem`))))).to.deep.equal([]);
    }
    const small = salesforceKeyFindings(createPrivateKey(readFileSync(pki('leaf-rsa1024.key.pem'))));
    expect(codes(small)).to.deep.equal(['error:RsaSize']);
    expect(small[0].message).to.include('1024');
    const ec = salesforceKeyFindings(createPrivateKey(readFileSync(pki('leaf-ec-p256.key.pem'))));
    expect(codes(ec)).to.deep.equal(['error:KeyNotRsa']);
    expect(ec[0].message).to.include('prime256v1');
  });

  it('alias: lower-cased with a flag, Unique Name rules enforced', () => {
    expect(checkAlias('iamra')).to.deep.equal({ alias: 'iamra', lowerCased: false, valid: true });
    expect(checkAlias('AWS_IamRA2')).to.deep.equal({ alias: 'aws_iamra2', lowerCased: true, valid: true });
    for (const bad of ['1iamra', 'iam__ra', 'iamra_', '_iamra', 'iam-ra', 'iam ra', '', 'a'.repeat(65)]) {
      expect(checkAlias(bad).valid, bad).to.equal(false);
    }
    expect(checkAlias('a'.repeat(64)).valid).to.equal(true);
  });

  it('password policy: at least 6 printable ASCII characters', () => {
    expect(passwordFindings('abc123')).to.deep.equal([]);
    expect(codes(passwordFindings('abc12'))).to.deep.equal(['error:PasswordTooShort']);
    expect(codes(passwordFindings('abc\t123'))).to.deep.equal(['error:PasswordNotPrintable']);
    expect(codes(passwordFindings('pässwörd'))).to.deep.equal(['error:PasswordNotPrintable']);
  });
});
