/** A promise given to {@link amityWithin} did not settle within its time. */
export class AmityNoAnswerError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'AmityNoAnswerError';
  }
}

/**
 * `promise`, or an {@link AmityNoAnswerError} after `ms`; the timer is cleared as soon as the
 * promise settles, and a rejection of the promise after the timeout is swallowed (it has nowhere to go).
 */
export async function amityWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AmityNoAnswerError(ms)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
