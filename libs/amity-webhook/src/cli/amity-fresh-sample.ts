/** Timestamp fields of the samples: the ones social.plus sets when something happens. */
const STAMPED_KEYS = new Set(['createdAt', 'updatedAt', 'editedAt', 'lastActivity']);

/**
 * A copy of a sample body whose timestamps (`createdAt`, `updatedAt`, `editedAt`,
 * `lastActivity`, at any depth) read `now`. Each `send` of the CLI is then a new delivery, which a
 * receiver neither suppresses as a duplicate of the previous one nor refuses as too old
 * (`maxEventAgeMs`). Pure: `now` is given.
 */
export function freshAmitySample<T>(sample: T, now: Date): T {
  const stamp = now.toISOString();
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      out[key] = STAMPED_KEYS.has(key) && typeof field === 'string' ? stamp : visit(field);
    }
    return out;
  };
  return visit(sample) as T;
}
