export * from './case-event.message';
export * from './feed-notice';
export * from './feed.contract';
