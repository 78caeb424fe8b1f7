/* Editing a command line for a table row: change one flag, add one, or drop one. */

/** Replaces the value after `flag`, or appends `flag` (and `value`) when absent. */
export function withFlag(args: string[], flag: string, value?: string): string[] {
  const i = args.indexOf(flag);
  if (i < 0) return value === undefined ? [...args, flag] : [...args, flag, value];
  const copy = [...args];
  if (value !== undefined) copy[i + 1] = value;
  return copy;
}

/** Removes `flag` and the value after it. */
export function withoutFlag(args: string[], flag: string): string[] {
  const i = args.indexOf(flag);
  return i < 0 ? args : [...args.slice(0, i), ...args.slice(i + 2)];
}
