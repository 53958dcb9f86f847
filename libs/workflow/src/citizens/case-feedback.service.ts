import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { caseActionAllowed } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { ANONYMOUS_CITIZEN, type Actor } from '../actor';
import { BusinessCalendarService } from '../business-calendar.service';
import { CaseError } from '../case-error';
import { appendCaseEvent } from '../case-events.store';
import { CaseLimitService } from '../case-limit.service';
import { toCaseState } from '../case-row';
import { CaseWorkflowService, loadCaseWithLastEvent } from '../case-workflow.service';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { caseShapeOf } from '../transition';
import { feedbackGiven, insertFeedback, lockTrackedCase, readReopenWindow } from './follow-up.sql';
import { REOPEN_NOTE, reopenRefusal } from './reopen-window';

/** The holder of a case's tracking token, as the access model knows them (the token checked by the caller). */
export function tokenHolder(caseId: string): Actor {
  return { ...ANONYMOUS_CITIZEN, trackedCaseIds: new Set([caseId]) };
}

export interface FeedbackInput {
  satisfied: boolean;
  comment?: string;
}

export interface FeedbackOutcome {
  feedbackId: string;
  /** Whether this "not fixed" reopened the case (rework). */
  reopened: boolean;
  /** Why a "not fixed" did not reopen it (`reopen_window_passed`, `already_reopened`); null otherwise. */
  notReopenedBecause: 'reopen_window_passed' | 'already_reopened' | null;
}

/** Each 404 of the follow-up is this one, whether the case is missing or the token is not its own: existence is not revealed. */
export function notTracked(caseId: string): CaseError {
  return new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);
}

/**
 * The reporter's feedback after a close (domain.md 9): once per close, on a closed case only; a
 * "not fixed" (`satisfied: false`) within 7 natural days of the close reopens the case once as
 * rework (the workflow's `reopen` transition), later or a second time it is only recorded. The
 * feedback row, its `case.feedback` event and the reopen are one transaction.
 */
@Injectable()
export class CaseFeedbackService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
    @Inject(CaseLimitService) private readonly limits: CaseLimitService,
    @Inject(CaseWorkflowService) private readonly workflow: CaseWorkflowService,
  ) {}

  async give(caseId: string, token: string, input: FeedbackInput): Promise<FeedbackOutcome> {
    const outcome = await this.db.transaction(async (m): Promise<FeedbackOutcome> => {
      if (!(await lockTrackedCase(m, caseId, token))) throw notTracked(caseId);
      const { last_event: last, ...row } = await loadCaseWithLastEvent(m, caseId);
      const actor = tokenHolder(caseId);
      if (!caseActionAllowed(actor, caseShapeOf(toCaseState(row, last)), 'feedback')) throw notTracked(caseId);
      if (row.status !== 'closed' || !row.closed_at) {
        throw new CaseError('illegal_transition', `feedback is given once the case is closed; it is ${row.status} / 结案后方可评价`, undefined, row.status);
      }
      const closedAt = new Date(row.closed_at);
      if (await feedbackGiven(m, caseId, closedAt)) throw new CaseError('feedback_given', 'feedback on this close was given already / 已评价过');
      const now = this.clock.now();
      const refusal = input.satisfied ? null : reopenRefusal(await readReopenWindow(m, caseId, closedAt, this.calendar.offsetMinutes), now);
      const reopens = !input.satisfied && refusal === null;
      const feedbackId = randomUUID();
      const comment = input.comment?.trim() || null;
      const message = await appendCaseEvent(
        m,
        row,
        { type: 'case.feedback', from: 'closed', to: 'closed', reason: null, note: comment, evidence: { feedbackId, satisfied: input.satisfied, reopens } },
        actor,
        now,
        { previousState: last?.state ?? null, light: await this.limits.lightAt(m, row, now) },
      );
      await insertFeedback(m, { id: feedbackId, caseId, closedAt, satisfied: input.satisfied, comment, reopened: reopens, eventSeq: message.seq, at: now });
      if (reopens) await this.workflow.applyIn(m, caseId, 'reopen', actor, { note: REOPEN_NOTE });
      const because = refusal?.code === 'already_reopened' || refusal?.code === 'reopen_window_passed' ? refusal.code : null;
      return { feedbackId, reopened: reopens, notReopenedBecause: because };
    });
    this.relay.wake();
    return outcome;
  }
}
