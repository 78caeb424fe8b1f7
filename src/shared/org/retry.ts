/*
 * Retries a call that failed on a transient server or network error (5xx gateway errors, dropped
 * connections). Only for calls that did nothing when they failed, like starting a deploy that got
 * no id back. Sleep is injectable so tests do not wait.
 */
import { errorText } from './orgErrors.js';

const TRANSIENT = /ERROR_HTTP_50[234]|\b50[234]\b|Service Unavailable|Bad Gateway|Gateway Time-?out|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|other side closed|fetch failed/i;

export function isTransientError(error: unknown): boolean {
  const code = (error as { errorCode?: unknown; code?: unknown } | undefined);
  return TRANSIENT.test(`${String(code?.errorCode ?? '')} ${String(code?.code ?? '')} ${errorText(error)}`);
}

export type RetryOptions = {
  attempts?: number;
  delayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (attempt: number, error: unknown) => void;
};

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? ((ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      // eslint-disable-next-line no-await-in-loop
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isTransientError(error)) throw error;
      options.onRetry?.(attempt, error);
      // eslint-disable-next-line no-await-in-loop
      await sleep((options.delayMs ?? 500) * attempt);
    }
  }
}
