/**
 * Default window of {@link AmityRejectionLog}: at most one WARN per reason per minute.
 * @default 60000
 */
export const AMITY_REJECTION_LOG_INTERVAL_MS = 60_000;

/**
 * Default number of distinct reasons tracked at once; further ones share the bucket
 * `other rejections` so that a caller putting variable text in reasons cannot grow the log's state.
 * @default 32
 */
export const AMITY_REJECTION_LOG_MAX_REASONS = 32;

/** Options of {@link AmityRejectionLog}. */
export interface AmityRejectionLogOptions {
  /** Writes one summary line, e.g. `(message) => logger.warn(message)`. */
  readonly warn: (message: string) => void;
  /**
   * Called for every rejection, with the same redacted detail, e.g.
   * `(reason, detail) => logger.debug(detail ? `${reason} (${detail})` : reason)`.
   * @default none
   */
  readonly debug?: (reason: string, detail: string | undefined) => void;
  /**
   * Shortest time between two WARNs of the same reason, in milliseconds.
   * @default AMITY_REJECTION_LOG_INTERVAL_MS (60000)
   */
  readonly intervalMs?: number;
  /**
   * Distinct reasons tracked at once.
   * @default AMITY_REJECTION_LOG_MAX_REASONS (32)
   */
  readonly maxReasons?: number;
}

/** Distinct details kept per reason and window; more are counted as `other`. */
const MAX_DETAILS = 4;
/** Longest detail kept, in characters. */
const MAX_DETAIL_CHARS = 160;
const OVERFLOW_REASON = 'other rejections';
/**
 * A run that looks like a secret, a signature or a token (base64, base64url or hex, 20+ characters
 * with a digit or `+/=`). Header names and prose have neither, so they stay readable.
 */
const TOKEN_LIKE = /[A-Za-z0-9+/=_-]{20,}/g;

interface Window {
  /** Rejections since the last WARN of this reason. */
  count: number;
  /** When the last WARN of this reason was written. */
  since: number;
  readonly details: Map<string, number>;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Summarises rejected requests for operators. The first rejection of a reason is written at
 * once (`401 bad signature x1 (header x-amity-signature, 44 chars)`), so that a rotated secret
 * shows up in production logs; later ones are counted and written as one WARN per reason and
 * window (`401 bad signature x3 in 60 s (...)`), so a flood of forged traffic costs a line a
 * minute. Per-request lines remain available through `debug`.
 *
 * Details must describe a shape (which header, how long), never a value; as a safety net, any
 * run that looks like a secret or signature is replaced by `<redacted, N chars>`.
 *
 * Timers are unref'd (they never keep the process alive); call {@link close} on shutdown to
 * write what is pending.
 */
export class AmityRejectionLog {
  private readonly windows = new Map<string, Window>();
  private readonly intervalMs: number;
  private readonly maxReasons: number;
  private closed = false;

  constructor(private readonly options: AmityRejectionLogOptions) {
    this.intervalMs = options.intervalMs ?? AMITY_REJECTION_LOG_INTERVAL_MS;
    this.maxReasons = options.maxReasons ?? AMITY_REJECTION_LOG_MAX_REASONS;
  }

  /**
   * Records one rejected request.
   * @param reason a fixed label starting with the status, e.g. `401 bad signature`
   * @param detail the request's shape, e.g. from {@link describeAmityHeader}
   */
  record(reason: string, detail?: string): void {
    const safeReason = redact(reason);
    const safeDetail = detail === undefined ? undefined : redact(detail);
    this.options.debug?.(safeReason, safeDetail);
    if (this.closed) return;
    const tracked = this.windows.has(safeReason) || this.windows.size < this.maxReasons;
    const key = tracked ? safeReason : OVERFLOW_REASON;
    // In the shared bucket, the reason itself is the detail.
    const detailKey = tracked ? (safeDetail ?? '') : safeDetail === undefined ? safeReason : `${safeReason}: ${safeDetail}`;
    const window = this.windows.get(key);
    if (window === undefined) {
      this.options.warn(`${key} x1${detailKey === '' ? '' : ` (${detailKey})`}; repeats are summarised every ${seconds(this.intervalMs)}`);
      this.windows.set(key, { count: 0, since: Date.now(), details: new Map(), timer: this.schedule(key) });
      return;
    }
    window.count++;
    if (window.details.has(detailKey) || window.details.size < MAX_DETAILS) {
      window.details.set(detailKey, (window.details.get(detailKey) ?? 0) + 1);
    } else {
      window.details.set('other', (window.details.get('other') ?? 0) + 1);
    }
  }

  /** Writes every pending summary now. */
  flush(): void {
    for (const key of this.windows.keys()) this.summarise(key);
  }

  /** Writes what is pending and stops the timers; later rejections only reach `debug`. */
  close(): void {
    if (this.closed) return;
    this.flush();
    for (const window of this.windows.values()) clearTimeout(window.timer);
    this.windows.clear();
    this.closed = true;
  }

  private schedule(key: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.tick(key), this.intervalMs);
    timer.unref();
    return timer;
  }

  /** End of a window: write the summary and open another, or forget a reason that went quiet. */
  private tick(key: string): void {
    const window = this.windows.get(key);
    if (window === undefined) return;
    if (window.count === 0) {
      this.windows.delete(key);
      return;
    }
    this.summarise(key);
    window.timer = this.schedule(key);
  }

  private summarise(key: string): void {
    const window = this.windows.get(key);
    if (window === undefined || window.count === 0) return;
    const now = Date.now();
    const details = [...window.details].filter(([detail]) => detail !== '');
    const shown =
      details.length === 0
        ? ''
        : details.length === 1 && details[0]![1] === window.count
          ? ` (${details[0]![0]})`
          : ` (${details.map(([detail, n]) => `${detail} x${n}`).join('; ')})`;
    this.options.warn(`${key} x${window.count} in ${seconds(now - window.since)}${shown}`);
    window.count = 0;
    window.since = now;
    window.details.clear();
  }
}

/**
 * The shape of a request header, for a rejection detail: `header x-amity-signature, 44 chars`,
 * `no x-amity-signature header` or `2 x-amity-signature headers`. Never the value.
 */
export function describeAmityHeader(name: string, value: string | readonly string[] | undefined): string {
  if (value === undefined) return `no ${name} header`;
  if (typeof value !== 'string') return value.length === 1 ? `header ${name}, ${value[0]!.length} chars` : `${value.length} ${name} headers`;
  return `header ${name}, ${value.length} chars`;
}

function redact(text: string): string {
  const clean = text.replace(TOKEN_LIKE, (run) => (/[\d+/=]/.test(run) ? `<redacted, ${run.length} chars>` : run));
  return clean.length > MAX_DETAIL_CHARS ? `${clean.slice(0, MAX_DETAIL_CHARS)}…` : clean;
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}
