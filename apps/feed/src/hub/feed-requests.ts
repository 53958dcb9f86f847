import type { FeedErrorPayload, ResumeRequest, TrackRequest } from '@wangge/events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: FeedErrorPayload };

const bad = (field: string, problem: string): { ok: false; error: FeedErrorPayload } => ({
  ok: false,
  error: { code: 'bad_request', field, message: problem },
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownField(body: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  return Object.keys(body).find((k) => !allowed.includes(k));
}

/** `afterSeq`: a whole number ≥ 0 (also as the handshake's `auth.afterSeq`). */
export function checkAfterSeq(value: unknown): Checked<number> {
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return bad('afterSeq', 'afterSeq must be a whole number ≥ 0 / afterSeq 须为非负整数');
  return { ok: true, value: n };
}

/** `epoch`: absent, or the database identity of `feed.ready` (a UUID); also as the handshake's `auth.epoch`. */
export function checkEpoch(value: unknown): Checked<string | undefined> {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== 'string' || !UUID.test(value)) return bad('epoch', 'epoch must be the epoch of feed.ready (a UUID) / epoch 须为 feed.ready 给出的 epoch (UUID)');
  return { ok: true, value: value.toLowerCase() };
}

export function checkResume(body: unknown): Checked<ResumeRequest> {
  if (!isObject(body)) return bad('afterSeq', 'send {afterSeq, epoch} / 请发送 {afterSeq, epoch}');
  const extra = unknownField(body, ['afterSeq', 'epoch']);
  if (extra !== undefined) return bad(extra, `unknown field ${extra} / 未知字段 ${extra}`);
  const afterSeq = checkAfterSeq(body.afterSeq);
  if (!afterSeq.ok) return afterSeq;
  const epoch = checkEpoch(body.epoch);
  if (!epoch.ok) return epoch;
  return { ok: true, value: { afterSeq: afterSeq.value, ...(epoch.value ? { epoch: epoch.value } : {}) } };
}

export function checkTrack(body: unknown): Checked<TrackRequest> {
  if (!isObject(body)) return bad('caseId', 'send {caseId, trackingToken} / 请发送 {caseId, trackingToken}');
  const extra = unknownField(body, ['caseId', 'trackingToken']);
  if (extra !== undefined) return bad(extra, `unknown field ${extra} / 未知字段 ${extra}`);
  if (typeof body.caseId !== 'string' || !UUID.test(body.caseId)) return bad('caseId', 'caseId must be a case id (UUID) / caseId 须为案件编号 (UUID)');
  if (typeof body.trackingToken !== 'string' || body.trackingToken.length < 16 || body.trackingToken.length > 256) {
    return bad('trackingToken', 'trackingToken must be the token given when the case was reported / trackingToken 须为上报时获得的查询码');
  }
  return { ok: true, value: { caseId: body.caseId.toLowerCase(), trackingToken: body.trackingToken } };
}

export function checkUntrack(body: unknown): Checked<{ caseId: string }> {
  if (!isObject(body) || typeof body.caseId !== 'string' || !UUID.test(body.caseId)) {
    return bad('caseId', 'caseId must be a case id (UUID) / caseId 须为案件编号 (UUID)');
  }
  const extra = unknownField(body, ['caseId']);
  if (extra !== undefined) return bad(extra, `unknown field ${extra} / 未知字段 ${extra}`);
  return { ok: true, value: { caseId: body.caseId.toLowerCase() } };
}
