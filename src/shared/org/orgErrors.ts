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

/** Runs an org call; an unrecoverable expired session becomes a clear SfError naming the fix. */
export async function withSessionCheck<T>(username: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toSessionError(error, username);
  }
}

export function toSessionError(error: unknown, username: string): unknown {
  if (isSessionExpired(error)) {
    const sessionError = orgMessages.createError('error.SessionExpired', [username], [username]);
    sessionError.exitCode = 1;
    return sessionError;
  }
  return error;
}

/** Text of any thrown value, for collecting per-item errors. */
export function errorText(error: unknown): string {
  if (error instanceof SfError || error instanceof Error) return error.message;
  return String(error);
}
