/*
 * The org's OAuth session: one access token at a time, and a refresh token that mints the next one at
 * /services/oauth2/token (grant_type=refresh_token), as Salesforce does for a CLI that logged in with
 * web or sfdx-url login. An expired access token stays dead; a revoked refresh token fails with
 * invalid_grant, so a client can only recover by logging in again.
 */
import { randomBytes } from 'node:crypto';
import type { OrgState } from '../org/state.js';

export type TokenAnswer = { status: number; json: unknown };

export class OrgSession {
  public readonly refreshToken: string;
  private current: string;
  private expired = false;
  private refreshRevoked = false;

  public constructor(private readonly orgId: string) {
    this.current = this.mint();
    this.refreshToken = `5Aep861SIM${randomBytes(24).toString('base64url')}`;
  }

  public get accessToken(): string {
    return this.current;
  }

  public isValid(token: string | undefined): boolean {
    return !this.expired && token === this.current;
  }

  /** The access token times out (Salesforce's session timeout); the refresh token still works. */
  public expire(): void {
    this.expired = true;
  }

  /** The admin revokes the connected app's tokens: the refresh token no longer works either. */
  public revoke(): void {
    this.expired = true;
    this.refreshRevoked = true;
  }

  public restore(): void {
    this.expired = false;
    this.refreshRevoked = false;
  }

  /** POST /services/oauth2/token with an application/x-www-form-urlencoded body. */
  public token(form: URLSearchParams, state: OrgState, instanceUrl: string): TokenAnswer {
    const grant = form.get('grant_type');
    if (grant !== 'refresh_token') {
      return { status: 400, json: { error: 'unsupported_grant_type', 'error_description': 'grant type not supported' } };
    }
    if (this.refreshRevoked || form.get('refresh_token') !== this.refreshToken) {
      return { status: 400, json: { error: 'invalid_grant', 'error_description': 'expired access/refresh token' } };
    }
    this.current = this.mint();
    this.expired = false;
    return {
      status: 200,
      json: {
        'access_token': this.current,
        'instance_url': instanceUrl,
        id: `${instanceUrl}/id/${state.orgId}/${state.adminUserId}`,
        'token_type': 'Bearer',
        'issued_at': String(Date.now()),
        scope: 'refresh_token api web',
        signature: randomBytes(32).toString('base64'),
      },
    };
  }

  // Shaped like a real session id (`<orgId>!<token>`); not a secret of anything outside this process.
  private mint(): string {
    return `${this.orgId}!SIM.${randomBytes(18).toString('base64url')}`;
  }
}
