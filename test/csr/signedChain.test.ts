/*
 * CSR mode's local checks without an org: the chain is ordered leaf -> root by signatures whatever
 * order the files give it, deployed leaf first, and a CSR reads back with its subject and key size.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chainContent, readCsr, samePublicKey } from '../../src/shared/csr/csr.js';
import { checkSignedChain } from '../../src/shared/csr/completeCsr.js';

const pki = (name: string): string => join(process.cwd(), 'test', 'fixtures', 'pki', name);
const NOW = new Date('2030-01-01T00:00:00Z');

describe('CSR mode local checks', () => {
  it('orders a chain given root first, across files, leaf -> intermediate -> root; the .crt is leaf first', async () => {
    const { ordered, warnings } = await checkSignedChain({
      certificateFile: pki('leaf-rsa2048.pem'),
      chainFiles: [pki('root-ca.pem'), pki('intermediate-ca.pem')],
      now: NOW,
    });
    const subjects = ordered.map((c) => /CN=(.*)/.exec(c.subject)?.[1]);
    expect(subjects).to.have.length(3);
    expect(subjects[0]).to.match(/leaf-rsa2048/);
    expect(ordered[1].subject).to.equal(ordered[0].issuer);
    expect(ordered[2].subject).to.equal(ordered[1].issuer);
    expect(warnings).to.deep.equal([]);
    const crt = chainContent(ordered);
    expect(crt.indexOf(ordered[0].toString().trim())).to.equal(0);
    expect(crt.match(/BEGIN CERTIFICATE/g)).to.have.length(3);
  });

  it('a leaf file that also holds its chain (fullchain) needs no --chain', async () => {
    const { ordered } = await checkSignedChain({ certificateFile: pki('leaf-rsa2048.fullchain.pem'), now: NOW });
    expect(ordered.length).to.be.greaterThan(1);
  });

  it('refuses a 1024-bit leaf (Salesforce sizes) and a certificate from another CA in the chain', async () => {
    const small = await checkSignedChain({ certificateFile: pki('leaf-rsa1024.pem'), chainFiles: [pki('chain.pem')], now: NOW }).catch((e: Error) => e);
    expect((small as Error).message).to.match(/1024 bits/);
    const foreign = await checkSignedChain({
      certificateFile: pki('leaf-rsa2048.pem'),
      chainFiles: [pki('chain.pem'), pki('other-root-ca.pem')],
      now: NOW,
    }).catch((e: Error) => e);
    expect((foreign as Error).name).to.equal('ChainDoesNotLinkError');
  });

  it('reads no CSR from a placeholder or a certificate', () => {
    expect(readCsr('placeholder')).to.equal(undefined);
    expect(readCsr(readFileSync(pki('leaf-rsa2048.pem'), 'utf8'))).to.equal(undefined);
  });

  it('samePublicKey compares keys, not objects', async () => {
    const a = (await checkSignedChain({ certificateFile: pki('leaf-rsa2048.pem'), now: NOW })).ordered[0];
    const c = (await checkSignedChain({ certificateFile: pki('leaf-rsa3072.pem'), now: NOW })).ordered[0];
    expect(samePublicKey(a.publicKey, a.publicKey)).to.equal(true);
    expect(samePublicKey(a.publicKey, c.publicKey)).to.equal(false);
  });
});
