import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CaseAction } from '@wangge/domain';
import { CaseError, CaseWorkflowService, OutboxRelay, type ActionInput, type Actor, type ApplyResult } from '@wangge/workflow';
import type { IdempotencyRequest } from './idempotency';

/**
 * Case actions under an Idempotency-Key: the key is claimed in the action's own transaction, so an
 * action whose answer was lost and that is sent again (a phone's outbox after the signal returns)
 * is done once, even when other events came between: the replay answers the case as it is now.
 * A refused action claims nothing (its retry is judged again). The keys are those of the reports.
 */
@Injectable()
export class CaseActionKeysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CaseWorkflowService) private readonly workflow: CaseWorkflowService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  /** `replayed`: the key's request was done before (nothing was done now). */
  async apply(request: { caseId: string; action: CaseAction; actor: Actor; input: ActionInput; idempotency?: IdempotencyRequest }): Promise<ApplyResult & { replayed: boolean }> {
    const { caseId, action, actor, input, idempotency } = request;
    if (!idempotency) return { ...(await this.workflow.apply(caseId, action, actor, input)), replayed: false };
    const result = await this.db.transaction(async (m) => {
      if (!(await claim(m, idempotency, caseId))) return { caseId, changed: false, seq: null, replayed: true };
      return { ...(await this.workflow.applyIn(m, caseId, action, actor, input)), replayed: false };
    });
    if (result.changed) this.relay.wake();
    return result;
  }
}

/** true: the key is new and now held by this transaction; false: the same request was done before. */
async function claim(m: EntityManager, k: IdempotencyRequest, caseId: string): Promise<boolean> {
  // A second request with the key waits here for the first one's transaction, then sees its row.
  const claimed: unknown[] = await m.query(
    `INSERT INTO idempotency_key (scope, key, request_hash, status_code, response)
     VALUES ($1, $2, $3, 200, jsonb_build_object('caseId', $4::text))
     ON CONFLICT DO NOTHING RETURNING key`,
    [k.scope, k.key, k.hash, caseId],
  );
  if (claimed.length) return true;
  const [earlier]: { request_hash: string }[] = await m.query(`SELECT request_hash FROM idempotency_key WHERE scope = $1 AND key = $2`, [k.scope, k.key]);
  if (earlier && earlier.request_hash !== k.hash) {
    throw new CaseError('idempotency_key_reused', 'this Idempotency-Key was used for a different request / 该幂等键已用于另一请求', 'Idempotency-Key');
  }
  return false;
}
