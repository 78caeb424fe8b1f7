/*
 * Maps what jsforce / @salesforce/core throw at the edge into errors a user can act on. A session
 * the core library could not refresh becomes SessionExpired (core refreshes by itself when the auth
 * has a refresh token); anything else passes through untouched.
 */
import { SfError } from '@salesforce/core';
import { orgMessages } from './messages.js';

const SESSION_EXPIRED = /INVALID_SESSION_ID|Session expired or invalid|invalid_grant|expired access\/refresh token|No refresh token/i;

export function isSessionExpired(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { errorCode?: unknown }).errorCode;
  return SESSION_EXPIRED.test(`${error.name} ${String(code ?? '')} ${error.message}`);
}

/** What a command has changed in the org so far, one line each ("deployed ...", "set the role ARN ..."). */
export type ChangeLog = string[];

/**
 * Runs an org call; an unrecoverable expired session becomes a clear SfError naming the fix. A command
 * that changes the org (`changes: true`) records each change in the log it is handed, and the error
 * names what is still in the org from this run, so the admin knows what a re-run after logging in finds.
 */
export async function withSessionCheck<T>(username: string, call: (changed: ChangeLog) => Promise<T>, options: { changes?: boolean } = {}): Promise<T> {
  const changed: ChangeLog = [];
  try {
    return await call(changed);
  } catch (error) {
    throw toSessionError(error, username, options.changes ? changed : undefined);
  }
}

/** The one "log in again" error; with `changed`, it says what this run left in the org (or that it left nothing). */
export function toSessionError(error: unknown, username: string, changed?: string[]): unknown {
  if (!isSessionExpired(error)) return error;
  const still = changed ? orgMessages.getMessage('session.stillInOrg', [changed.length ? changed.join('; ') : orgMessages.getMessage('session.nothingChanged')]) : '';
  const message = [orgMessages.getMessage('error.SessionExpired', [username]), still].filter(Boolean).join(' ');
  return new SfError(message, 'SessionExpiredError', orgMessages.getMessages('error.SessionExpired.actions', [username]), 1);
}

/** Text of any thrown value, for collecting per-item errors. */
export function errorText(error: unknown): string {
  if (error instanceof SfError || error instanceof Error) return error.message;
  return String(error);
}
