// The one payload every contender receives: a realistic signed `message.didCreate` (~1 KB, with
// Unicode text), made unique per request by a sequence number so that duplicate suppression never
// turns load into no-ops and exactly-once can be checked by id.
import { createHmac } from 'node:crypto';

/** Secret shared by the load generator and every server. */
export const BENCH_SECRET = 'bench-secret-7f3c2a9e-do-not-use-in-production';
/** Route every contender serves. */
export const BENCH_PATH = '/webhooks/amity';
export const SIGNATURE_HEADER = 'x-amity-signature';

// Placeholders: inside a string (messageId) and as a bare number (metadata.bench.seq).
const SEQ_IN_ID = '__BENCH_SEQ_ID__';
const SEQ_NUMBER = '__BENCH_SEQ_NUMBER__';

/** The envelope, with placeholders where the per-request sequence number goes. */
function envelope() {
  return {
    event: 'message.didCreate',
    data: {
      messages: [
        {
          messageId: `65f1c0a7e2b84c0012ab${SEQ_IN_ID}`,
          channelId: 'support-fr-7431',
          userId: 'user-2f9d41',
          type: 'text',
          data: { text: 'Bonjour 👋 Zoë, la commande nº 4521 est expédiée ✅ — 配達は明日です。Danke schön, Łukasz!' },
          metadata: { client: 'ios/17.4.1', locale: 'fr-FR', bench: { seq: SEQ_NUMBER } },
          tags: ['support', 'order'],
          channelSegment: 1287,
          isDeleted: false,
          flagCount: 0,
          hashFlag: { bits: 0, hashes: 0, hash: [] },
          reactions: { like: 2, '❤️': 1 },
          reactionsCount: 3,
          mentionees: [{ type: 'user', userIds: ['user-91ac07'] }],
          createdAt: '2026-11-22T08:14:03.512Z',
          updatedAt: '2026-11-22T08:14:03.512Z',
          editedAt: '2026-11-22T08:14:03.512Z',
        },
      ],
      users: [
        {
          userId: 'user-2f9d41',
          displayName: 'Zoë Łukasiewicz',
          description: 'Équipe support — Lyon',
          avatarFileId: '65a0f1e2d3c4b5a697887766',
          roles: ['moderator'],
          metadata: { tier: 'gold' },
          flagCount: 0,
          hashflag: { bits: 0, hashes: 0, hash: [] },
          createdAt: '2024-03-01T10:00:00.000Z',
          updatedAt: '2026-11-20T17:45:12.031Z',
        },
        {
          userId: 'user-91ac07',
          displayName: '山田 花子',
          roles: [],
          flagCount: 0,
          hashflag: { bits: 0, hashes: 0, hash: [] },
          createdAt: '2025-07-15T06:30:00.000Z',
          updatedAt: '2026-11-21T22:01:44.900Z',
        },
      ],
    },
  };
}

// JSON text split around the sequence number, so a body costs two concatenations, not a stringify.
// The number appears twice: as the messageId suffix and as metadata.bench.seq.
const TEMPLATE = JSON.stringify(envelope()).replace(`"${SEQ_NUMBER}"`, SEQ_NUMBER).split(/__BENCH_SEQ_(?:ID|NUMBER)__/);

/** The JSON text of request number `seq` (a non-negative integer). */
export function payloadText(seq) {
  const id = String(seq);
  return TEMPLATE[0] + id + TEMPLATE[1] + id + TEMPLATE[2];
}

/** Base64(HMAC-SHA256(secret, raw bytes)), as social.plus signs. */
export function sign(raw, secret = BENCH_SECRET) {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

/** Body and headers of request number `seq`. */
export function signedRequest(seq) {
  const body = Buffer.from(payloadText(seq), 'utf8');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: sign(body),
    },
  };
}

/** The sequence number carried by a parsed payload's `data` (or `undefined`). */
export function seqOf(data) {
  const seq = data?.messages?.[0]?.metadata?.bench?.seq;
  return typeof seq === 'number' ? seq : undefined;
}

/**
 * A hostile but correctly signed `message.didCreate` (issue 13): one message carrying `keys`
 * extra keys (about 1 MiB for 60,000) and one invalid field (a numeric `messageId`). `n` makes
 * each copy distinct, so duplicate suppression never short-cuts it.
 */
export function poisonRequest(n, keys = 60_000) {
  const message = { messageId: 'poison', channelId: `poison-${n}`, userId: 'u', data: { text: 'x' } };
  for (let i = 0; i < keys; i++) message[`k${i}`] = i;
  message.messageId = 42;
  const body = Buffer.from(JSON.stringify({ event: 'message.didCreate', data: { messages: [message], users: [] } }), 'utf8');
  return { body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(body) } };
}
