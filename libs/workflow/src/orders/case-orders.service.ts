import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { LeaderAct } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import type { Actor } from '../actor';
import { CaseError } from '../case-error';
import { appendCaseEvent } from '../case-events.store';
import { CaseLimitService } from '../case-limit.service';
import { toCaseState } from '../case-row';
import { loadCase, loadCaseWithLastEvent, type ApplyResult } from '../case-workflow.service';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { leaderOrder, type LeaderOrderInput } from './leader-order';

/**
 * A leader's orders on a case (督办, 批示): locks the case, asks the pure {@link leaderOrder}, and
 * records the supervision it carries and its one case event (with its feed message) in one
 * transaction, as every case event is recorded.
 */
@Injectable()
export class CaseOrders {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CaseLimitService) private readonly limits: CaseLimitService,
  ) {}

  async give(caseId: string, act: LeaderAct, actor: Actor, input: LeaderOrderInput): Promise<ApplyResult> {
    const result = await this.db.transaction(async (m): Promise<ApplyResult> => {
      const locked: unknown[] = await m.query(`SELECT id FROM case_file WHERE id = $1 FOR UPDATE`, [caseId]);
      if (locked.length === 0) throw new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);
      const { last_event: last, ...row } = await loadCaseWithLastEvent(m, caseId);
      const now = this.clock.now();
      const outcome = leaderOrder(toCaseState(row, last), act, actor, input, now);
      if (outcome.kind === 'repeat') return { caseId, changed: false, seq: null };
      if (outcome.supervision) {
        await m.query(`UPDATE case_file SET supervision = $2, updated_at = now() WHERE id = $1`, [caseId, outcome.supervision]);
      }
      const after = outcome.supervision ? await loadCase(m, caseId) : row;
      const message = await appendCaseEvent(m, after, outcome.event, actor, now, {
        previousState: last?.state ?? null,
        light: await this.limits.lightAt(m, after, now),
      });
      return { caseId, changed: true, seq: message.seq };
    });
    if (result.changed) this.relay.wake();
    return result;
  }
}
