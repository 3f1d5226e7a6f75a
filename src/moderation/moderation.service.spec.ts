import { afterEach, describe, expect, it } from '@jest/globals';
import type { AmityMessageDto } from 'nestjs-amity-webhook';
import type { DatabaseConnection } from '../database/database.connection.js';
import { openTestDatabase, testBackends } from '../database/database.testing.js';
import { ModerationService } from './moderation.service.js';

function message(messageId: string, text: string | undefined): AmityMessageDto {
  return { messageId, channelId: 'channel-1', userId: 'user-1', data: text === undefined ? undefined : { text } } as unknown as AmityMessageDto;
}

describe.each(testBackends())('ModerationService on %s', (backend) => {
  let connection: DatabaseConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    connection = undefined;
  });

  async function service(maxFlags: number, bannedWords = ['scam']): Promise<ModerationService> {
    connection = await openTestDatabase(backend);
    return new ModerationService({ bannedWords, maxFlags }, connection);
  }

  it('records only messages with banned words, and lists them newest first', async () => {
    const moderation = await service(10);
    const raised = await moderation.review(connection!.db, 'message.didCreate', [message('m1', 'a scam'), message('m2', 'clean'), message('m3', undefined)]);
    expect(raised.map((flag) => flag.messageId)).toEqual(['m1']);
    await moderation.review(connection!.db, 'message.didUpdate', [message('m4', 'SCAM again')]);
    const flags = await moderation.list();
    expect(flags).toEqual([
      { messageId: 'm4', channelId: 'channel-1', userId: 'user-1', words: ['scam'], event: 'message.didUpdate', flaggedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) },
      { messageId: 'm1', channelId: 'channel-1', userId: 'user-1', words: ['scam'], event: 'message.didCreate', flaggedAt: raised[0]!.flaggedAt },
    ]);
  });

  it('keeps the last maxFlags decisions', async () => {
    const moderation = await service(3);
    for (let i = 1; i <= 5; i++) await moderation.review(connection!.db, 'message.didCreate', [message(`m${i}`, 'scam')]);
    expect((await moderation.list()).map((flag) => flag.messageId)).toEqual(['m5', 'm4', 'm3']);
    const { rows } = (await connection!.db.execute('SELECT count(*)::int AS n FROM moderation_flags')) as unknown as { rows: Array<{ n: number }> };
    expect(rows[0]!.n).toBe(3);
  });

  it('keeps words with any characters intact', async () => {
    const moderation = await service(5, ['мошенник', 'c++', "it's"]);
    await moderation.review(connection!.db, 'message.didCreate', [message('m1', "Он мошенник, it's C++")]);
    expect((await moderation.list())[0]!.words).toEqual(['мошенник', "it's", 'c++']);
  });
});
