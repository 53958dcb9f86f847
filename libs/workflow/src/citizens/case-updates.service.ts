import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { caseActionAllowed, caseVisible, type PublicCaseUpdate } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import type { CaseStatus, Role } from '@wangge/domain';
import type { Actor } from '../actor';
import { CaseError } from '../case-error';
import { appendCaseEvent } from '../case-events.store';
import { CaseLimitService } from '../case-limit.service';
import { toCaseState, type CaseRow, type LastEventRow } from '../case-row';
import { loadCaseWithLastEvent } from '../case-workflow.service';
import { attachMedia } from '../media-links';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { caseShapeOf } from '../transition';
import { decideUpdate, insertUpdate, lockTrackedCase, lockUpdate, updatesOf, type UpdateRow, type UpdateStatus } from './follow-up.sql';
import { notTracked, tokenHolder } from './case-feedback.service';

/** Who decides a citizen's update (their jurisdiction: the access model's `decide-update`). */
export const UPDATE_DECIDERS: readonly Role[] = ['operator', 'leader'];

/** A case's terminal states in which the reporter no longer adds updates (the case lives on elsewhere, or is no case). */
const NO_UPDATES: readonly CaseStatus[] = ['merged', 'cancelled', 'rejected'];

export type UpdateDecision = 'approve' | 'reject';

/** A citizen's update as staff see it (the case drawer). */
export interface CaseUpdateView {
  id: string;
  note: string;
  media: { id: string; url: string }[];
  status: UpdateStatus;
  at: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
}

/**
 * The reporter's updates (domain.md 9): a note and photos added with the tracking token, pending
 * until an operator or leader whose jurisdiction holds the case approves or rejects it; the public
 * sees approved ones only. Each step writes its case event (staff's feed) in its transaction.
 */
@Injectable()
export class CaseUpdatesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CaseLimitService) private readonly limits: CaseLimitService,
  ) {}

  async add(caseId: string, token: string, input: { note: string; mediaIds?: string[] }): Promise<CaseUpdateView> {
    const id = await this.db.transaction(async (m) => {
      if (!(await lockTrackedCase(m, caseId, token))) throw notTracked(caseId);
      const { last_event: last, ...row } = await loadCaseWithLastEvent(m, caseId);
      const actor = tokenHolder(caseId);
      if (!caseActionAllowed(actor, caseShapeOf(toCaseState(row, last)), 'add-update')) throw notTracked(caseId);
      if (NO_UPDATES.includes(row.status)) {
        throw new CaseError('illegal_transition', `the case is ${row.status}; it takes no updates / 案卷已${row.status === 'merged' ? '合并' : '办结'}，不再接受补充`, undefined, row.status);
      }
      const note = input.note.trim();
      if (!note) throw new CaseError('bad_input', 'note must not be empty / 请填写补充内容', 'note');
      const mediaIds = input.mediaIds ?? [];
      const updateId = randomUUID();
      const seq = await this.record(m, row, last, { type: 'case.update_added', note, evidence: { updateId, ...(mediaIds.length ? { mediaIds } : {}) } }, actor);
      await attachMedia(m, caseId, mediaIds, seq);
      await insertUpdate(m, { id: updateId, caseId, note, mediaIds, eventSeq: seq, at: this.clock.now() });
      return updateId;
    });
    this.relay.wake();
    const [view] = (await updatesOf(this.db.manager, caseId, false)).filter((u) => u.id === id).map(staffView);
    return view;
  }

  /** Approve or reject a pending update; the same decision again changes nothing, the other one is refused (409). */
  async decide(caseId: string, updateId: string, decision: UpdateDecision, actor: Actor, reason?: string): Promise<CaseUpdateView> {
    if (!UPDATE_DECIDERS.includes(actor.role as Role)) {
      throw new CaseError('forbidden', `role ${actor.role} may not decide a citizen’s update / 当前角色无权审核市民补充`);
    }
    const changed = await this.db.transaction(async (m) => {
      const row = await this.lockForStaff(m, caseId, actor);
      if (!caseActionAllowed(actor, caseShapeOf(toCaseState(row, row.last_event)), 'decide-update')) {
        throw new CaseError('outside_jurisdiction', 'the case is outside your street / 案卷不在您的辖区');
      }
      const update = await lockUpdate(m, caseId, updateId);
      if (!update) throw new CaseError('not_found', `no update ${updateId} on this case / 补充信息不存在`, 'updateId');
      const status = decision === 'approve' ? 'approved' : 'rejected';
      if (update.status === status) return false;
      if (update.status !== 'pending') throw new CaseError('update_decided', `the update is ${update.status} already / 该补充已审核`);
      const words = reason?.trim() || null;
      const now = this.clock.now();
      await decideUpdate(m, { id: updateId, status, at: now, by: actor.id, reason: words });
      const { last_event: last, ...current } = row;
      await this.record(m, current, last, { type: decision === 'approve' ? 'case.update_approved' : 'case.update_rejected', note: words, evidence: { updateId } }, actor);
      return true;
    });
    if (changed) this.relay.wake();
    const [view] = (await updatesOf(this.db.manager, caseId, false)).filter((u) => u.id === updateId).map(staffView);
    return view;
  }

  /** A case's updates for staff who see it (pending first in the drawer's own order: as they came). */
  async list(caseId: string, actor: Actor): Promise<CaseUpdateView[]> {
    const { last_event: last, ...row } = await loadCaseWithLastEvent(this.db.manager, caseId).catch(() => {
      throw new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);
    });
    if (!caseVisible(actor, caseShapeOf(toCaseState(row, last)), 'staff')) throw new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);
    return (await updatesOf(this.db.manager, caseId, false)).map(staffView);
  }

  /** Locks the case; a case the actor does not see is answered 404 (not revealed). */
  private async lockForStaff(m: EntityManager, caseId: string, actor: Actor): Promise<CaseRow & { last_event: LastEventRow | null }> {
    const locked: unknown[] = await m.query(`SELECT id FROM case_file WHERE id = $1 FOR UPDATE`, [caseId]);
    if (locked.length === 0) throw new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);
    const row = await loadCaseWithLastEvent(m, caseId);
    if (!caseVisible(actor, caseShapeOf(toCaseState(row, row.last_event)))) throw new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);
    return row;
  }

  private async record(
    m: EntityManager,
    row: CaseRow,
    last: LastEventRow | null,
    e: { type: 'case.update_added' | 'case.update_approved' | 'case.update_rejected'; note: string | null; evidence: Record<string, unknown> },
    actor: Actor,
  ): Promise<number> {
    const now = this.clock.now();
    const message = await appendCaseEvent(m, row, { type: e.type, from: row.status, to: row.status, reason: null, note: e.note, evidence: e.evidence }, actor, now, {
      previousState: last?.state ?? null,
      light: await this.limits.lightAt(m, row, now),
    });
    return message.seq;
  }
}

/** The approved updates of a case, for the public view. */
export async function approvedUpdates(m: EntityManager, caseId: string): Promise<PublicCaseUpdate[]> {
  return (await updatesOf(m, caseId, true)).map((u) => ({ id: u.id, note: u.note, media: mediaOf(u), at: new Date(u.created_at).toISOString() }));
}

function mediaOf(u: UpdateRow): { id: string; url: string }[] {
  return u.media_ids.map((id) => ({ id, url: `/api/v1/media/${id}` }));
}

function staffView(u: UpdateRow): CaseUpdateView {
  return {
    id: u.id,
    note: u.note,
    media: mediaOf(u),
    status: u.status,
    at: new Date(u.created_at).toISOString(),
    decidedAt: u.decided_at ? new Date(u.decided_at).toISOString() : null,
    decidedBy: u.decided_by_name,
    reason: u.decision_reason,
  };
}
