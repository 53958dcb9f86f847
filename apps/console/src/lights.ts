// The traffic light of a case as the server gives it (light, limitUsed): colours, labels, the order.
import type { ReturnReasonType, TrafficLight } from './domain-types';
import { t, type MessageKey } from './i18n';

export type { TrafficLight };

export const LIGHT_COLOURS: Record<TrafficLight, string> = { green: '#27ae60', yellow: '#f1c40f', red: '#e74c3c' };

const LIGHT_RANK: Record<TrafficLight, number> = { red: 0, yellow: 1, green: 2 };

/** The server's order (sort=light): red first, then yellow, green, cases without a light; by share used within a colour. */
export function byLight<T extends { light?: TrafficLight | null; limitUsed?: number | null }>(items: readonly T[]): T[] {
  const rank = (c: T) => (c.light ? LIGHT_RANK[c.light] : 3);
  return [...items].sort((a, b) => rank(a) - rank(b) || (b.limitUsed ?? -1) - (a.limitUsed ?? -1));
}

/** What the dot says (its title): the colour and the share of the limit used. */
export function lightTitle(light: TrafficLight | null | undefined, limitUsed: number | null | undefined): string {
  if (!light) return t('lightNone');
  const name = t(({ green: 'lightGreen', yellow: 'lightYellow', red: 'lightRed' } as const)[light]);
  return limitUsed === null || limitUsed === undefined ? name : `${name} · ${t('limitUsed')} ${Math.round(limitUsed * 100)}%`;
}

/** The return types a chief chooses from (回退类型), in the order shown. */
export const RETURN_TYPES: readonly ReturnReasonType[] = ['wrong_place', 'wrong_category', 'not_ours', 'needs_department', 'duplicate', 'other'];

export function returnTypeName(type: ReturnReasonType): string {
  return t(`rt_${type}` as MessageKey);
}
