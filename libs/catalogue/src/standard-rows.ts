import type { CategoryStandard, ClockType } from '@wangge/domain';

/** One condition of a standard version, as the catalogue's reads show it. */
export interface StandardCondition {
  id: number;
  no: number;
  condition: string;
  conditionEn: string;
  timeLimit: { value: number; clockType: ClockType };
  closingCondition: string;
  closingConditionEn: string;
}

/** A standard row as one condition of its version. */
export function conditionOf(s: CategoryStandard): StandardCondition {
  return {
    id: s.id,
    no: s.conditionNo,
    condition: s.condition,
    conditionEn: s.conditionEn,
    timeLimit: { value: s.timeLimitValue, clockType: s.clockType },
    closingCondition: s.closingCondition,
    closingConditionEn: s.closingConditionEn,
  };
}

/** Whether a standard row is in force on the local `day` at the instant `on`: in effect, not yet retired. */
export function isInForce(s: Pick<CategoryStandard, 'effectiveFrom' | 'retiredAt'>, day: string, on: Date): boolean {
  return s.effectiveFrom <= day && (s.retiredAt === null || new Date(s.retiredAt).getTime() > on.getTime());
}
