import type { Readable } from 'node:stream';

/**
 * Default read deadline of a webhook body, in milliseconds, counted from the call to
 * {@link readAmityBody} (the request's headers have arrived).
 *
 * social.plus gives up on a delivery that is not answered within 1.5 s, so a body still arriving
 * after that can never be answered in time. 5 s is over three times that: a sender whose whole
 * body arrives within 1.5 s on its own clock always passes, even when a busy event loop runs this
 * timer before the socket's pending data, while a stalled connection is closed after 5 s instead
 * of Node's `requestTimeout` (300 s; none at all where the adapter turns it off).
 * @default 5000
 */
export const AMITY_BODY_READ_DEADLINE_MS = 5_000;

/**
 * Default capacity of an {@link AmityBodyBudget}, in bytes: 32 bodies at the default `bodyLimit`
 * (1 MiB). Real deliveries are a few kilobytes, so thousands of them fit at once; what it stops is
 * a crowd of unsigned clients each parking a large body (1,000 x 1 MiB raised RSS by 1 GB).
 * @default 33554432
 */
export const AMITY_BODY_BUDGET_BYTES = 32 * 1024 * 1024;

/** Why a body could not be read; `status` is the HTTP answer the caller gives. */
export type AmityBodyReadFailure =
  /** Longer than `bodyLimit` (declared or received): `413`. */
  | 'too-large'
  /** Not complete within `deadlineMs`: `408`. */
  | 'timeout'
  /** The shared budget had no room for it, or took its room back for smaller bodies: `503`. */
  | 'busy'
  /** The client closed the connection or the stream failed before the end: `400` (nobody is left to read it). */
  | 'aborted';

const STATUS: Readonly<Record<AmityBodyReadFailure, 400 | 408 | 413 | 503>> = {
  'too-large': 413,
  timeout: 408,
  busy: 503,
  aborted: 400,
};

/**
 * A body that was not read. `status` is the answer to give (Fastify uses it as is when the error is
 * thrown from a hook); `message` is safe to send to the client.
 */
export class AmityBodyReadError extends Error {
  /** HTTP status of the answer: 413, 408, 503 or 400. */
  readonly status: 400 | 408 | 413 | 503;

  constructor(
    /** What went wrong, for logs and metrics. */
    readonly reason: AmityBodyReadFailure,
    message: string,
  ) {
    super(message);
    this.name = 'AmityBodyReadError';
    this.status = STATUS[reason];
  }
}

/**
 * Something that holds bytes of an {@link AmityBodyBudget}: one body being read.
 * `shed` is called when the budget takes the room back; it must release the holder synchronously.
 */
export interface AmityBodyBudgetHolder {
  shed(): void;
}

/**
 * Bytes of request bodies held before their signature is checked, shared by all the requests of a
 * route (one instance per route). Each reader reserves what it receives, chunk by chunk, and
 * releases it all when it settles.
 *
 * When a reservation does not fit, the budget sheds the largest holder that holds more than the
 * requester would after the reservation (the oldest among equals), until it fits or no such
 * holder is left. Real deliveries are small, so a crowd of large stalled bodies cannot lock them
 * out: it is the stalled bodies that make room. A holder is never shed for one of its own size or
 * larger, so a flood of small bodies is refused (`503`) rather than churned.
 */
export class AmityBodyBudget {
  private readonly holders = new Map<AmityBodyBudgetHolder, number>();
  private total = 0;

  /** @param capacity most bytes held at once (default {@link AMITY_BODY_BUDGET_BYTES}) */
  constructor(readonly capacity: number = AMITY_BODY_BUDGET_BYTES) {
    if (!(Number.isSafeInteger(capacity) && capacity > 0)) {
      throw new RangeError(`nestjs-amity-webhook: the body budget must be a positive integer of bytes, got ${String(capacity)}`);
    }
  }

  /** Bytes held now. */
  get held(): number {
    return this.total;
  }

  /** Holders with bytes reserved now. */
  get holderCount(): number {
    return this.holders.size;
  }

  /** Bytes reserved by `holder` now (0 when it holds none). */
  heldBy(holder: AmityBodyBudgetHolder): number {
    return this.holders.get(holder) ?? 0;
  }

  /**
   * Reserves `bytes` more for `holder`, shedding larger holders if that makes room.
   * @returns `false` when there is no room: nothing was reserved, and the holder keeps what it had
   */
  reserve(holder: AmityBodyBudgetHolder, bytes: number): boolean {
    const after = this.heldBy(holder) + bytes;
    while (this.total + bytes > this.capacity) {
      const victim = this.largestAbove(after, holder);
      if (victim === undefined) return false;
      victim.shed();
      // A holder that did not release itself is released here, so the loop always progresses.
      this.release(victim);
    }
    this.holders.set(holder, after);
    this.total += bytes;
    return true;
  }

  /** Releases everything `holder` reserved. Safe to call more than once. */
  release(holder: AmityBodyBudgetHolder): void {
    const bytes = this.holders.get(holder);
    if (bytes === undefined) return;
    this.holders.delete(holder);
    this.total -= bytes;
  }

  /** The oldest of the holders holding the most, if it holds more than `than`. Only runs when full. */
  private largestAbove(than: number, except: AmityBodyBudgetHolder): AmityBodyBudgetHolder | undefined {
    let found: AmityBodyBudgetHolder | undefined;
    let most = than;
    for (const [holder, bytes] of this.holders) {
      if (bytes > most && holder !== except) {
        found = holder;
        most = bytes;
      }
    }
    return found;
  }
}

/** Limits of one {@link readAmityBody} call. */
export interface AmityBodyReadLimits {
  /** Most bytes accepted; more is `413`. */
  readonly bodyLimit: number;
  /**
   * Milliseconds from the call until the body must be complete; later is `408`.
   * @default AMITY_BODY_READ_DEADLINE_MS (5000)
   */
  readonly deadlineMs?: number;
  /** Shared budget of bytes held by bodies being read; no room is `503`. Without one, only `bodyLimit` bounds a body. */
  readonly budget?: AmityBodyBudget;
  /**
   * The declared `Content-Length`, when there is one: a body declared over `bodyLimit` is refused
   * before a byte is read. Leave it out when the stream is decoded (Fastify may hand `preParsing` a
   * decompressed stream whose length differs).
   */
  readonly declaredLength?: number;
}

const noop = (): void => undefined;

/**
 * Reads a request body into one Buffer, within a byte limit, a deadline and a shared budget.
 * Works on any byte stream: Node's `IncomingMessage` (Express, or a plain `node:http` handler) and
 * the `payload` stream of Fastify's `preParsing` hook. Call it as soon as the request's headers
 * are known; the deadline counts from the call.
 *
 * The bytes count against `limits.budget` while the body is being read; the reservation is
 * released when the returned promise settles, whatever the outcome, so the caller has nothing to
 * release (hand the Buffer to verification right away).
 *
 * On failure it rejects with an {@link AmityBodyReadError}, stops reading (the stream is paused,
 * so TCP pushes back on the client) and keeps a no-op `error` listener on the stream so a later
 * reset cannot crash the process. **The caller must then answer `error.status` with
 * `Connection: close`**, which makes Node destroy the socket once the answer is written (Express:
 * `res.set('Connection', 'close').status(e.status).json(...)`; Fastify: throw the error from
 * `preParsing` after `reply.header('connection', 'close')`, Fastify answers `error.status`). If no
 * answer can be written (`aborted`), destroy the request (`req.destroy()`). Without either, a
 * stalled client keeps its socket.
 *
 * @example
 * const budget = new AmityBodyBudget();
 * const body = await readAmityBody(req, { bodyLimit: 1024 * 1024, budget });
 */
export function readAmityBody(stream: Readable, limits: AmityBodyReadLimits): Promise<Buffer> {
  const { bodyLimit, budget, declaredLength } = limits;
  const deadlineMs = limits.deadlineMs ?? AMITY_BODY_READ_DEADLINE_MS;
  stream.on('error', noop);
  if (declaredLength !== undefined && declaredLength > bodyLimit) {
    stream.pause();
    return Promise.reject(tooLarge(bodyLimit));
  }

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;

    const finish = (error: AmityBodyReadError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      budget?.release(holder);
      if (error) {
        stream.pause();
        chunks.length = 0;
        reject(error);
      } else {
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      }
    };
    const holder: AmityBodyBudgetHolder = {
      shed: () => finish(new AmityBodyReadError('busy', 'Too many request bodies in progress; retry later')),
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (size + bytes.length > bodyLimit) return finish(tooLarge(bodyLimit));
      if (budget && !budget.reserve(holder, bytes.length)) {
        return finish(new AmityBodyReadError('busy', 'Too many request bodies in progress; retry later'));
      }
      chunks.push(bytes);
      size += bytes.length;
    };
    const onEnd = (): void => finish(undefined);
    const onError = (): void => finish(new AmityBodyReadError('aborted', 'The request body could not be read'));
    // 'close' before 'end': the client went away mid-body.
    const onClose = (): void => finish(new AmityBodyReadError('aborted', 'The client closed the connection before the body ended'));
    const timer = setTimeout(
      () => finish(new AmityBodyReadError('timeout', `The request body was not received within ${deadlineMs} ms`)),
      deadlineMs,
    );

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    // Nothing more will come: refuse rather than wait for the deadline.
    if (stream.readableEnded || stream.destroyed) finish(new AmityBodyReadError('aborted', 'The request body was already read or closed'));
    else stream.resume();
  });
}

function tooLarge(bodyLimit: number): AmityBodyReadError {
  return new AmityBodyReadError('too-large', `Body exceeds the limit of ${bodyLimit} bytes`);
}
