import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type CaseView } from '../../api';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { lw } from './leader-i18n';

/** A row of `GET /api/v1/appeals`. */
export interface AppealView {
  id: string;
  case: { id: string; code: string; status: string };
  /** The appealing road chief, or (a department member's appeal) null and the department. */
  chief: { id: number; name: string } | null;
  department?: { code: string; name: string } | null;
  streetCode: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
}

/**
 * A leader's note and approve/refuse buttons: `send(approve, note)` makes the request (the note
 * trimmed, empty when none); the form clears its note after it, or shows the request's error.
 */
function DecisionForm({ send }: { send(approve: boolean, note: string): Promise<void> }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function decide(approve: boolean) {
    setBusy(true);
    setError(null);
    try {
      await send(approve, note.trim());
      setNote('');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <label>
        {lw('decisionNote')}
        <textarea name="note" value={note} maxLength={1000} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <div class="row">
        <button class="primary" disabled={busy} data-decide="approve" onClick={() => void decide(true)}>
          {lw('approve')}
        </button>
        <button disabled={busy} data-decide="refuse" onClick={() => void decide(false)}>
          {lw('refuse')}
        </button>
      </div>
      <ErrorLine error={error} />
    </>
  );
}

/**
 * A leader's decision on a chief's extension request: approve grants the hours asked
 * (`POST /cases/:id/extend` without hours takes the request's), refuse declines it with a reason
 * (`POST /cases/:id/refuse-extension`).
 */
export function ExtensionDecision({ c, onDone }: { c: Pick<CaseView, 'id' | 'code' | 'extensionRequestedHours'>; onDone(v: CaseView): void }) {
  useLang();
  const send = async (approve: boolean, note: string) =>
    onDone(await api.post<CaseView>(`/api/v1/cases/${c.id}/${approve ? 'extend' : 'refuse-extension'}`, note ? { reason: note } : {}));
  return (
    <div class="decision card" data-testid="extension-decision" data-case-id={c.id}>
      <b>
        {lw('extensions')}: {c.extensionRequestedHours} h
      </b>
      <DecisionForm send={send} />
    </div>
  );
}

/** A leader's decision on a pending appeal (`POST /appeals/:id/decision`). */
export function AppealDecision({ appeal, onDone }: { appeal: AppealView; onDone(a: AppealView): void }) {
  useLang();
  const send = async (approved: boolean, note: string) =>
    onDone(await api.post<AppealView>(`/api/v1/appeals/${appeal.id}/decision`, note ? { approved, note } : { approved }));
  return (
    <div class="decision card" data-testid="appeal-decision" data-appeal-id={appeal.id} data-case-id={appeal.case.id}>
      <b>
        {lw('appeals')}: {appeal.case.code} · {appeal.chief?.name ?? appeal.department?.name ?? ''}
      </b>
      <p>
        {lw('appealReason')}: {appeal.reason}
      </p>
      <DecisionForm send={send} />
    </div>
  );
}

/** The leader's part of the case drawer: the case's extension request and pending appeal, to decide. */
export function LeaderCasePanel({ view, onChanged }: { view: CaseView; onChanged(v?: CaseView): void }) {
  const [appeals, setAppeals] = useState<AppealView[]>([]);
  useEffect(() => {
    let live = true;
    api
      .get<AppealView[]>('/api/v1/appeals?status=pending')
      .then((list) => live && setAppeals(list.filter((a) => a.case.id === view.id)))
      .catch(() => live && setAppeals([]));
    return () => void (live = false);
  }, [view.id, view.updatedAt]);
  return (
    <>
      {view.status === 'in_progress' && view.extensionRequestedHours != null && <ExtensionDecision c={view} onDone={onChanged} />}
      {appeals.map((a) => (
        <AppealDecision key={a.id} appeal={a} onDone={() => (setAppeals((l) => l.filter((x) => x.id !== a.id)), onChanged())} />
      ))}
    </>
  );
}
