const TIMESTAMP_FIELDS = ['updatedAt', 'editedAt', 'createdAt', 'lastActivity'] as const;

function newestOf(entity: unknown, newest: number): number {
  if (entity === null || typeof entity !== 'object') return newest;
  for (const field of TIMESTAMP_FIELDS) {
    const value = (entity as Record<string, unknown>)[field];
    if (typeof value === 'string') {
      const time = Date.parse(value);
      if (time > newest) newest = time;
    }
  }
  return newest;
}

/**
 * The newest entity timestamp in an event's `data` (`updatedAt`, `editedAt`, `createdAt`,
 * `lastActivity` of `data` itself and of the first item of each entity list or object in it),
 * or `undefined` when it carries none. social.plus signs no delivery timestamp, so this is the only
 * clock a receiver can check a payload against.
 */
export function newestAmityTimestamp(data: unknown): number | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  let newest = newestOf(data, Number.NEGATIVE_INFINITY);
  for (const value of Object.values(data as Record<string, unknown>)) {
    newest = newestOf(Array.isArray(value) ? value[0] : value, newest);
  }
  return Number.isFinite(newest) ? newest : undefined;
}
