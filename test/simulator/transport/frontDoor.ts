/*
 * The UI Bridge API ("Generate a Frontdoor URL to Bridge into UI Sessions", Salesforce Help
 * `xcloud.frontdoor_singleaccess.htm` [doc]): an access token is exchanged at
 * /services/oauth2/singleaccess for a single-use frontdoor URL that starts a browser session and lands
 * on `redirect_uri`. `sf org open` gets it through @salesforce/core's Org.getFrontDoorUrl, a GET whose
 * JSON answer carries `frontdoor_uri` [seen in @salesforce/core 9]. The URL holds a one-time code, not
 * the session id; the `/secur/frontdoor.jsp?otp=` shape and the login-page redirect of a spent code
 * are [inferred].
 */
import { randomBytes } from 'node:crypto';

type Answer = { status: number; body: string; contentType: string; headers?: Record<string, string> };

export class FrontDoor {
  /** Every start URL a browser reached through a code (tests assert on it). */
  public readonly landed: string[] = [];
  /** Unspent one-time codes and where each lands. */
  private readonly codes = new Map<string, string>();

  /** GET /services/oauth2/singleaccess (bearer checked by the caller). */
  public singleAccess(url: URL, instanceUrl: string): Answer {
    const redirect = url.searchParams.get('redirect_uri') ?? '/';
    // [inferred] a redirect must stay in the org: a path, or an address on the instance.
    const target = new URL(redirect, instanceUrl);
    if (target.origin !== new URL(instanceUrl).origin) {
      return json(400, { error: 'invalid_request', 'error_description': 'redirect_uri must be a path in this org' });
    }
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, target.pathname + target.search);
    const frontdoor = new URL('/secur/frontdoor.jsp', instanceUrl);
    frontdoor.searchParams.set('otp', code);
    frontdoor.searchParams.set('startURL', target.pathname + target.search);
    // eslint-disable-next-line camelcase -- the API's field name
    return json(200, { frontdoor_uri: frontdoor.toString() });
  }

  /** GET /secur/frontdoor.jsp?otp=: a fresh code lands on its start URL once; a spent or unknown one goes to login. */
  public open(url: URL, instanceUrl: string): Answer {
    const code = url.searchParams.get('otp') ?? '';
    const start = this.codes.get(code);
    this.codes.delete(code);
    if (!start) return { status: 302, body: '', contentType: 'text/html', headers: { location: new URL('/?ec=302', instanceUrl).toString() } };
    this.landed.push(start);
    return { status: 302, body: '', contentType: 'text/html', headers: { location: new URL(start, instanceUrl).toString() } };
  }
}

function json(status: number, value: unknown): Answer {
  return { status, contentType: 'application/json;charset=UTF-8', body: JSON.stringify(value) };
}
