/*
 * The small SOQL subset clients send to this org: SELECT fields FROM Object [WHERE a = 'x' AND b IN ('y') ...]
 * [ORDER BY ...] [LIMIT n]. Field names are case-insensitive, as in Salesforce; dotted names follow
 * relationship objects on the row (Assignee.Username). Anything else is a MALFORMED_QUERY, not a guess.
 */

export type Row = Record<string, unknown>;

export type ParsedQuery = {
  fields: string[];
  object: string;
  conditions: Condition[];
  limit?: number;
};

type Condition = { field: string; op: '=' | '!=' | 'IN' | 'NOT IN' | '>' | '<' | 'LIKE'; values: unknown[] };

export class SoqlError extends Error {
  public constructor(public readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_TYPE' | 'INVALID_FIELD', message: string) {
    super(message);
  }
}

const QUERY = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+.+?)?(?:\s+LIMIT\s+(\d+))?\s*$/is;
const CONDITION =
  /^\s*([\w.]+)\s*(=|!=|<>|>|<|\bNOT\s+IN\b|\bIN\b|\bLIKE\b)\s*(\((?:[^)]*)\)|'(?:[^'\\]|\\.)*'|[\w.:-]+)\s*$/i;

export function parseSoql(soql: string): ParsedQuery {
  const match = QUERY.exec(soql.replace(/\s+/g, ' '));
  if (!match) throw new SoqlError('MALFORMED_QUERY', `unexpected token in query: ${soql}`);
  const [, fieldList, object, where, limit] = match;
  return {
    fields: fieldList.split(',').map((f) => f.trim()),
    object,
    conditions: where ? splitAnd(where).map(parseCondition) : [],
    limit: limit ? Number(limit) : undefined,
  };
}

/** Rows of `table` the query selects, shaped as the REST API returns records. */
export function runSoql(query: ParsedQuery, table: Row[], knownFields: string[], urlBase: string): Row[] {
  const known = new Set(knownFields.map((f) => f.toLowerCase()));
  const check = (field: string): void => {
    if (!known.has(field.toLowerCase()) && !known.has(field.split('.')[0].toLowerCase())) {
      throw new SoqlError('INVALID_FIELD', `\n${query.fields.join(', ')}\n       ^\nERROR at Row:1:Column:8\nNo such column '${field}' on entity '${query.object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
  };
  query.fields.forEach(check);
  query.conditions.forEach((c) => check(c.field));
  const rows = table.filter((row) => query.conditions.every((c) => test(c, read(row, c.field))));
  const limited = query.limit === undefined ? rows : rows.slice(0, query.limit);
  return limited.map((row) => project(row, query.fields, query.object, urlBase));
}

function splitAnd(where: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < where.length; i++) {
    const ch = where[i];
    if (ch === "'" && where[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && /^\sAND\s/i.test(where.slice(i, i + 5))) {
      parts.push(where.slice(start, i));
      start = i + 5;
      i += 4;
    }
    if (depth === 0 && /^\sOR\s/i.test(where.slice(i, i + 4))) {
      throw new SoqlError('MALFORMED_QUERY', 'OR is not supported by the org simulator');
    }
  }
  parts.push(where.slice(start));
  return parts;
}

function parseCondition(text: string): Condition {
  const match = CONDITION.exec(text.trim());
  if (!match) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${text.trim()}'`);
  const [, field, rawOp, rawValue] = match;
  const op = rawOp.toUpperCase().replace(/\s+/g, ' ').replace('<>', '!=') as Condition['op'];
  const values = rawValue.startsWith('(')
    ? rawValue
        .slice(1, -1)
        .split(',')
        .map((v) => literal(v.trim()))
    : [literal(rawValue)];
  return { field, op, values };
}

function literal(token: string): unknown {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^(true|false)$/i.test(token)) return token.toLowerCase() === 'true';
  if (/^null$/i.test(token)) return null;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  return token;
}

function test(condition: Condition, actual: unknown): boolean {
  const [first] = condition.values;
  const eq = (v: unknown): boolean =>
    typeof v === 'string' && typeof actual === 'string' ? v.toLowerCase() === actual.toLowerCase() : v === (actual ?? null);
  switch (condition.op) {
    case '=':
      return eq(first);
    case '!=':
      return !eq(first);
    case 'IN':
      return condition.values.some(eq);
    case 'NOT IN':
      return !condition.values.some(eq);
    case '>':
      return Number(actual) > Number(first);
    case '<':
      return Number(actual) < Number(first);
    case 'LIKE': {
      const pattern = new RegExp(`^${String(first).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
      return pattern.test(String(actual ?? ''));
    }
  }
}

function read(row: Row, path: string): unknown {
  let value: unknown = row;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    const key = Object.keys(value).find((k) => k.toLowerCase() === segment.toLowerCase());
    value = key === undefined ? null : (value as Row)[key];
  }
  return value;
}

function project(row: Row, fields: string[], object: string, urlBase: string): Row {
  const out: Row = { attributes: { type: object, url: `${urlBase}/sobjects/${object}/${String(row.Id)}` } };
  for (const field of fields) {
    const segments = field.split('.');
    const canonical = Object.keys(row).find((k) => k.toLowerCase() === segments[0].toLowerCase()) ?? segments[0];
    if (segments.length === 1) {
      out[canonical] = row[canonical] ?? null;
      continue;
    }
    const related = (out[canonical] ?? {}) as Row;
    const inner = row[canonical] as Row | null | undefined;
    if (inner) {
      const leaf = Object.keys(inner).find((k) => k.toLowerCase() === segments[1].toLowerCase()) ?? segments[1];
      related[leaf] = inner[leaf] ?? null;
      out[canonical] = related;
    } else {
      out[canonical] = null;
    }
  }
  return out;
}
