export { AlreadySeededError, DEMO_DISTRICT, isDatabaseEmpty, seedDemo, type SeedDemoOptions, type SeedSummary } from './seed-demo';
export { demoRefusal } from './demo-in-production';
export { MAX_HISTORY_DAYS, seedHistory, type HistoryAppeal, type HistoryOptions, type HistorySummary } from './history/seed-history';
export { planDemoCampaign, type DemoCampaignPlan, type DemoPlace, type DemoProgress } from './campaign-plan';
export { planDemoInspections, type DemoInspectionPlan, type DemoShift } from './inspection-plan';
export { planDemoDepartments, type DemoDepartment, type DemoDepartmentMember } from './department-plan';
