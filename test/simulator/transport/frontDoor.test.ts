/*
 * The simulator's UI Bridge API in process: a frontdoor URL holds a one-time code (not the token) for a
 * path in the org; the first browser visit lands there, a second goes to the login page; a redirect
 * outside the org is refused. The sf-level test is test/import/guidedImport.e2e.test.ts (the browser open).
 */
import { expect } from 'chai';
import { FrontDoor } from './frontDoor.js';

const INSTANCE = 'http://127.0.0.1:4242';
const SETUP = '/lightning/setup/CertificatesAndKeysManagement/home';

describe('org simulator UI Bridge API (frontdoor URLs, in process)', () => {
  it('a single-use frontdoor URL: lands on the path once, then on the login page', () => {
    const door = new FrontDoor();
    const answer = door.singleAccess(new URL(`/services/oauth2/singleaccess?redirect_uri=${encodeURIComponent(SETUP)}`, INSTANCE), INSTANCE);
    expect(answer.status).to.equal(200);
    const url = new URL((JSON.parse(answer.body) as { frontdoor_uri: string }).frontdoor_uri);
    expect(url.pathname).to.equal('/secur/frontdoor.jsp');
    expect(url.searchParams.get('startURL')).to.equal(SETUP);
    expect(door.open(url, INSTANCE).headers?.location).to.equal(`${INSTANCE}${SETUP}`);
    expect(door.open(url, INSTANCE).headers?.location).to.equal(`${INSTANCE}/?ec=302`);
    expect(door.landed).to.deep.equal([SETUP]);
  });

  it('a redirect outside the org is refused', () => {
    const answer = new FrontDoor().singleAccess(new URL('/services/oauth2/singleaccess?redirect_uri=https%3A%2F%2Fevil.example.com%2F', INSTANCE), INSTANCE);
    expect(answer.status).to.equal(400);
  });
});
