import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/common';
import { t, useLang } from '../../i18n';
import { editLabel, PlanEditForm, PlanPlacesLine, type EditablePlan } from './inspection-plan-edit';
import { PlacesImport } from './places-import';
import { localInputValue } from '../../local-time';

interface Plan extends EditablePlan {
  checklist: { name: string; version: number };
  every: string;
  from: string;
  active: boolean;
}
interface Checklist {
  id: string;
  name: string;
}
interface PlaceFeature {
  id: string;
  properties: { name: string; kind: string };
}

const KINDS = ['site', 'market', 'checkpoint', 'enterprise', 'other'] as const;
/** A datetime-local input's value as an instant with the browser's offset. */
const instant = (local: string) => new Date(local).toISOString();

/** `/admin/inspections`: inspection plans for a kind of place (PT4H, P1D…) and duty rosters for a checkpoint (domain.md 8). */
export function InspectionPlansSection() {
  useLang();
  const [plans, setPlans] = useState<Plan[]>([]);
  const [checklists, setChecklists] = useState<Checklist[]>([]);
  const [checkpoints, setCheckpoints] = useState<PlaceFeature[]>([]);
  const [allPlaces, setAllPlaces] = useState<PlaceFeature[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [plan, setPlan] = useState({ checklistId: '', placeKind: 'site', every: 'PT4H', from: localInputValue(new Date()) });
  const [roster, setRoster] = useState({ placeId: '', from: localInputValue(new Date()), to: localInputValue(new Date(Date.now() + 8 * 3_600_000)), userIds: '' });

  async function load() {
    try {
      const [p, c, all] = await Promise.all([api.get<Plan[]>('/api/v1/inspection-plans'), api.get<Checklist[]>('/api/v1/checklists'), api.get<{ features: PlaceFeature[] }>('/api/v1/places')]);
      const k = { features: all.features.filter((f) => f.properties.kind === 'checkpoint') };
      setPlans(p);
      setChecklists(c);
      setAllPlaces(all.features);
      setCheckpoints(k.features);
      setPlan((s) => ({ ...s, checklistId: s.checklistId || c[0]?.id || '' }));
      setRoster((s) => ({ ...s, placeId: s.placeId || k.features[0]?.id || '' }));
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  async function run(what: () => Promise<unknown>, done: string) {
    setError(null);
    setNotice(null);
    try {
      await what();
      setNotice(done);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <div data-testid="inspection-plans">
      <ErrorLine error={error} />
      {notice && <p class="card notice" data-testid="plans-notice">{notice}</p>}
      <PlacesImport onImported={() => void load()} />
      <h3>{t('newPlan')}</h3>
      <form
        class="inline-form"
        data-testid="plan-form"
        onSubmit={(e) => (e.preventDefault(), void run(() => api.post('/api/v1/inspection-plans', { ...plan, from: instant(plan.from) }), t('planCreated')))}
      >
        <select value={plan.checklistId} onChange={(e) => setPlan({ ...plan, checklistId: e.currentTarget.value })} aria-label="checklist">
          {checklists.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label>
          {t('planKind')}
          <select name="placeKind" value={plan.placeKind} onChange={(e) => setPlan({ ...plan, placeKind: e.currentTarget.value })}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('planEvery')}
          <input name="every" value={plan.every} onInput={(e) => setPlan({ ...plan, every: e.currentTarget.value })} />
        </label>
        <label>
          {t('planFrom')}
          <input type="datetime-local" name="from" value={plan.from} onInput={(e) => setPlan({ ...plan, from: e.currentTarget.value })} />
        </label>
        <button class="primary" type="submit">
          {t('createPlan')}
        </button>
      </form>
      <h3>{t('activePlans')}</h3>
      <ul class="tasks" data-testid="plan-list">
        {plans.map((p) => (
          <li key={p.id} class="card" data-plan-id={p.id} data-active={String(p.active)}>
            <b>{p.checklist.name}</b> · {p.every} · {new Date(p.from).toLocaleString()}
            <PlanPlacesLine plan={p} />
            {p.active && (
              <button class="link" data-action="edit-plan" onClick={() => setEditing(editing === p.id ? null : p.id)}>
                {editLabel()}
              </button>
            )}
            {p.active && (
              <button class="link" onClick={() => void run(() => api.post(`/api/v1/inspection-plans/${p.id}/deactivate`, {}), t('deactivate'))}>
                {t('deactivate')}
              </button>
            )}
            {editing === p.id && <PlanEditForm key={p.id} plan={p} places={allPlaces} run={run} close={() => setEditing(null)} />}
          </li>
        ))}
      </ul>
      <h3>{t('newRoster')}</h3>
      <form
        class="inline-form"
        data-testid="roster-form"
        onSubmit={(e) => (
          e.preventDefault(),
          void run(
            () =>
              api.post('/api/v1/duty-rosters', {
                placeId: roster.placeId,
                shifts: [{ from: instant(roster.from), to: instant(roster.to), userIds: roster.userIds.split(/[,\s]+/).filter(Boolean) }],
              }),
            t('rosterCreated'),
          )
        )}
      >
        <label>
          {t('rosterPlace')}
          <select name="placeId" value={roster.placeId} onChange={(e) => setRoster({ ...roster, placeId: e.currentTarget.value })}>
            {checkpoints.map((c) => (
              <option key={c.id} value={c.id}>
                {c.properties.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('shiftFrom')}
          <input type="datetime-local" name="shiftFrom" value={roster.from} onInput={(e) => setRoster({ ...roster, from: e.currentTarget.value })} />
        </label>
        <label>
          {t('shiftTo')}
          <input type="datetime-local" name="shiftTo" value={roster.to} onInput={(e) => setRoster({ ...roster, to: e.currentTarget.value })} />
        </label>
        <label>
          {t('shiftPeople')}
          <input name="userIds" value={roster.userIds} onInput={(e) => setRoster({ ...roster, userIds: e.currentTarget.value })} />
        </label>
        <button class="primary" type="submit">
          {t('createRoster')}
        </button>
      </form>
    </div>
  );
}
