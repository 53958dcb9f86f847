export * from './case-event.message';
export * from './feed-notice';
export * from './feed.contract';
export * from './case-event.mapping';
export * from './tracking-token';
export * from './inspection-event';
export * from './campaign-event';
