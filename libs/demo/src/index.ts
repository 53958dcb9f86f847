export { AlreadySeededError, DEMO_DISTRICT, isDatabaseEmpty, seedDemo, type SeedDemoOptions, type SeedSummary } from './seed-demo';
export { demoRefusal } from './demo-in-production';
