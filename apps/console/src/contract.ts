// The live feed's TypeScript contract, shared with the server (libs/events/src/feed.contract.ts).
export type {
  CaseEventPayload,
  FeedAck,
  FeedClientEvents,
  FeedClosing,
  FeedErrorPayload,
  FeedHandshakeAuth,
  FeedReady,
  FeedResync,
  FeedServerEvents,
  FeedStats,
  StreetCounts,
} from '../../../libs/events/src/feed.contract';
export type { CampaignEventPayload } from '../../../libs/events/src/campaign-event';
export type { CaseStatus, CaseEventType } from './domain-types';
