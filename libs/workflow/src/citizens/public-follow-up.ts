import type { EntityManager } from 'typeorm';
import type { PublicCaseUpdate, PublicFollowUp } from '@wangge/auth';
import type { CaseRow } from '../case-row';
import { approvedUpdates } from './case-updates.service';
import { feedbackOnClose, readReopenWindow } from './follow-up.sql';
import { reopenRefusal } from './reopen-window';

/** The public view's follow-up parts: the approved updates and what the reporter may still say about the close. */
export async function publicFollowUp(m: EntityManager, row: CaseRow, now: Date, utcOffsetMinutes: number): Promise<{ updates: PublicCaseUpdate[]; followUp: PublicFollowUp }> {
  const updates = await approvedUpdates(m, row.id);
  if (row.status !== 'closed' || !row.closed_at) return { updates, followUp: { feedback: null, canGiveFeedback: false, notFixedReopens: false } };
  const given = await feedbackOnClose(m, row.id);
  const window = await readReopenWindow(m, row.id, new Date(row.closed_at), utcOffsetMinutes);
  return {
    updates,
    followUp: {
      feedback: given && { satisfied: given.satisfied, at: new Date(given.at).toISOString(), reopened: given.reopened },
      canGiveFeedback: given === null,
      notFixedReopens: given === null && reopenRefusal(window, now) === null,
    },
  };
}
