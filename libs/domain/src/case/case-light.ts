/**
 * The traffic light of an open case (domain.md 2, 数字城管 practice): green under 80 % of its current
 * limit used, yellow from 80 % to 100 %, red once the limit is used up. The rule is in libs/workflow
 * (traffic-light.ts).
 */
export const TRAFFIC_LIGHTS = ['green', 'yellow', 'red'] as const;
export type TrafficLight = (typeof TRAFFIC_LIGHTS)[number];

/** A case's light with the share of its current limit used (0.85 = 85 %; above 1 past the limit). */
export interface CaseLight {
  light: TrafficLight;
  share: number;
}

/**
 * Why a chief returns a case (回退 reason types, domain.md 2): the place or the category was wrong,
 * the case is not the chief's, it needs a department, it duplicates another, or another reason
 * (then the free reason is required).
 */
export const RETURN_REASON_TYPES = ['wrong_place', 'wrong_category', 'not_ours', 'needs_department', 'duplicate', 'other'] as const;
export type ReturnReasonType = (typeof RETURN_REASON_TYPES)[number];

export function isReturnReasonType(value: unknown): value is ReturnReasonType {
  return typeof value === 'string' && (RETURN_REASON_TYPES as readonly string[]).includes(value);
}

/** The return types that count as a wrong dispatch against whoever dispatched (准确派遣率). */
export const WRONG_DISPATCH_TYPES: readonly ReturnReasonType[] = ['wrong_place', 'wrong_category', 'not_ours', 'needs_department'];

export const RETURN_REASON_NAMES: Record<ReturnReasonType, { zh: string; en: string }> = {
  wrong_place: { zh: '位置错误', en: 'Wrong place' },
  wrong_category: { zh: '类别错误', en: 'Wrong category' },
  not_ours: { zh: '非本人职责', en: 'Not ours' },
  needs_department: { zh: '需专业部门处置', en: 'Needs a department' },
  duplicate: { zh: '重复案卷', en: 'Duplicate' },
  other: { zh: '其他', en: 'Other' },
};
