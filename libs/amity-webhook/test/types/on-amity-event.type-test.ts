// Type tests: checked by `npm run typecheck` (tsc), never run. Each @ts-expect-error line must be
// an error; if the typing it guards got looser, tsc reports the directive as unused.
import { Injectable } from '@nestjs/common';
import {
  AMITY_CURRENT_EVENT_NAMES,
  AMITY_DEPRECATED_EVENT_NAMES,
  AMITY_EVENT_REGISTRY,
  AMITY_WEBHOOK_EVENT_NAMES,
  OnAmityEvent,
  resolveAmityEventContext,
  type AmityActorPath,
  type AmityAnyWebhookEvent,
  type AmityCurrentEventName,
  type AmityDeprecatedEventName,
  type AmityEventDataMap,
  type AmityEventPayload,
  type AmityEventSubjectKeyMap,
  type AmityPostDto,
  type AmityWebhookEvent,
  type AmityWebhookEventName,
} from '../../src/index.js';
import { amityFixture, sendAmityWebhook, signAmityFixture } from '../../src/testing/index.js';

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

  // Registered ahead of the event's other listeners.
  @OnAmityEvent('message.didUpdate', { prependListener: true })
  first(event: AmityWebhookEvent<'message.didUpdate'>): void {
    void event;
  }

  // @ts-expect-error @OnEvent's options that would hide failures from the dispatcher are not options here
  @OnAmityEvent('message.didUpdate', { suppressErrors: true })
  swallowed(event: AmityWebhookEvent<'message.didUpdate'>): void {
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

// Deprecated names: a precise map to their current names, which have the same data.
const current: 'message.didCreate' = AMITY_DEPRECATED_EVENT_NAMES['message.created'];
const renamed: 'video-streaming.didStop' = AMITY_DEPRECATED_EVENT_NAMES['v3.video-streaming.didStop'];
// @ts-expect-error a current name is not a deprecated one
void AMITY_DEPRECATED_EVENT_NAMES['message.didCreate'];
const currentNames: readonly AmityCurrentEventName[] = AMITY_CURRENT_EVENT_NAMES;
// @ts-expect-error deprecated names are not current names
const notCurrent: AmityCurrentEventName = 'channel.membersAdded';
const sameData: AmityEventDataMap['channel.membersAdded'] = {} as AmityEventDataMap['channel.didAddUsers'];
const deprecatedFor: 'channel.didJoin' = AMITY_EVENT_REGISTRY['channel.joined'].deprecatedFor;
const noDeprecatedFor: undefined = AMITY_EVENT_REGISTRY['channel.didJoin'].deprecatedFor;
void [current, renamed, currentNames, notCurrent, sameData, deprecatedFor, noDeprecatedFor];
type DeprecatedAreKnown = AmityDeprecatedEventName extends AmityWebhookEventName ? true : never;
const deprecatedAreKnown: DeprecatedAreKnown = true;

// Every subject key is a key of its event's data (or '.' for data itself).
type BadSubjectKeys = {
  [N in AmityWebhookEventName]: AmityEventSubjectKeyMap[N] extends '.' | keyof AmityEventDataMap[N] ? never : N;
}[AmityWebhookEventName];
const noBadSubjectKeys: [BadSubjectKeys] extends [never] ? true : BadSubjectKeys = true;
void [deprecatedAreKnown, noBadSubjectKeys];

// Actor paths are checked against the DTO: a string field, or a string field of an entity (list).
const messageActor: AmityActorPath<AmityEventDataMap['message.didCreate']> = ['messages', 'userId'];
const channelActor: AmityActorPath<AmityEventDataMap['channel.didCreate']> = ['userIds'];
const reactor: AmityActorPath<AmityEventDataMap['v3.post.didAddReaction']> = ['reactor', 'userId'];
// @ts-expect-error not a field of a message
const wrongField: AmityActorPath<AmityEventDataMap['message.didCreate']> = ['messages', 'postedUserId'];
// @ts-expect-error `messages` is a list of entities, not an id
const notAString: AmityActorPath<AmityEventDataMap['message.didCreate']> = ['messages'];
// @ts-expect-error `data.from` is a string, it has no fields
const tooDeep: AmityActorPath<AmityEventDataMap['follow.didCreate']> = ['from', 'userId'];
void [messageActor, channelActor, reactor, wrongField, notAString, tooDeep];

// The context is typed by event.
declare const postData: AmityEventDataMap['v3.post.didCreate'];
const postSubject: AmityPostDto | undefined = resolveAmityEventContext('v3.post.didCreate', postData).subject;
// @ts-expect-error data of another event
resolveAmityEventContext('v3.comment.didCreate', postData);
void postSubject;

// Fixtures are typed as the wire sends them: channel may be one object or a list.
const joined = amityFixture('channel.didJoin');
const channelField = joined.data.channel;
const channelIdOfOne: string = Array.isArray(channelField) ? channelField[0]!.channelId : channelField.channelId;
// @ts-expect-error the list shape is not guaranteed on the wire
void joined.data.channel[0];
void channelIdOfOne;

// The client takes an event name, a body object or the exact body.
void sendAmityWebhook('http://127.0.0.1:3000', 'v3.post.didCreate', { secret: 's' });
void sendAmityWebhook('http://127.0.0.1:3000', amityFixture('poll.didVote'), { secret: 's', path: '/hooks' });
const signedBody: string = signAmityFixture('message.didCreate', 's').body;
// @ts-expect-error a secret is required
void sendAmityWebhook('http://127.0.0.1:3000', 'v3.post.didCreate', {});
void signedBody;
