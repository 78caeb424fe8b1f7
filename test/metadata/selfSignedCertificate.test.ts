import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { selfSignedCertificatePem, TEMPLATE_VALIDITY } from '../../src/shared/keystore/selfSignedCertificate.js';

describe('self-signed identity-provider template certificate', () => {
  const spec = { commonName: 'iamra_identity_provider', seed: 'test seed', ...TEMPLATE_VALIDITY };
  const pem = selfSignedCertificatePem(spec);

  it('is a valid self-signed RSA-2048 X.509 certificate with the given name and validity', () => {
    const cert = new X509Certificate(pem);
    expect(cert.subject).to.equal('CN=iamra_identity_provider');
    expect(cert.issuer).to.equal(cert.subject);
    expect(cert.verify(cert.publicKey)).to.equal(true);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);
    expect(new Date(cert.validFrom).toISOString()).to.equal('2025-01-01T00:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).to.equal('2035-01-01T00:00:00.000Z');
    expect(cert.ca).to.equal(true); // like Salesforce's own self-signed certificates
    expect(pem).to.match(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
  });

  it('is byte-identical for the same seed and differs for another', () => {
    expect(selfSignedCertificatePem(spec)).to.equal(pem);
    // Another seed gives another key; dates from 2050 on are GeneralizedTime.
    const other = selfSignedCertificatePem({ ...spec, seed: 'other seed', notAfter: new Date(Date.UTC(2051, 5, 1)) });
    const otherCert = new X509Certificate(other);
    expect(otherCert.publicKey.export({ format: 'der', type: 'spki' })).to.not.deep.equal(
      new X509Certificate(pem).publicKey.export({ format: 'der', type: 'spki' })
    );
    expect(otherCert.verify(otherCert.publicKey)).to.equal(true);
    expect(new Date(otherCert.validTo).toISOString()).to.equal('2051-06-01T00:00:00.000Z');
  });
});
