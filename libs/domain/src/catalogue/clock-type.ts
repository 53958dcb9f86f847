/**
 * How a time limit is counted: `urgent_hours` continuously; `work_hours` 08:00-12:00 and 14:00-18:00
 * on work days; `work_days` whole work days; `natural_days` calendar days.
 */
export const CLOCK_TYPES = ['urgent_hours', 'work_hours', 'work_days', 'natural_days'] as const;
export type ClockType = (typeof CLOCK_TYPES)[number];

export function isClockType(value: unknown): value is ClockType {
  return typeof value === 'string' && (CLOCK_TYPES as readonly string[]).includes(value);
}

/** 处置时限: a value on a clock. */
export interface TimeLimit {
  value: number;
  clockType: ClockType;
}

export const CATEGORY_KINDS = ['component', 'event'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

/** Category code = kind prefix (C component 部件, E event 事件) + major (2 digits) + minor (2 digits). */
export const CATEGORY_CODE_PATTERN = /^[CE]\d{4}$/;

export function categoryCode(kind: CategoryKind, majorCode: string, minorCode: string): string {
  return (kind === 'component' ? 'C' : 'E') + majorCode + minorCode;
}
