import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/** Length of Base64(32 bytes): the only well-formed `x-amity-signature` length. */
const SIGNATURE_LENGTH = 44;

/** 1 for the characters of the standard Base64 alphabet (`A-Z a-z 0-9 + /`), by char code. */
const BASE64_ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_ALPHABET[c.charCodeAt(0)] = 1;

/**
 * Whether `signature` is spelled as Base64 of 32 bytes: 43 alphabet characters and one `=`
 * (what `/^[A-Za-z0-9+/]{43}=$/` matches, without the regular expression's cost on every request).
 */
function isBase64Signature(signature: string): boolean {
  if (signature.length !== SIGNATURE_LENGTH || signature.charCodeAt(SIGNATURE_LENGTH - 1) !== 61) return false;
  for (let i = 0; i < SIGNATURE_LENGTH - 1; i++) {
    if (BASE64_ALPHABET[signature.charCodeAt(i)] !== 1) return false;
  }
  return true;
}

/**
 * Signs a payload the way social.plus does: Base64(HMAC-SHA256(secret, raw bytes)).
 *
 * @param raw the exact bytes (or string, taken as UTF-8) that are sent as the request body
 * @param secret the webhook secret
 */
export function signAmityPayload(raw: Buffer | string, secret: string | KeyObject): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

/**
 * Checks an `x-amity-signature` header against the raw body for each secret in turn. Pure: the
 * header's shape and length are checked before any comparison, and each comparison runs in
 * constant time.
 *
 * @param raw the exact bytes received
 * @param signature the header value (`undefined` when absent)
 * @param secrets the secrets to try, in order
 * @returns the index of the first secret whose signature matches, or `-1`
 */
export function verifyAmitySignature(raw: Buffer, signature: string | undefined, secrets: ReadonlyArray<string | KeyObject>): number {
  if (typeof signature !== 'string' || !isBase64Signature(signature)) return -1;
  const provided = Buffer.from(signature, 'base64');
  if (provided.length !== 32) return -1;
  for (let i = 0; i < secrets.length; i++) {
    const expected = createHmac('sha256', secrets[i]!).update(raw).digest();
    if (timingSafeEqual(expected, provided)) return i;
  }
  return -1;
}
