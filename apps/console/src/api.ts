import type { TrafficLight } from './lights';
// A thin fetch wrapper: JSON in and out, the bearer token, and API errors as readable messages.
import type { CaseStatus } from './contract';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; problem: string }[] = [],
    /** The whole error body, for the parts of the API that answer more than the one shape (a refused import's groups). */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The words to show for a failed call: the API's `message` (and the fields it names), never a bare code. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    // A field's problem the message already says (a 403's reason, say) is not repeated.
    const fields = err.details.filter((d) => !err.message.includes(d.problem)).map((d) => `${d.field}: ${d.problem}`);
    return fields.length ? `${err.message} (${fields.join('; ')})` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

let token: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setToken(value: string | null): void {
  token = value;
}

/** The bearer token the API calls carry now (for requests made outside `request`, e.g. map tiles). */
export function currentToken(): string | null {
  return token;
}

export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export async function request<T>(method: string, path: string, body?: unknown, init: { anonymous?: boolean; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (token && !init.anonymous) headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload });
  } catch (err) {
    throw new ApiError(0, 'network', `网络错误，请检查连接 / network error: ${(err as Error).message}`);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text.slice(0, 200) };
    }
  }
  if (!res.ok) {
    const e = (data ?? {}) as { message?: string | string[]; error?: string; details?: { field: string; problem: string }[]; currentStatus?: string };
    const message = Array.isArray(e.message) ? e.message.join('; ') : e.message ?? `${res.status} ${res.statusText}`;
    if (res.status === 401 && token && !init.anonymous) onUnauthorized?.();
    throw new ApiError(res.status, e.error ?? String(res.status), message, e.details ?? [], data);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: { anonymous?: boolean }) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: { anonymous?: boolean; headers?: Record<string, string> }) => request<T>('POST', path, body ?? {}, opts),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/**
 * Saves what an authenticated GET (or, given a body, POST) answers as a file the browser downloads:
 * a CSV export, say. A CSV answer is saved whatever its status (a refused import's list of problems is a 422).
 */
export async function download(path: string, filename: string, post?: unknown): Promise<void> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(
    path,
    post === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(post) },
  );
  if (!res.ok && !res.headers.get('content-type')?.startsWith('text/csv')) {
    const body = (await res.json().catch(() => ({}))) as { message?: string; error?: string };
    throw new ApiError(res.status, body.error ?? String(res.status), body.message ?? `${res.status} ${res.statusText}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Uploads photos one by one (POST /api/v1/media) and returns their ids. */
export async function uploadPhotos(files: readonly File[], opts?: { anonymous?: boolean }): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const form = new FormData();
    form.append('file', file, file.name);
    ids.push((await request<{ id: string }>('POST', '/api/v1/media', form, opts)).id);
  }
  return ids;
}

export interface ConsoleConfig {
  /** Where the browser reaches the feed; null: the page's host on feedPort. */
  feedUrl: string | null;
  feedPort: number;
  /** Optional base-map raster tiles ({z}/{x}/{y}); null: the district's own layers only. */
  mapTileUrl: string | null;
  mapTileAttribution: string | null;
}

/** The feed's URL for this page: configured, or the page's own host on the feed port. */
export function feedUrlOf(config: ConsoleConfig, location: { protocol: string; hostname: string }): string {
  if (config.feedUrl) return config.feedUrl.replace(/\/+$/, '');
  return `${location.protocol}//${location.hostname}:${config.feedPort}`;
}

export interface TimelineEntry {
  seq: number;
  type: string;
  at: string;
  actor: { id?: string | null; role: string; name?: string | null };
  from: string | null;
  to: string;
  reason: string | null;
  note: string | null;
  evidence: { mediaIds?: string[]; [k: string]: unknown };
}

export interface Supervision {
  by: { id: string | null; name: string };
  instruction: string;
  dueAt: string | null;
  at: string;
}

export interface ChiefRef {
  id: number;
  name: string;
  level: number;
  title: string;
  titleEn: string;
}

export interface DepartmentRef {
  kind: 'department';
  code: string;
  name: string;
}

/** The chief who handles the case, if a chief does (not a department). */
export function chiefAssignee(a: ChiefRef | DepartmentRef | null): ChiefRef | null {
  return a && !('kind' in a) ? a : null;
}

/** The department that handles the case, if one does. */
export function departmentAssignee(a: ChiefRef | DepartmentRef | null): DepartmentRef | null {
  return a && 'kind' in a ? a : null;
}

export interface CaseView {
  id: string;
  code: string;
  status: CaseStatus;
  category: { code: string; kind: string; name: string; nameEn: string };
  /** The standard version and condition the case was judged by (kept when newer versions come). */
  standard?: { version: number; conditionNo: number; condition: string; conditionEn: string; timeLimit: { value: number; clockType: string } } | null;
  description: string;
  /** null (with the cell, street and community) for a case reported by address only, until an operator places it. */
  location: { lng: number; lat: number } | null;
  address: string | null;
  addressId?: string | null;
  gridCell: { code: string } | null;
  street: { code: string; name: string } | null;
  community: { code: string; name: string } | null;
  road: { id: number; name: string } | null;
  /** The road chief handling the case, or a department (domain.md 9: `{kind: 'department', code, name}`). */
  assignee: ChiefRef | DepartmentRef | null;
  /** A department's case: the road chief coordinating it. */
  coordinator?: ChiefRef | null;
  escalationLevel: number;
  deadlineAt: string | null;
  overdue: boolean;
  /** The traffic light of the current limit (staff views), and the share of it used (0.85 = 85 %). */
  light?: TrafficLight | null;
  limitUsed?: number | null;
  /** 挂账 (staff views): the suspension in force, and an operator's request awaiting a leader. */
  suspension?: { since: string; until: string; reason: string | null; clockType: string | null; leftMs: number } | null;
  suspendRequest?: { reason: string; until: string } | null;
  routingReason: string | null;
  routingReasonZh: string | null;
  possibleDuplicateOf: string | null;
  publicNote: string | null;
  reworkCount: number;
  /** Extensions granted, and the hours a chief asked for that no leader has decided yet (null: none asked). */
  extensionCount?: number;
  extensionRequestedHours?: number | null;
  /** Where it came from (`leader`: a 批示件). */
  source?: string;
  /** Staff views: a leader's supervision (督办) while the case is open. */
  supervision?: Supervision | null;
  media: { id: string; url: string; contentType: string }[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  trackingToken?: string;
  timeline?: TimelineEntry[];
  /** The public view (tracking page): the reporter's updates an operator approved. */
  updates?: PublicCaseUpdate[];
  /** The public view: the feedback the reporter may still give after close. */
  followUp?: FollowUp;
}

/** A reporter's update as the public sees it (approved). */
export interface PublicCaseUpdate {
  id: string;
  note: string;
  media: { id: string; url: string }[];
  at: string;
}

/** A reporter's update as staff see it (the case drawer), pending or decided. */
export interface CaseUpdate extends PublicCaseUpdate {
  status: 'pending' | 'approved' | 'rejected';
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
}

export interface FollowUp {
  feedback: { satisfied: boolean; at: string; reopened: boolean } | null;
  canGiveFeedback: boolean;
  notFixedReopens: boolean;
}

/** `POST /api/v1/cases/:id/feedback` answers this. */
export interface FeedbackAnswer {
  feedbackId: string;
  reopened: boolean;
  notReopenedBecause: 'reopen_window_passed' | 'already_reopened' | null;
  case: CaseView;
}

export interface Category {
  code: string;
  kind: 'component' | 'event';
  major: { code: string; name: string; nameEn: string };
  minor: { code: string; name: string; nameEn: string };
  autoRegister: boolean;
  standard: {
    version: number;
    conditions: {
      no: number;
      condition: string;
      conditionEn: string;
      timeLimit: { value: number; clockType: string };
      closingCondition: string;
      closingConditionEn: string;
    }[];
  } | null;
}
