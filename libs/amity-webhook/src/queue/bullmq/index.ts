export { AmityBullmqQueue, type AmityQueueLogger } from './amity-bullmq.queue.js';
export {
  AmityBullmqAdmin,
  type AmityDeadLetter,
  type AmityDeadLetterFilter,
  type AmityQueueStats,
  type AmityReplayResult,
} from './amity-bullmq.admin.js';
export type { AmityBullmqRetry } from './amity-bullmq.jobs.js';
