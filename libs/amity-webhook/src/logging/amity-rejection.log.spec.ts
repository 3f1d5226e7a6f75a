import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { AMITY_REJECTION_LOG_INTERVAL_MS, AmityRejectionLog, describeAmityHeader, type AmityRejectionLogOptions } from './amity-rejection.log.js';

function setup(options: Partial<AmityRejectionLogOptions> = {}) {
  const warnings: string[] = [];
  const debugs: Array<[string, string | undefined]> = [];
  const log = new AmityRejectionLog({
    warn: (m) => warnings.push(m),
    debug: (reason, detail) => debugs.push([reason, detail]),
    ...options,
  });
  return { log, warnings, debugs };
}

const SECRET = 'whsec_3f9a1c0b7e5d2a8c4b6f1e0d9c8b7a6f';
const signature = createHmac('sha256', SECRET).update('{"event":"x"}').digest('base64');
const shape = describeAmityHeader('x-amity-signature', signature);

describe('AmityRejectionLog', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('writes the first rejection of a reason at once, then one summary per minute with counts', () => {
    const { log, warnings, debugs } = setup();
    log.record('401 bad signature', shape);
    expect(warnings).toEqual(['401 bad signature x1 (header x-amity-signature, 44 chars); repeats are summarised every 60 s']);
    log.record('401 bad signature', shape);
    log.record('401 bad signature', shape);
    log.record('401 bad signature', shape);
    jest.advanceTimersByTime(AMITY_REJECTION_LOG_INTERVAL_MS - 1);
    expect(warnings).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(warnings[1]).toBe('401 bad signature x3 in 60 s (header x-amity-signature, 44 chars)');
    // DEBUG still sees every request.
    expect(debugs).toHaveLength(4);
    expect(debugs[0]).toEqual(['401 bad signature', 'header x-amity-signature, 44 chars']);
    log.close();
  });

  it('keeps a flood to one WARN per reason per interval, and counts every request', () => {
    const { log, warnings } = setup();
    for (let second = 0; second < 180; second++) {
      for (let i = 0; i < 2_000; i++) log.record('401 bad signature', shape);
      for (let i = 0; i < 10; i++) log.record('415 unsupported media type', 'content-type text/plain');
      jest.advanceTimersByTime(1_000);
    }
    const signatureLines = warnings.filter((w) => w.startsWith('401'));
    const mediaLines = warnings.filter((w) => w.startsWith('415'));
    // The first at once, then one per minute for three minutes.
    expect(signatureLines).toHaveLength(4);
    expect(mediaLines).toHaveLength(4);
    const counted = signatureLines.map((line) => Number(/ x(\d+)/.exec(line)![1])).reduce((a, b) => a + b, 0);
    expect(counted).toBe(180 * 2_000);
    log.close();
  });

  it('gives each detail its count when they differ, and caps how many it keeps', () => {
    const { log, warnings } = setup();
    log.record('401 bad signature', shape);
    log.record('401 bad signature', shape);
    log.record('401 bad signature', describeAmityHeader('x-amity-signature', undefined));
    log.record('401 bad signature', describeAmityHeader('x-amity-signature', ['a', 'b']));
    for (let i = 0; i < 5; i++) log.record('401 bad signature', `variant ${i}`);
    jest.advanceTimersByTime(AMITY_REJECTION_LOG_INTERVAL_MS);
    expect(warnings[1]).toBe(
      '401 bad signature x8 in 60 s (header x-amity-signature, 44 chars x1; no x-amity-signature header x1; 2 x-amity-signature headers x1; variant 0 x1; other x4)',
    );
    log.close();
  });

  it('forgets a reason that went quiet, so its next rejection is written at once again', () => {
    const { log, warnings } = setup();
    log.record('405 method not allowed');
    jest.advanceTimersByTime(AMITY_REJECTION_LOG_INTERVAL_MS);
    expect(warnings).toHaveLength(1);
    jest.advanceTimersByTime(10 * AMITY_REJECTION_LOG_INTERVAL_MS);
    log.record('405 method not allowed');
    expect(warnings).toEqual([
      '405 method not allowed x1; repeats are summarised every 60 s',
      '405 method not allowed x1; repeats are summarised every 60 s',
    ]);
    log.close();
  });

  it('never writes a secret or signature, even when a caller passes one by mistake', () => {
    const { log, warnings, debugs } = setup();
    log.record('401 bad signature', `got ${signature} expected ${createHmac('sha256', SECRET).update('').digest('hex')}`);
    log.record(`401 bad signature ${SECRET}`);
    log.close();
    const written = [...warnings, ...debugs.flat()].join('\n');
    expect(written).not.toContain(signature);
    expect(written).not.toContain(SECRET);
    expect(written).not.toContain(SECRET.slice(6, 26));
    expect(warnings[0]).toBe('401 bad signature x1 (got <redacted, 44 chars> expected <redacted, 64 chars>); repeats are summarised every 60 s');
    // Header names and prose stay readable.
    expect(shape).toBe('header x-amity-signature, 44 chars');
  });

  it('bounds the reasons it tracks: more go to one shared bucket that names them', () => {
    const { log, warnings } = setup({ maxReasons: 2 });
    log.record('400 a');
    log.record('400 b');
    log.record('400 c', 'why');
    log.record('400 d');
    jest.advanceTimersByTime(AMITY_REJECTION_LOG_INTERVAL_MS);
    expect(warnings).toEqual([
      '400 a x1; repeats are summarised every 60 s',
      '400 b x1; repeats are summarised every 60 s',
      'other rejections x1 (400 c: why); repeats are summarised every 60 s',
      'other rejections x1 in 60 s (400 d)',
    ]);
    log.close();
  });

  it('writes what is pending on close, then only DEBUG', () => {
    const { log, warnings, debugs } = setup();
    log.record('503 busy');
    jest.advanceTimersByTime(12_000);
    log.record('503 busy');
    log.record('503 busy');
    log.close();
    expect(warnings).toEqual(['503 busy x1; repeats are summarised every 60 s', '503 busy x2 in 12 s']);
    log.record('503 busy');
    jest.advanceTimersByTime(10 * AMITY_REJECTION_LOG_INTERVAL_MS);
    expect(warnings).toHaveLength(2);
    expect(debugs).toHaveLength(4);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('AmityRejectionLog timers', () => {
  it('never keeps the process alive', () => {
    const log = new AmityRejectionLog({ warn: () => undefined });
    const spy = jest.spyOn(globalThis, 'setTimeout');
    log.record('401 bad signature');
    const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    spy.mockRestore();
    log.close();
  });
});
