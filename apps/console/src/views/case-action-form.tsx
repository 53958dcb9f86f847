import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type CaseView } from '../api';
import { ErrorLine } from '../components/common';
import { t, useLang } from '../i18n';

interface ChiefOption {
  id: number;
  name: string;
  level: number;
  title: string;
  titleEn: string;
  available: boolean;
}

/** The operator's actions on a case in the drawer. */
export type Action = 'register' | 'reject' | 'dispatch' | 'cancel' | 'merge' | 'place';

/** A point on the map, as the command center hands it to the place form. */
export type PickListener = (point: { lng: number; lat: number }) => void;

interface ActionFormProps {
  view: CaseView;
  action: Action;
  onDone(v: CaseView): void;
  onCancel(): void;
  onPick?(listener: PickListener | null): void;
}

/** The form of one action: its fields, its reason, submit; `place` takes its point from clicks on the map. */
export function ActionForm({ view, action, onDone, onCancel, onPick }: ActionFormProps) {
  useLang();
  const [point, setPoint] = useState<{ lng: number; lat: number } | null>(null);
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState(view.possibleDuplicateOf ?? '');
  const [assignee, setAssignee] = useState('');
  const [chiefs, setChiefs] = useState<ChiefOption[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const streetCode = view.street?.code;
  useEffect(() => {
    if (action !== 'dispatch' || !streetCode) return;
    api
      .get<ChiefOption[]>(`/api/v1/chiefs?street=${streetCode}`)
      .then(setChiefs)
      .catch((e) => setError(errorText(e)));
  }, [action, streetCode]);

  // Placing: the next clicks on the map choose the point.
  useEffect(() => {
    if (action !== 'place' || !onPick) return;
    onPick(setPoint);
    return () => onPick(null);
  }, [action]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      if (reason) body.reason = reason;
      if (action === 'merge') body.targetId = target.trim();
      if (action === 'dispatch') body.assigneeId = Number(assignee);
      if (action === 'place') body.location = point;
      onDone(await api.post<CaseView>(`/api/v1/cases/${view.id}/${action}`, body));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const needsReason = action === 'reject' || action === 'cancel' || action === 'merge';
  return (
    <form class="action-form card" onSubmit={submit} data-form={action}>
      <h4>{t(action)}</h4>
      {action === 'dispatch' && (
        <label>
          {t('chief')}
          <select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} required>
            <option value="">—</option>
            {chiefs.map((c) => (
              <option key={c.id} value={c.id} disabled={!c.available}>
                {c.title} {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {action === 'place' && (
        <p data-testid="place-point">{point ? `${point.lng.toFixed(6)}, ${point.lat.toFixed(6)}` : t('clickMapToPlace')}</p>
      )}
      {action === 'merge' && (
        <label>
          {t('targetCase')}
          <input value={target} onInput={(e) => setTarget(e.currentTarget.value)} required />
        </label>
      )}
      <label>
        {t('reason')}
        <textarea value={reason} onInput={(e) => setReason(e.currentTarget.value)} required={needsReason} maxLength={1000} />
      </label>
      <ErrorLine error={error} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy || (action === 'place' && !point)}>
          {t('submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('close')}
        </button>
      </div>
    </form>
  );
}
