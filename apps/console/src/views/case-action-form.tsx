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
  // A dispatch by hand goes to a road chief, or to a department that handles the case's category (domain.md 9).
  const [to, setTo] = useState<'chief' | 'department'>('chief');
  const [departments, setDepartments] = useState<{ code: string; name: string }[]>([]);
  const [department, setDepartment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const streetCode = view.street?.code;
  useEffect(() => {
    if (action !== 'dispatch' || !streetCode) return;
    api
      .get<ChiefOption[]>(`/api/v1/chiefs?street=${streetCode}`)
      .then(setChiefs)
      .catch((e) => setError(errorText(e)));
    api
      .get<{ code: string; name: string }[]>(`/api/v1/departments?category=${encodeURIComponent(view.category.code)}`)
      .then(setDepartments)
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
      if (action === 'dispatch' && to === 'department') body.departmentCode = department;
      else if (action === 'dispatch') body.assigneeId = Number(assignee);
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
        <fieldset class="row" data-testid="dispatch-to">
          <legend>{t('dispatchTo')}</legend>
          <label class="check">
            <input type="radio" name="to" value="chief" checked={to === 'chief'} onChange={() => setTo('chief')} /> {t('chief')}
          </label>
          <label class="check">
            <input type="radio" name="to" value="department" checked={to === 'department'} onChange={() => setTo('department')} disabled={departments.length === 0} />{' '}
            {t('department')}
          </label>
        </fieldset>
      )}
      {action === 'dispatch' && to === 'chief' && (
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
      {action === 'dispatch' && departments.length === 0 && (
        <p class="muted" data-testid="no-department">
          {t('noDepartmentHandles')}
        </p>
      )}
      {action === 'dispatch' && to === 'department' && (
        <>
          <label>
            {t('department')}
            <select name="departmentCode" value={department} onChange={(e) => setDepartment(e.currentTarget.value)} required>
              <option value="">—</option>
              {departments.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name} ({d.code})
                </option>
              ))}
            </select>
          </label>
          <p class="muted">{t('coordinatorRouted')}</p>
        </>
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
