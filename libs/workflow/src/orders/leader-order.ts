import { caseActionAllowed, type LeaderAct } from '@wangge/auth';
import { isOpenStatus } from '@wangge/domain';
import type { Actor } from '../actor';
import { CaseError } from '../case-error';
import { caseShapeOf, type CaseState, type EventDraft } from '../transition';

/** A case's supervision (督办) as it carries it (`case_file.supervision`) and the API shows it while the case is open. */
export interface Supervision {
  by: { id: string | null; name: string };
  instruction: string;
  /** When the leader wants it done (ISO 8601); null: by the case's own deadline. */
  dueAt: string | null;
  at: string;
}

/** The body of a leader's order: 督办 has an optional due time, 批示 none. */
export interface LeaderOrderInput {
  instruction: string;
  dueAt?: Date;
}

export type LeaderOrderResult =
  | { kind: 'repeat' }
  | { kind: 'applied'; event: EventDraft; supervision: Supervision | null };

/**
 * A leader's order on a case (domain.md 9), pure: 督办 (`supervise`) marks the case supervised with
 * the instruction and due time until it closes (`case.supervised`); 批示 (`instruct`) records the
 * instruction (`case.instructed`). Only a leader whose jurisdiction (access model) holds an open
 * case gives one; the same order repeated by the same leader changes nothing. Throws {@link CaseError}.
 */
export function leaderOrder(state: CaseState, act: LeaderAct, actor: Actor, input: LeaderOrderInput, now: Date): LeaderOrderResult {
  if (actor.role !== 'leader') {
    throw new CaseError('forbidden', `role ${actor.role} may not ${act} a case; leaders only / 仅领导可督办或批示`);
  }
  if (!caseActionAllowed(actor, caseShapeOf(state), act)) {
    throw new CaseError('outside_jurisdiction', 'the case is outside your street / 案卷不在您的辖区');
  }
  const instruction = input.instruction.trim();
  if (!instruction) throw new CaseError('bad_input', 'instruction must not be empty / 请填写督办或批示内容', 'instruction');
  if (!isOpenStatus(state.status)) {
    throw new CaseError('illegal_transition', `cannot ${act} a case that is ${state.status} / 案卷已办结`, undefined, state.status);
  }
  if (input.dueAt && input.dueAt.getTime() <= now.getTime()) {
    throw new CaseError('bad_input', 'dueAt must be in the future / 督办期限须晚于当前时间', 'dueAt');
  }
  const type = act === 'supervise' ? 'case.supervised' : 'case.instructed';
  const dueAt = act === 'supervise' && input.dueAt ? input.dueAt.toISOString() : null;
  const last = state.lastEvent;
  if (last && last.type === type && last.actorId === actor.id && last.reason === instruction && (last.evidence?.dueAt ?? null) === dueAt) {
    return { kind: 'repeat' };
  }
  const evidence = act === 'supervise' ? { instruction, dueAt } : { instruction };
  return {
    kind: 'applied',
    event: { type, from: state.status, to: state.status, reason: instruction, note: null, evidence },
    supervision: act === 'supervise' ? { by: { id: actor.id, name: actor.name }, instruction, dueAt, at: now.toISOString() } : null,
  };
}
