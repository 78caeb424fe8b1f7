/** Escapes a value for a single-quoted SOQL literal. */
export function soqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
