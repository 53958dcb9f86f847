// zh-CN by default, English on demand; the choice is kept in localStorage.
import { useEffect, useState } from 'preact/hooks';

export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'wangge.lang';

const zh = {
  appName: '网格 城市管理',
  login: '登录',
  logout: '退出',
  username: '用户名',
  password: '密码',
  signingIn: '正在登录…',
  citizenReport: '我要上报（无需登录）',
  commandCenter: '挂图作战',
  chiefTasks: '我的任务',
  warden: '网格员',
  feedLive: '实时连接',
  feedConnecting: '连接中…',
  feedLost: '连接中断，正在重连…',
  feedRefused: '连接被拒绝',
  feedCatchingUp: '正在补齐…',
  open: '在办',
  overdue: '超期',
  overdueMark: '已超期',
  lightGreen: '绿灯：时限用时不足 80%',
  lightYellow: '黄灯：时限用时 80%–100%',
  lightRed: '红灯：已超出时限',
  lightNone: '未计时',
  limitUsed: '时限已用',
  sortNewest: '最新在前',
  sortByLight: '按红黄绿灯',
  sortBy: '排序',
  returnType: '回退类型',
  rt_wrong_place: '位置错误',
  rt_wrong_category: '类别错误',
  rt_not_ours: '非本人职责',
  rt_needs_department: '需专业部门处置',
  rt_duplicate: '重复案卷',
  rt_other: '其他（须说明原因）',
  closedToday: '今日结案',
  street: '街道',
  status: '状态',
  category: '类别',
  all: '全部',
  onlyOverdue: '仅超期',
  liveEvents: '实时动态',
  cases: '案卷',
  noCases: '暂无案卷',
  deadline: '处置时限',
  timeline: '流转记录',
  photos: '照片',
  routingReason: '派遣依据',
  judgedBy: '立结案标准',
  assignee: '责任人',
  description: '问题描述',
  location: '位置',
  close: '关闭',
  register: '立案',
  reject: '不予立案',
  dispatch: '人工派遣',
  cancel: '作废',
  merge: '合并',
  place: '定位',
  locationPending: '待定位',
  clickMapToPlace: '请在地图上点击案卷位置',
  addressGiven: '上报地址',
  accept: '接收',
  return: '回退',
  resolve: '处置完成',
  verify: '核查',
  pass: '通过',
  fail: '不通过（返工）',
  reason: '原因',
  note: '说明',
  chief: '路长',
  targetCase: '合并到案卷 ID',
  submit: '提交',
  noTasks: '暂无任务',
  escalated: '升级督办',
  assignedToMe: '派给我办理',
  escalatedToMe: '升级给我督办',
  escalatedAbove: '已升级上级督办',
  handledBy: '承办人',
  newTask: '新任务',
  report: '上报问题',
  myChecks: '核查任务',
  useGps: '使用 GPS 定位',
  tapMap: '或在地图上点选位置',
  lng: '经度',
  lat: '纬度',
  addPhotos: '拍照 / 选择照片',
  reported: '已上报',
  trackingLink: '查询链接',
  trackTitle: '案卷查询',
  closingEvidence: '结案凭证',
  publicNote: '公开说明',
  required: '必填',
  uploading: '正在上传照片…',
  zoomIn: '放大地图以显示单元网格',
  refreshing: '刷新中…',
  notFound: '页面不存在',
  loading: '加载中…',
  chiefs: '路长',
  level: '级',
  code: '编号',
  createdAt: '上报时间',
  duplicateOf: '疑似重复',
  roads: '道路',
  lang: 'English',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appName: 'Wangge city management',
  login: 'Sign in',
  logout: 'Sign out',
  username: 'Username',
  password: 'Password',
  signingIn: 'Signing in…',
  citizenReport: 'Report a problem (no account needed)',
  commandCenter: 'Command center',
  chiefTasks: 'My tasks',
  warden: 'Warden',
  feedLive: 'Live',
  feedConnecting: 'Connecting…',
  feedLost: 'Connection lost, reconnecting…',
  feedRefused: 'Connection refused',
  feedCatchingUp: 'Catching up…',
  open: 'Open',
  overdue: 'Overdue',
  overdueMark: 'Overdue',
  lightGreen: 'Green: under 80 % of the limit used',
  lightYellow: 'Yellow: 80–100 % of the limit used',
  lightRed: 'Red: past the limit',
  lightNone: 'Not timed',
  limitUsed: 'Limit used',
  sortNewest: 'Newest first',
  sortByLight: 'By traffic light',
  sortBy: 'Sort',
  returnType: 'Why return',
  rt_wrong_place: 'Wrong place',
  rt_wrong_category: 'Wrong category',
  rt_not_ours: 'Not ours',
  rt_needs_department: 'Needs a department',
  rt_duplicate: 'Duplicate',
  rt_other: 'Other (say why)',
  closedToday: 'Closed today',
  street: 'Street',
  status: 'Status',
  category: 'Category',
  all: 'All',
  onlyOverdue: 'Overdue only',
  liveEvents: 'Live events',
  cases: 'Cases',
  noCases: 'No cases',
  deadline: 'Deadline',
  timeline: 'Timeline',
  photos: 'Photos',
  routingReason: 'Routing reason',
  judgedBy: 'Standard',
  assignee: 'Assignee',
  description: 'Description',
  location: 'Location',
  close: 'Close',
  register: 'Register',
  reject: 'Reject',
  dispatch: 'Dispatch by hand',
  cancel: 'Cancel case',
  merge: 'Merge',
  place: 'Place',
  locationPending: 'location pending',
  clickMapToPlace: 'Click on the map where the case is',
  addressGiven: 'Address given',
  accept: 'Accept',
  return: 'Return',
  resolve: 'Resolved',
  verify: 'Verify',
  pass: 'Pass',
  fail: 'Fail (rework)',
  reason: 'Reason',
  note: 'Note',
  chief: 'Road chief',
  targetCase: 'Merge into case id',
  submit: 'Submit',
  noTasks: 'No tasks',
  escalated: 'Escalated',
  assignedToMe: 'Assigned to me',
  escalatedToMe: 'Escalated to me',
  escalatedAbove: 'Escalated above me',
  handledBy: 'Handled by',
  newTask: 'New task',
  report: 'Report a problem',
  myChecks: 'Checks',
  useGps: 'Use GPS position',
  tapMap: 'or tap the map',
  lng: 'Longitude',
  lat: 'Latitude',
  addPhotos: 'Take / choose photos',
  reported: 'Reported',
  trackingLink: 'Tracking link',
  trackTitle: 'Track a case',
  closingEvidence: 'Closing evidence',
  publicNote: 'Public note',
  required: 'required',
  uploading: 'Uploading photos…',
  zoomIn: 'Zoom in to show the grid cells',
  refreshing: 'Refreshing…',
  notFound: 'Page not found',
  loading: 'Loading…',
  chiefs: 'Chiefs',
  level: 'level',
  code: 'Code',
  createdAt: 'Reported at',
  duplicateOf: 'Possible duplicate of',
  roads: 'Roads',
  lang: '中文',
};

export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { zh, en };

const STATUS: Record<string, { zh: string; en: string }> = {
  reported: { zh: '已上报', en: 'Reported' },
  registered: { zh: '已立案', en: 'Registered' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  in_progress: { zh: '处置中', en: 'In progress' },
  resolved: { zh: '待核查', en: 'Resolved' },
  closed: { zh: '已结案', en: 'Closed' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  merged: { zh: '已合并', en: 'Merged' },
  cancelled: { zh: '已作废', en: 'Cancelled' },
};

const EVENT: Record<string, { zh: string; en: string }> = {
  'case.reported': { zh: '上报', en: 'reported' },
  'case.registered': { zh: '立案', en: 'registered' },
  'case.verify_requested': { zh: '请求核实', en: 'check requested' },
  'case.dispatched': { zh: '派遣', en: 'dispatched' },
  'case.accepted': { zh: '接收', en: 'accepted' },
  'case.returned': { zh: '回退', en: 'returned' },
  'case.resolved': { zh: '处置完成', en: 'resolved' },
  'case.closed': { zh: '结案', en: 'closed' },
  'case.reworked': { zh: '返工', en: 'rework' },
  'case.rejected': { zh: '不予立案', en: 'rejected' },
  'case.cancelled': { zh: '作废', en: 'cancelled' },
  'case.merged': { zh: '合并', en: 'merged' },
  'case.duplicate_merged': { zh: '重复件并入', en: 'duplicate merged' },
  'case.overdue': { zh: '超期', en: 'overdue' },
  'case.escalated': { zh: '升级督办', en: 'escalated' },
  'case.verification_overdue': { zh: '核查超期', en: 'verification overdue' },
  'case.extension_requested': { zh: '申请延期', en: 'extension requested' },
  'case.extended': { zh: '延期', en: 'extended' },
  'case.commented': { zh: '备注', en: 'comment' },
  'case.relocated': { zh: '调整网格', en: 're-zoned' },
  'case.rerouted': { zh: '调整网格改派', en: 're-routed (re-zoning)' },
  'case.placed': { zh: '定位', en: 'placed' },
};

let current: Lang = readLang();
const listeners = new Set<(lang: Lang) => void>();

function readLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  if (globalThis.document) document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const l of listeners) l(lang);
}

export function t(key: MessageKey, lang: Lang = current): string {
  return MESSAGES[lang][key];
}

export function statusName(status: string, lang: Lang = current): string {
  return STATUS[status]?.[lang] ?? status;
}

export function eventName(type: string, lang: Lang = current): string {
  return EVENT[type]?.[lang] ?? type.replace(/^case\./, '');
}

/** Re-renders the calling component when the language changes; returns the current one. */
export function useLang(): Lang {
  const [lang, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return lang;
}
