/*
 * Reads a CreateSession HTTP reply: the 201 credential set, or the service's error code and
 * message (code from X-Amzn-ErrorType up to the first ':', else body `code`/`__type`; message from
 * body `message`/`Message`), as the credential helper's deserializer does. Pure.
 */
import { CREATED } from './constants.js';

export type SessionCredentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO-8601, verbatim from the service. */
  expiration: string;
};

export type CreatedSession = {
  assumedRoleArn: string;
  assumedRoleId?: string;
  roleArn?: string;
  sourceIdentity?: string;
  subjectArn?: string;
  credentials: SessionCredentials;
};

export type ServiceErrorReply = {
  status: number;
  code: string;
  message: string;
  /** The server's clock (response Date header), for skew detection. */
  serverDate?: Date;
};

export type HttpReply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

export type ParsedReply = { ok: true; session: CreatedSession; serverDate?: Date } | { ok: false; error: ServiceErrorReply };

/** A 201 whose body is not a usable credential set; reported with this code. */
export const MALFORMED_RESPONSE = 'MalformedResponse';

export function parseCreateSessionReply(reply: HttpReply): ParsedReply {
  const serverDate = dateHeader(reply.headers);
  const json = parseJsonObject(reply.body);
  if (reply.status === CREATED) {
    const session = json ? sessionFrom(json) : undefined;
    if (session) return { ok: true, session, serverDate };
    return {
      ok: false,
      error: {
        status: reply.status,
        code: MALFORMED_RESPONSE,
        message: 'unable to obtain temporary security credentials from the CreateSession response',
        serverDate,
      },
    };
  }
  const typeHeader = header(reply.headers, 'x-amzn-errortype');
  const code =
    (typeHeader ? typeHeader.split(':')[0] : undefined) ??
    stringField(json, 'code') ??
    stringField(json, '__type')?.split('#').pop() ??
    `HTTP${reply.status}`;
  const message = stringField(json, 'message') ?? stringField(json, 'Message') ?? reply.body.trim().slice(0, 500);
  return { ok: false, error: { status: reply.status, code, message, serverDate } };
}

function sessionFrom(json: Record<string, unknown>): CreatedSession | undefined {
  const set = json.credentialSet;
  if (!Array.isArray(set) || set.length === 0 || !isRecord(set[0])) return undefined;
  const first = set[0];
  const creds = isRecord(first.credentials) ? first.credentials : undefined;
  const user = isRecord(first.assumedRoleUser) ? first.assumedRoleUser : undefined;
  const accessKeyId = stringField(creds, 'accessKeyId');
  const secretAccessKey = stringField(creds, 'secretAccessKey');
  const sessionToken = stringField(creds, 'sessionToken');
  const expiration = stringField(creds, 'expiration');
  const assumedRoleArn = stringField(user, 'arn');
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration || !assumedRoleArn) return undefined;
  return {
    assumedRoleArn,
    assumedRoleId: stringField(user, 'assumedRoleId'),
    roleArn: stringField(first, 'roleArn'),
    sourceIdentity: stringField(first, 'sourceIdentity'),
    subjectArn: stringField(json, 'subjectArn'),
    credentials: { accessKeyId, secretAccessKey, sessionToken, expiration },
  };
}

function header(headers: HttpReply['headers'], name: string): string | undefined {
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(found) ? found[0] : found;
}

function dateHeader(headers: HttpReply['headers']): Date | undefined {
  const value = header(headers, 'date');
  const date = value ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function stringField(record: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = record?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
