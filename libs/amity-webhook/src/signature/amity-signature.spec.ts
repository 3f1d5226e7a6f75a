import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHmac, createSecretKey } from 'node:crypto';
import { signAmityPayload, verifyAmitySignature } from './amity-signature.js';

const body = Buffer.from('{"event":"message.didCreate","data":{"messages":[{"text":"héllo 👋"}]}}', 'utf8');

describe('signAmityPayload', () => {
  it('is Base64(HMAC-SHA256(secret, raw bytes))', () => {
    const expected = createHmac('sha256', 'topsecret').update(body).digest('base64');
    expect(signAmityPayload(body, 'topsecret')).toBe(expected);
    expect(signAmityPayload(body.toString('utf8'), 'topsecret')).toBe(expected);
    expect(signAmityPayload(body, createSecretKey(Buffer.from('topsecret')))).toBe(expected);
  });
});

describe('verifyAmitySignature', () => {
  const secrets = ['first', 'second'];

  it('returns the index of the secret that signed the body', () => {
    expect(verifyAmitySignature(body, signAmityPayload(body, 'first'), secrets)).toBe(0);
    expect(verifyAmitySignature(body, signAmityPayload(body, 'second'), secrets)).toBe(1);
  });

  it('keeps no state between calls: a valid check after a malformed header still matches', () => {
    expect(verifyAmitySignature(body, 'not-a-signature', secrets)).toBe(-1);
    expect(verifyAmitySignature(body, signAmityPayload(body, 'second'), secrets)).toBe(1);
    expect(verifyAmitySignature(body, signAmityPayload(body, 'other'), secrets)).toBe(-1);
  });

  it('accepts KeyObjects as secrets', () => {
    const keys = secrets.map((s) => createSecretKey(Buffer.from(s)));
    expect(verifyAmitySignature(body, signAmityPayload(body, 'second'), keys)).toBe(1);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyAmitySignature(body, signAmityPayload(body, 'other'), secrets)).toBe(-1);
  });

  it('rejects the right signature over different bytes (re-serialised JSON)', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2));
    expect(verifyAmitySignature(pretty, signAmityPayload(body, 'first'), secrets)).toBe(-1);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too short', signAmityPayload(body, 'first').slice(0, 43)],
    ['too long', `${signAmityPayload(body, 'first')}=`],
    ['unpadded', signAmityPayload(body, 'first').replace('=', 'A')],
    ['base64url alphabet', signAmityPayload(body, 'first').replace(/\+/g, '-').replace(/\//g, '_').padEnd(44, '-')],
    ['hex digest', createHmac('sha256', 'first').update(body).digest('hex')],
    ['whitespace', ` ${signAmityPayload(body, 'first').slice(1)}`],
  ])('rejects a %s signature', (_name, signature) => {
    expect(verifyAmitySignature(body, signature, secrets)).toBe(-1);
  });

  it('rejects the right signature with any one character outside the Base64 alphabet', () => {
    const good = signAmityPayload(body, 'first');
    const outside = fc.oneof(fc.constantFrom('-', '_', '=', ' ', '.', '\u0000', '\u00e9', '\u2028', '\ud83d'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c: string) => !/[A-Za-z0-9+/]/.test(c)));
    fc.assert(
      fc.property(fc.nat(43), outside, (at, c) => {
        const bad = good.slice(0, at) + c + good.slice(at + 1);
        fc.pre(bad.length === 44 && bad !== good);
        expect(verifyAmitySignature(body, bad, secrets)).toBe(-1);
      }),
    );
  });

  it('does not let a previous verification leak into the next one', () => {
    const good = signAmityPayload(body, 'first');
    expect(verifyAmitySignature(body, good, secrets)).toBe(0);
    expect(verifyAmitySignature(body, 'A'.repeat(43) + '=', secrets)).toBe(-1);
    expect(verifyAmitySignature(body, good, secrets)).toBe(0);
  });
});
