// Type tests: checked by `npm run typecheck` (tsc), never run. Each @ts-expect-error line must be
// an error; if the typing it guards got looser, tsc reports the directive as unused.
import { Injectable } from '@nestjs/common';
import {
  AMITY_WEBHOOK_EVENT_NAMES,
  OnAmityEvent,
  type AmityAnyWebhookEvent,
  type AmityEventPayload,
  type AmityWebhookEvent,
  type AmityWebhookEventName,
} from '../../src/index.js';
import { amityFixture } from '../../src/testing/index.js';

@Injectable()
export class TypedListeners {
  @OnAmityEvent('message.didCreate')
  onMessage(event: AmityWebhookEvent<'message.didCreate'>): string | undefined {
    const text: string | undefined = event.data.messages[0]?.data?.text;
    const sender: string | undefined = event.subject?.userId;
    return text ?? sender;
  }

  @OnAmityEvent('v3.post.didCreate')
  async onPost(event: AmityEventPayload<'v3.post.didCreate'>): Promise<void> {
    const postId: string | undefined = event.subject?.postId;
    void postId;
  }

  @OnAmityEvent('follow.didRequest')
  onFollow(event: AmityWebhookEvent<'follow.didRequest'>): void {
    const from: string = event.data.from;
    const subjectTo: string | undefined = event.subject?.to;
    void [from, subjectTo];
  }

  @OnAmityEvent('channel.didAddUsers')
  onAdded(event: AmityWebhookEvent<'channel.didAddUsers'>): void {
    const adder: string | undefined = event.data.adderId;
    const channelId: string | undefined = event.data.channel[0]?.channelId;
    void [adder, channelId];
  }

  @OnAmityEvent('tag.created')
  onTag(event: AmityWebhookEvent<'tag.created'>): void {
    const tagId: string = event.data.tagId;
    void tagId;
  }

  // A handler may accept a wider type than the event's payload.
  @OnAmityEvent('poll.didVote')
  onAnything(event: AmityAnyWebhookEvent): void {
    void event;
  }

  // Every event, as the union.
  @OnAmityEvent('**')
  onEvery(event: AmityAnyWebhookEvent): void {
    if (event.known && event.event === 'v3.comment.didReply') {
      const commentId: string = event.data.comments[0]!.commentId;
      void commentId;
    }
    if (!event.known) {
      const data: unknown = event.data;
      void data;
    }
  }

  // @ts-expect-error a message handler typed for a post event
  @OnAmityEvent('message.didCreate')
  wrongPayload(event: AmityWebhookEvent<'v3.post.didCreate'>): void {
    void event;
  }

  // @ts-expect-error a parameter that is not an event at all
  @OnAmityEvent('user.didUpdate')
  notAnEvent(event: string): void {
    void event;
  }

  // @ts-expect-error an unknown event name
  @OnAmityEvent('message.didExplode')
  unknownName(event: AmityAnyWebhookEvent): void {
    void event;
  }

  // @ts-expect-error the vendor's misspelling is mapped at runtime, not a name to subscribe to
  @OnAmityEvent('follow.didDecineRequest')
  misspelled(event: AmityAnyWebhookEvent): void {
    void event;
  }
}

// Data types follow the name.
const post = amityFixture('v3.post.didCreate', { posts: [{ postId: 'p-1' }] });
const postId: string = post.data.posts[0]!.postId;
// @ts-expect-error a post fixture has no messages
void post.data.messages;
// @ts-expect-error overrides are checked against the event's data
amityFixture('message.didCreate', { messages: [{ messageId: 42 }] });
// @ts-expect-error fixtures exist for known names only
amityFixture('story.didCreate');

// The name list is typed.
const names: readonly AmityWebhookEventName[] = AMITY_WEBHOOK_EVENT_NAMES;
// @ts-expect-error narrowing needs `known`: an unknown event's data is `unknown`
const unnarrowed = (event: AmityAnyWebhookEvent) => event.data.messages;
void [postId, names, unnarrowed];
