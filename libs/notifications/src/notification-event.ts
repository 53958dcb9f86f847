/** The events a notification is raised for (domain.md 9). */
export const NOTIFICATION_EVENTS = [
  'task.assigned',
  'task.escalated',
  'task.due_soon',
  'task.overdue',
  'case.supervised',
  'inspection.due',
  'inspection.missed',
  'duty.missed',
  'milestone.overdue',
  'bulletin.published',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export function isNotificationEvent(value: unknown): value is NotificationEvent {
  return typeof value === 'string' && (NOTIFICATION_EVENTS as readonly string[]).includes(value);
}

/** Where an admin's channel sends. */
export const CHANNEL_KINDS = ['webhook', 'wecom', 'dingtalk', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Where one delivery goes: a channel's kind, or a person's inbox ("my notifications") or email. */
export type DeliveryKind = ChannelKind | 'inbox';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * What a notification is about, as every destination shows it: a title (zh-CN, then English), the
 * case (id and code) when there is one, and the console path of what to open (the link is
 * PUBLIC_BASE_URL + path).
 */
export interface NotificationSubject {
  title: string;
  caseId?: string;
  caseCode?: string;
  /** A path of the console, e.g. `/cases/<id>`; absent: the console's start page. */
  path?: string;
  /** Further lines of the message body. */
  lines?: string[];
}

/** A notification a producer raises (`notify`). */
export interface NotificationRequest {
  event: NotificationEvent;
  /** The people it is for (user ids): their inbox and, by their preferences, their email. */
  recipients?: readonly string[];
  /** The street it concerns: channels of that street (and district-wide channels) receive it; absent: district-wide channels only. */
  streetCode?: string | null;
  subject: NotificationSubject;
}
