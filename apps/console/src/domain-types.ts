// The few domain types the feed contract names, without the server's entities (console tsconfig maps
// @wangge/domain here, so `import type` of libs/events stays type-only and pulls in no server code).
export type { CaseStatus } from '../../../libs/domain/src/case/case-status';
export type { CaseEventType } from '../../../libs/domain/src/case/case-action';
export type { CaseLight, TrafficLight, ReturnReasonType } from '../../../libs/domain/src/case/case-light';
