/**
 * Splits a comma-separated environment value into trimmed, non-empty entries.
 * Returns `undefined` when the variable is unset or holds nothing but separators and spaces, so
 * callers can tell "not configured" from a real list.
 */
export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return entries.length > 0 ? entries : undefined;
}

/**
 * Reads a positive integer from the environment, or `fallback` when unset or blank. Anything else
 * throws at boot, naming the variable, rather than running with a surprising value.
 */
export function parsePositiveInteger(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value.trim());
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
    throw new Error(`${name} must be an integer between 1 and ${max} (got ${JSON.stringify(value)})`);
  }
  return parsed;
}
