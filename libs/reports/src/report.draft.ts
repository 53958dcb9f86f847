/**
 * The draft of a new case, pure: from a report that passed its checks to the row the insert
 * statement writes (the JSON of the workflow's report insert, CaseReportStore) and the answer the reporter gets, whose code and event
 * seqs the statement draws and `withDrawn` fills in afterwards.
 */
import type { ReportSource } from '@wangge/domain';
import { INITIAL_EVENT_STATE, toCaseEventMessage, trackingTokenHash } from '@wangge/events';
import { reportRow, SYSTEM_ACTOR, toCaseView, type Actor, type CaseView } from '@wangge/workflow';
import type { AcceptedReport, ReportInput } from './report.types';
import type { IdempotencyRequest } from './idempotency';

/** One accepted report of a batch, with all a draft is made of. */
export interface ReportDraftInput {
  /** Its 1-based place in the statement. */
  n: number;
  id: string;
  input: ReportInput;
  actor: Actor;
  source: ReportSource;
  idempotency?: IdempotencyRequest;
  accepted: AcceptedReport;
  now: Date;
  /** The tracking token (only its hash is written). */
  trackingToken: string;
  /** The content type of each uploaded photo the batch holds. */
  contentTypes: ReadonlyMap<string, string>;
}

export interface ReportDraft {
  /** The answer before the code and seqs are drawn (stored as it is under the Idempotency-Key). */
  view: CaseView;
  /** One element of the report insert's JSON array. */
  json: Record<string, unknown>;
}

/** The case, its first event(s), photos, feed messages and stored answer, as the insert statement takes them. */
export function reportDraft(d: ReportDraftInput): ReportDraft {
  const { input, actor, source, accepted: c, now } = d;
  const mediaIds = [...new Set(input.mediaIds ?? [])];
  const evidence = mediaIds.length > 0 ? { mediaIds } : {};
  const reportedEvidence = c.duplicate ? { ...evidence, possibleDuplicateOf: c.duplicate } : evidence;
  const row = reportRow({ id: d.id, input, actor, source, accepted: c, now });
  const events = [
    { type: 'case.reported' as const, actor, to: 'reported' as const, evidence: reportedEvidence },
    ...(c.registers ? [{ type: 'case.registered' as const, actor: SYSTEM_ACTOR, to: 'registered' as const, evidence: {} }] : []),
  ];
  const messages = Object.fromEntries(
    events.map((ev) => [
      ev.type,
      toCaseEventMessage(row, { seq: 0, type: ev.type, at: now, actorId: ev.actor.id, actorRole: ev.actor.role, status: ev.to }, INITIAL_EVENT_STATE),
    ]),
  );
  const json = {
    n: d.n,
    id: d.id,
    status: row.status,
    category_code: row.category_code,
    standard_id: row.standard_id,
    description: row.description,
    address: row.address,
    lng: row.lng,
    lat: row.lat,
    coord: row.reported_coord_system,
    reported_lng: input.location?.lng ?? null,
    reported_lat: input.location?.lat ?? null,
    address_id: row.address_id,
    cell: row.grid_cell_code,
    street: row.street_code,
    community: row.community_code,
    road_id: row.road_id,
    segment_id: row.segment_id,
    road_distance_m: row.road_distance_m,
    source,
    channel: row.channel,
    reporter_id: actor.id,
    reporter_name: row.reporter_name,
    reporter_phone: row.reporter_phone,
    reporter_email: row.reporter_email,
    token_hash: trackingTokenHash(d.trackingToken),
    duplicate: c.duplicate,
    registers: c.registers,
    actor_role: actor.role,
    actor_name: actor.name,
    evidence: reportedEvidence,
    media: mediaIds,
    messages,
  };
  // The answer, with the code and seqs the statement draws filled in afterwards. Stored as it
  // is under the Idempotency-Key (without the tracking token, derived again from the id; code
  // and seqs read back from the case), in the same statement.
  const media = mediaIds.map((id) => ({ id, url: `/api/v1/media/${id}`, contentType: d.contentTypes.get(id) ?? 'application/octet-stream' }));
  const view = toCaseView(row, 'reporter', media, null);
  view.timeline = events.map((ev) => ({
    seq: 0,
    type: ev.type,
    at: now.toISOString(),
    actor: { role: ev.actor.role },
    from: 'reported',
    to: ev.to,
    reason: null,
    note: null,
    evidence: ev.evidence,
  }));
  const key = d.idempotency ? { key_scope: d.idempotency.scope, key: d.idempotency.key, request_hash: d.idempotency.hash, response: view } : {};
  return { view, json: { ...json, ...key } };
}

/** An answer with the case's code and the seqs of its first events. */
export function withDrawn(view: CaseView, code: string | null, seqs: readonly (string | number)[] | null): CaseView {
  if (code === null || seqs === null) return view;
  return { ...view, code, timeline: view.timeline?.map((t, i) => ({ ...t, seq: Number(seqs[i] ?? t.seq) })) };
}
