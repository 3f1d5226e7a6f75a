import { describe, expect, it } from '@jest/globals';
import { AmityChannelDto } from '../dto/channel/amity-channel.dto.js';
import { AmityHashFlagDto } from '../dto/common/amity-hash-flag.dto.js';
import { AmityMessageDto } from '../dto/message/amity-message.dto.js';
import { validateAmityEventData } from './amity-event.validator.js';

const channel = { channelId: 'ch-1', type: 'community', memberCount: 2, createdAt: '2026-01-01T00:00:00.000Z' };

describe('validateAmityEventData', () => {
  it('turns valid data into DTO instances and keeps unknown fields', () => {
    const result = validateAmityEventData('message.didCreate', {
      messages: [{ messageId: 'm', channelId: 'c', userId: 'u', data: { text: '你好 👋' }, brandNewField: { x: 1 } }],
      extra: true,
    });
    expect(result.valid).toBe(true);
    if (!result.valid) return;
    expect(result.data.messages[0]).toBeInstanceOf(AmityMessageDto);
    expect(result.data.messages[0]!.data?.text).toBe('你好 👋');
    expect((result.data.messages[0] as unknown as Record<string, unknown>)['brandNewField']).toEqual({ x: 1 });
    expect((result.data as unknown as Record<string, unknown>)['extra']).toBe(true);
    expect(result.data.users).toEqual([]);
  });

  it('accepts data.channel as an object (vendor sample) or an array (spec) and always yields an array', () => {
    const asObject = validateAmityEventData('channel.didCreate', { channel, users: [], userIds: ['u'] });
    const asArray = validateAmityEventData('channel.didCreate', { channel: [channel], users: [], userIds: ['u'] });
    for (const result of [asObject, asArray]) {
      expect(result.valid).toBe(true);
      if (!result.valid) continue;
      expect(Array.isArray(result.data.channel)).toBe(true);
      expect(result.data.channel[0]).toBeInstanceOf(AmityChannelDto);
      expect(result.data.channel[0]!.channelId).toBe('ch-1');
    }
  });

  it('normalises hashflag (vendor sample) and hashFlag (spec) to hashFlag', () => {
    const lower = validateAmityEventData('channel.didJoin', { channel, users: [{ userId: 'u', hashflag: { bits: 8, hashes: 2, hash: [] } }] });
    const upper = validateAmityEventData('channel.didJoin', { channel, users: [{ userId: 'u', hashFlag: { bits: 8, hashes: 2, hash: [] } }] });
    for (const result of [lower, upper]) {
      expect(result.valid).toBe(true);
      if (!result.valid) continue;
      expect(result.data.users[0]!.hashFlag).toBeInstanceOf(AmityHashFlagDto);
      expect(result.data.users[0]!.hashFlag?.bits).toBe(8);
    }
  });

  it('reports missing identifiers with their paths', () => {
    const result = validateAmityEventData('message.didUpdate', { messages: [{ messageId: 'm' }] });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(['messages.0.channelId', 'messages.0.userId']);
  });

  it('rejects an empty entity list and a non-object data', () => {
    expect(validateAmityEventData('message.didCreate', { messages: [] }).valid).toBe(false);
    expect(validateAmityEventData('channel.didClose', { channel: [] }).valid).toBe(false);
    expect(validateAmityEventData('channel.didClose', null).valid).toBe(false);
    expect(validateAmityEventData('channel.didClose', [channel]).valid).toBe(false);
  });

  it('rejects wrong types of optional fields', () => {
    const result = validateAmityEventData('message.didCreate', { messages: [{ messageId: 'm', channelId: 'c', userId: 'u', flagCount: 'many' }] });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.issues[0]).toMatchObject({ path: 'messages.0.flagCount' });
  });
});
