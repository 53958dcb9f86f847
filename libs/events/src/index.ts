export * from './case-event.message';
