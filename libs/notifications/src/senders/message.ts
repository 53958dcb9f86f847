import type { NotificationSubject } from '../notification-event';

/** A notification as a destination renders it. */
export interface OutgoingMessage {
  event: string;
  at: string;
  notificationId: string;
  deliveryId: string;
  subject: NotificationSubject;
  /** PUBLIC_BASE_URL + the subject's path. */
  link: string;
}

/** The title line: the subject's title and, when there is one, the case code. */
export function headline(message: OutgoingMessage): string {
  return message.subject.caseCode ? `${message.subject.title} ${message.subject.caseCode}` : message.subject.title;
}

/** The message as markdown (WeCom and DingTalk robots). */
export function markdownOf(message: OutgoingMessage): string {
  const lines = [`### ${headline(message)}`, `> ${message.event} · ${message.at}`];
  for (const line of message.subject.lines ?? []) lines.push(`- ${line}`);
  lines.push(`[打开 / Open](${message.link})`);
  return lines.join('\n\n');
}

/** The message as plain text (email). */
export function textOf(message: OutgoingMessage): string {
  const lines = [headline(message), '', ...(message.subject.lines ?? []), '', `${message.event} · ${message.at}`, message.link];
  return lines.join('\n');
}

/** The link of a subject: the platform's public address and the console path (start page without one). */
export function linkOf(publicBaseUrl: string, subject: NotificationSubject): string {
  const path = subject.path ?? (subject.caseId ? `/cases/${subject.caseId}` : '/');
  return `${publicBaseUrl}${path.startsWith('/') ? path : `/${path}`}`;
}
