import { words } from './admin/admin-i18n';

/** The events of notifications (libs/notifications NOTIFICATION_EVENTS), in both languages. */
export const NOTIFICATION_EVENT_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  'task.assigned': ['新任务', 'New task'],
  'task.escalated': ['案卷升级', 'Escalated'],
  'task.due_soon': ['即将到期（1 小时）', 'Due within the hour'],
  'task.overdue': ['任务超期', 'Overdue'],
  'case.supervised': ['领导督办', 'Supervised'],
  'inspection.due': ['巡查到期', 'Inspection due'],
  'inspection.missed': ['巡查漏检', 'Inspection missed'],
  'duty.missed': ['值守缺岗', 'Duty missed'],
  'milestone.overdue': ['节点超期', 'Milestone overdue'],
  'bulletin.published': ['通报发布', 'Bulletin published'],
};
export const NOTIFICATION_EVENTS = Object.keys(NOTIFICATION_EVENT_NAMES);

export const nw = words({
  channels: ['通知渠道', 'Notification channels'],
  channelsHint: ['事件发生时推送到 Webhook（签名）、企业微信群机器人、钉钉群机器人或邮箱；密钥保存后不再显示。', 'Events are pushed to a signed webhook, a WeCom or DingTalk group robot, or an email address; secrets are never shown again.'],
  kind: ['类型', 'Kind'],
  name: ['名称', 'Name'],
  target: ['地址', 'Target'],
  targetHint: ['URL 或邮箱地址', 'URL or email address'],
  events: ['事件', 'Events'],
  street: ['街道代码（空：全区）', 'Street code (empty: district)'],
  secret: ['密钥（Webhook 必填；钉钉加签可选）', 'Secret (webhook: required; DingTalk signing: optional)'],
  add: ['添加渠道', 'Add channel'],
  test: ['发送测试', 'Send a test'],
  testSent: ['测试消息已排队', 'Test message queued'],
  remove: ['删除', 'Delete'],
  confirmRemove: ['确定删除该渠道？', 'Delete this channel?'],
  none: ['还没有通知渠道', 'No channels yet'],
  deliveries: ['投递记录', 'Deliveries'],
  status: ['状态', 'Status'],
  all: ['全部', 'All'],
  failed: ['失败（含死信）', 'Failed (and dead)'],
  dead: ['死信', 'Dead letters'],
  pending: ['待发送', 'Pending'],
  sent: ['已发送', 'Sent'],
  attempts: ['尝试次数', 'Attempts'],
  lastError: ['最近错误', 'Last error'],
  retry: ['重试', 'Retry'],
  noDeliveries: ['没有投递记录', 'No deliveries'],
  event: ['事件', 'Event'],
  caseCode: ['案卷', 'Case'],
  at: ['时间', 'Time'],
  myNotifications: ['我的通知', 'My notifications'],
  preferences: ['通知设置', 'Preferences'],
  email: ['邮箱（空：只在此处显示）', 'Email (empty: here only)'],
  quiet: ['免打扰时段', 'Quiet hours'],
  quietHint: ['免打扰期间邮件延后至结束时发送（本区时间）', 'Email waits until quiet hours end (district time)'],
  from: ['从', 'From'],
  to: ['到', 'To'],
  save: ['保存', 'Save'],
  saved: ['已保存', 'Saved'],
  markRead: ['全部标为已读', 'Mark all read'],
  unread: ['未读', 'unread'],
  nothing: ['暂无通知', 'No notifications'],
  openCase: ['查看', 'Open'],
});

/** An event's name in the current language. */
export function eventName(event: string, lang: 'zh' | 'en'): string {
  const pair = NOTIFICATION_EVENT_NAMES[event];
  return pair ? pair[lang === 'zh' ? 0 : 1] : event;
}
