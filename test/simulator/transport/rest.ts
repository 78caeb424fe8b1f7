/*
 * REST endpoints: identity/userinfo, API versions, SOQL query (data + Tooling), sObject CRUD for the
 * objects this org simulates, and Connect's named-credential `credential` resource (docs/salesforce-metadata.md §9).
 */
import type { OrgState, PermissionSetAssignmentRecord, PrincipalCredentialRecord } from '../org/state.js';
import { parseSoql, runSoql, SoqlError } from '../org/soql.js';
import { restTables, toolingTables, type Table } from '../org/tables.js';
import { inferredMessages } from '../rules/inferred.js';

export type JsonAnswer = { status: number; json: unknown };

const error = (status: number, errorCode: string, message: string, fields: string[] = []): JsonAnswer => ({
  status,
  json: [{ message, errorCode, fields }],
});

/* eslint-disable camelcase -- OpenID Connect userinfo field names */
export function userInfo(state: OrgState, instanceUrl: string): JsonAnswer {
  const u = state.adminUser;
  return {
    status: 200,
    json: {
      sub: `${instanceUrl}/id/${state.orgId}/${u.id}`,
      user_id: u.id,
      organization_id: state.orgId,
      preferred_username: u.username,
      email: u.email,
      name: u.name,
      active: true,
      user_type: 'STANDARD',
      urls: { rest: `${instanceUrl}/services/data/v{version}/`, tooling_rest: `${instanceUrl}/services/data/v{version}/tooling/` },
    },
  };
}

/* eslint-enable camelcase */

export function versions(state: OrgState): JsonAnswer {
  const latest = Number(state.apiVersion);
  const list = [latest - 2, latest - 1, latest].map((v) => ({ label: `Simulated ${v}`, url: `/services/data/v${v.toFixed(1)}`, version: v.toFixed(1) }));
  return { status: 200, json: list };
}

/** `?columns=true`, as `sf data query` asks before printing: the selected columns, relationships as joinColumns. */
function columnMetadata(fields: string[]): unknown {
  const column = (name: string, joinColumns: unknown[] = []): Record<string, unknown> => ({
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns,
    numberType: false,
    textType: joinColumns.length === 0,
    updatable: false,
  });
  return {
    columnMetadata: fields.map((f) => {
      const [head, ...tail] = f.split('.');
      return tail.length ? column(head, [column(tail.join('.'))]) : column(head);
    }),
  };
}

export function query(state: OrgState, soql: string, api: 'rest' | 'tooling', version: string, columns = false): JsonAnswer {
  const tables: Record<string, Table> = api === 'tooling' ? toolingTables(state) : restTables(state);
  try {
    const parsed = parseSoql(soql);
    const table = Object.entries(tables).find(([name]) => name.toLowerCase() === parsed.object.toLowerCase());
    if (!table) {
      return error(400, 'INVALID_TYPE', `\n${soql}\n^\nERROR at Row:1:Column:1\nsObject type '${parsed.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
    parsed.object = table[0];
    const base = `/services/data/v${version}${api === 'tooling' ? '/tooling' : ''}`;
    const records = runSoql(parsed, table[1].rows(), table[1].fields, base);
    if (columns) return { status: 200, json: columnMetadata(parsed.fields) };
    const isCount = /^count\(\)$/i.test(parsed.fields[0] ?? '');
    return { status: 200, json: { totalSize: records.length, done: true, records: isCount ? [] : records, ...(api === 'tooling' ? { size: records.length, queryLocator: null, entityTypeName: table[0] } : {}) } };
  } catch (e) {
    if (e instanceof SoqlError) return error(400, e.errorCode, e.message);
    throw e;
  }
}

/** GET/POST/DELETE on /sobjects/<Type>[/<id>]. */
export function sobjects(state: OrgState, method: string, segments: string[], body: unknown, version: string, api: 'rest' | 'tooling'): JsonAnswer {
  const [type, idOrAction] = segments;
  if (api === 'tooling') {
    if (type === 'SourceMember' && idOrAction === 'describe' && state.orgType !== 'production') {
      return { status: 200, json: { name: 'SourceMember', fields: [] } };
    }
    return error(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  if (method === 'GET' && idOrAction === 'describe') return { status: 200, json: { name: type, fields: [], createable: true } };
  if (method === 'GET' && idOrAction) {
    const rows = restTables(state)[type]?.rows() ?? [];
    const row = rows.find((r) => r.Id === idOrAction);
    return row ? { status: 200, json: { attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${idOrAction}` }, ...row } } : error(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  if (method === 'POST' && !idOrAction) return create(state, type, (body ?? {}) as Record<string, unknown>);
  if (method === 'DELETE' && idOrAction) return remove(state, type, idOrAction);
  return error(404, 'NOT_FOUND', 'The requested resource does not exist');
}

function create(state: OrgState, type: string, fields: Record<string, unknown>): JsonAnswer {
  const created = (id: string): JsonAnswer => ({ status: 201, json: { id, success: true, errors: [] } });
  if (type === 'PermissionSetAssignment') {
    const assigneeId = String(fields.AssigneeId ?? '');
    const permissionSetId = String(fields.PermissionSetId ?? '');
    if (!state.users.some((u) => u.id === assigneeId)) {
      return error(400, 'FIELD_INTEGRITY_EXCEPTION', 'Assignee ID: id value of incorrect type: ' + assigneeId, ['AssigneeId']);
    }
    if (!state.permissionSets.some((p) => p.id === permissionSetId)) {
      return error(400, 'FIELD_INTEGRITY_EXCEPTION', 'Permission Set ID: id value of incorrect type: ' + permissionSetId, ['PermissionSetId']);
    }
    const duplicate = state.assignments.find((a) => a.assigneeId === assigneeId && a.permissionSetId === permissionSetId);
    if (duplicate) {
      // [seen] what Salesforce returns for an assignment that already exists (it names neither field nor id).
      return error(400, 'DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>');
    }
    const record: PermissionSetAssignmentRecord = { id: state.newId('PermissionSetAssignment'), assigneeId, permissionSetId };
    state.assignments.push(record);
    return created(record.id);
  }
  if (type === 'PermissionSet') {
    const name = String(fields.Name ?? '');
    if (!name || !fields.Label) return error(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name, Label]', ['Name', 'Label']);
    if (state.permissionSets.some((p) => p.name === name)) {
      return error(400, 'DUPLICATE_DEVELOPER_NAME', 'The API name you entered is already in use. Enter a unique API name.', ['Name']);
    }
    const id = state.newId('PermissionSet');
    state.permissionSets.push({ id, name, label: String(fields.Label), principalAccesses: [], isOwnedByProfile: false });
    return created(id);
  }
  if (type === 'User') {
    const username = String(fields.Username ?? '');
    if (!username) return error(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Username]', ['Username']);
    if (state.userByName(username)) return error(400, 'DUPLICATE_USERNAME', 'Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn\'t need to match the user\'s email address). ', ['Username']);
    return created(state.addUser(username, { email: fields.Email ? String(fields.Email) : undefined }).id);
  }
  return error(400, 'INVALID_TYPE', `The org simulator cannot create ${type}`);
}

function remove(state: OrgState, type: string, id: string): JsonAnswer {
  const lists: Record<string, Array<{ id: string }>> = {
    PermissionSetAssignment: state.assignments,
    PermissionSet: state.permissionSets,
  };
  const list = lists[type];
  const index = list?.findIndex((r) => r.id === id) ?? -1;
  if (!list || index < 0) return error(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  if (type === 'PermissionSet') {
    for (let i = state.assignments.length - 1; i >= 0; i--) if (state.assignments[i].permissionSetId === id) state.assignments.splice(i, 1);
  }
  list.splice(index, 1);
  return { status: 204, json: undefined };
}

type CredentialInput = {
  externalCredential?: string;
  principalName?: string;
  principalType?: string;
  authenticationProtocol?: string;
  authenticationProtocolVariant?: string;
  credentials?: Record<string, { value?: string; encrypted?: boolean }>;
};

type CredentialTarget = { ec: string; principal: string; principalType: string };

/** GET/DELETE name the principal in the query string; POST/PUT in the body. */
function credentialTarget(method: string, params: URLSearchParams, input: CredentialInput): CredentialTarget {
  const fromQuery = method === 'GET' || method === 'DELETE';
  return fromQuery
    ? { ec: params.get('externalCredential') ?? '', principal: params.get('principalName') ?? '', principalType: params.get('principalType') ?? 'NamedPrincipal' }
    : { ec: input.externalCredential ?? '', principal: input.principalName ?? '', principalType: input.principalType ?? '' };
}

function credentialView(state: OrgState, target: CredentialTarget, status = 200): JsonAnswer {
  const { ec, principal, principalType } = target;
  const current = state.principalCredential(ec, principal);
  const credentials = Object.entries(current?.credentials ?? {}).map(([k, v]) => [k, { encrypted: v.encrypted, value: v.encrypted ? '********' : v.value }]);
  return {
    status,
    json: {
      externalCredential: ec,
      principalName: principal,
      principalType: current?.principalType ?? principalType,
      principalAccess: null,
      authenticationProtocol: state.externalCredential(ec)?.authenticationProtocol,
      authenticationProtocolVariant: current?.authenticationProtocolVariant ?? null,
      authenticationStatus: current ? 'Configured' : 'NotConfigured',
      credentials: Object.fromEntries(credentials),
      url: `/services/data/v${state.apiVersion}/named-credentials/credential?externalCredential=${ec}&principalName=${principal}&principalType=${principalType}`,
    },
  };
}

/** Parameter types that declare a principal of an external credential, as Connect's principalType names them [doc] (CX-CRED). */
const PRINCIPAL_TYPES = ['NamedPrincipal', 'PerUserPrincipal', 'AwsStsPrincipal'];

/** The principal must be declared by an external credential in the org, with the type the request names [doc]. */
function unknownPrincipal(state: OrgState, { ec, principal, principalType }: CredentialTarget): JsonAnswer | undefined {
  if (!ec || !principal) return error(400, 'INVALID_INPUT', 'Specify externalCredential and principalName.');
  const external = state.externalCredential(ec);
  if (!external) return error(404, 'NOT_FOUND', `The external credential ${ec} doesn't exist.`);
  const declared = external.parameters.find((p) => p.parameterName === principal && PRINCIPAL_TYPES.includes(p.parameterType));
  if (!declared) return error(404, 'NOT_FOUND', inferredMessages.principalMissing(ec, principal));
  if (PRINCIPAL_TYPES.includes(principalType) && principalType !== declared.parameterType) {
    return error(400, 'INVALID_INPUT', inferredMessages.principalTypeMismatch(principal, declared.parameterType, principalType));
  }
  return undefined;
}

/** POST credential?action=Refresh: re-fetches an OAuth or Roles Anywhere credential; nothing to store here. */
function refresh(state: OrgState, input: CredentialInput, version: string): JsonAnswer {
  if (Number(version) < 58) return error(400, 'INVALID_INPUT', 'The Refresh action requires API version 58.0 or later.');
  const target = credentialTarget('POST', new URLSearchParams(), input);
  if (!state.principalCredential(target.ec, target.principal)) return error(404, 'NOT_FOUND', inferredMessages.credentialMissing(target.ec, target.principal));
  return credentialView(state, target);
}

/** [doc] (CX-CRED) the credential keys of an AwsSv4 principal; awsRoleArn is stored unencrypted, the others encrypted. */
const AWS_CREDENTIAL_KEYS: Record<string, { encrypted: boolean }> = {
  awsAccessKeyId: { encrypted: true },
  awsSecretAccessKey: { encrypted: true },
  awsRoleArn: { encrypted: false },
};

/** What is wrong with a POST/PUT body, if anything: principal type, protocol and variant as the external credential has them, credential keys. */
function credentialInputProblem(state: OrgState, input: CredentialInput, principalType: string): string | undefined {
  if (!PRINCIPAL_TYPES.includes(principalType)) return `principalType must be one of ${PRINCIPAL_TYPES.join(', ')}, not ${principalType || 'empty'}.`;
  if (!input.authenticationProtocol) return 'Specify authenticationProtocol.';
  const ec = state.externalCredential(input.externalCredential ?? '')!;
  // [inferred] the protocol and variant must be the external credential's (wording in inferred.ts).
  if (input.authenticationProtocol !== ec.authenticationProtocol) return inferredMessages.protocolMismatch(input.authenticationProtocol, ec.authenticationProtocol);
  const variant = ec.parameters.find((p) => p.parameterType === 'AuthProtocolVariant')?.parameterValue;
  if ((input.authenticationProtocolVariant ?? undefined) !== variant) return inferredMessages.variantMismatch(input.authenticationProtocolVariant ?? 'none', variant ?? 'none');
  const bad = Object.entries(input.credentials ?? {}).find(([, v]) => typeof v?.value !== 'string');
  if (bad) return `Credential ${bad[0]} needs a string value.`;
  if (input.authenticationProtocol === 'AwsSv4') {
    for (const [key, value] of Object.entries(input.credentials ?? {})) {
      const rule = AWS_CREDENTIAL_KEYS[key];
      if (!rule) return inferredMessages.unknownCredentialKey(key, Object.keys(AWS_CREDENTIAL_KEYS));
      if (value.encrypted !== undefined && value.encrypted !== rule.encrypted) return inferredMessages.credentialEncryption(key, rule.encrypted);
    }
  }
  return undefined;
}

/** Connect REST /named-credentials/credential (API 56+) [doc]: GET, POST (create), PUT (replace), DELETE. */
export function credential(state: OrgState, method: string, params: URLSearchParams, body: unknown, version: string): JsonAnswer {
  // [doc] the credential resource exists from API 56; ?action=Refresh from 58.
  if (Number(version) < 56) return error(404, 'NOT_FOUND', 'The requested resource does not exist');
  const input = (body ?? {}) as CredentialInput;
  if (method === 'POST' && params.get('action') === 'Refresh') return refresh(state, input, version);
  const target = credentialTarget(method, params, input);
  const { ec, principal } = target;
  const unknown = unknownPrincipal(state, target);
  if (unknown) return unknown;
  const existing = state.principalCredential(ec, principal);
  if (method === 'GET') return credentialView(state, target);
  if (method === 'DELETE') {
    if (!existing) return error(404, 'NOT_FOUND', inferredMessages.credentialMissing(ec, principal));
    state.principalCredentials.splice(state.principalCredentials.indexOf(existing), 1);
    return { status: 204, json: undefined };
  }
  if (method !== 'POST' && method !== 'PUT') return error(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,POST,PUT,DELETE`);
  const problem = credentialInputProblem(state, input, target.principalType);
  if (problem) return error(400, 'INVALID_INPUT', problem);
  if (method === 'POST' && existing) return error(400, 'INVALID_INPUT', inferredMessages.credentialExists(ec, principal));
  if (method === 'PUT' && !existing) return error(404, 'NOT_FOUND', inferredMessages.credentialMissing(ec, principal));
  const record = {
    externalCredential: ec,
    principalName: principal,
    principalType: target.principalType as PrincipalCredentialRecord['principalType'],
    authenticationProtocol: input.authenticationProtocol!,
    authenticationProtocolVariant: input.authenticationProtocolVariant,
    // [doc] awsRoleArn is stored unencrypted; secrets (awsSecretAccessKey) encrypted (docs/salesforce-metadata.md §9).
    credentials: Object.fromEntries(
      Object.entries(input.credentials ?? {}).map(([k, v]) => [k, { value: v.value!, encrypted: AWS_CREDENTIAL_KEYS[k]?.encrypted ?? v.encrypted ?? true }])
    ),
  };
  if (existing) state.principalCredentials.splice(state.principalCredentials.indexOf(existing), 1, record);
  else state.principalCredentials.push(record);
  return credentialView(state, target, method === 'POST' ? 201 : 200);
}
