import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, errorText, uploadPhotos } from '../api';
import { ErrorLine, PhotoInput } from '../components/common';
import { t, useLang } from '../i18n';
import { DueInspections, DutyCheckIn, type DueInspection } from './inspections-due';

interface ChecklistItem {
  code: string;
  text: string;
  textEn?: string;
  categoryCode: string;
  photoRequired: boolean;
}
interface Checklist {
  id: string;
  name: string;
  nameEn: string | null;
  version: number;
  items: ChecklistItem[];
}
interface MyPlace {
  id: string;
  kind: string;
  name: string;
  address: string | null;
  compliance: 'compliant' | 'non_compliant';
  lastInspectedAt: string | null;
  checklistId: string | null;
}
interface Inspection {
  id: string;
  place: { id: string; name: string };
  offSite: boolean;
  distanceM: number;
  failed: number;
  results: { code: string; passed: boolean; caseId: string | null }[];
  createdAt: string;
}
interface Mine {
  due: DueInspection[];
  places: MyPlace[];
  checklists: Checklist[];
  recent: Inspection[];
}

/** Where the phone is (the browser's geolocation), or a refusal. */
export function here(): Promise<{ lng: number; lat: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error(t('locationNeeded')));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lng: p.coords.longitude, lat: p.coords.latitude }),
      () => reject(new Error(t('locationNeeded'))),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  });
}

/**
 * "我的巡查 / My inspections" on the warden's and chief's phone: the places in their scope (from
 * `GET /me/inspections`) with their compliance, and for one place its checklist item by item, a
 * photo for each failed item, sent with the phone's location and an Idempotency-Key (a retry of
 * the same submission opens no case twice).
 */
export function MyInspections() {
  useLang();
  const [mine, setMine] = useState<Mine | null>(null);
  const [open, setOpen] = useState<MyPlace | null>(null);
  const [done, setDone] = useState<Inspection | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setMine(await api.get<Mine>('/api/v1/me/inspections'));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  const checklist = open && mine ? mine.checklists.find((c) => c.id === open.checklistId) ?? null : null;
  /** A due inspection opens the checklist of its plan (the version in force of the same list). */
  const inspectDue = (d: DueInspection) => {
    if (!mine) return;
    const list = mine.checklists.find((c) => c.id === d.checklist.id) ?? mine.checklists.find((c) => c.name === d.checklist.name);
    const place = mine.places.find((p) => p.id === d.place.id);
    setDone(null);
    setOpen({ id: d.place.id, kind: d.place.kind, name: d.place.name, address: place?.address ?? null, compliance: place?.compliance ?? 'compliant', lastInspectedAt: place?.lastInspectedAt ?? null, checklistId: list?.id ?? null });
  };
  if (open && checklist) {
    return (
      <InspectionForm
        place={open}
        checklist={checklist}
        onCancel={() => setOpen(null)}
        onDone={(i) => {
          setDone(i);
          setOpen(null);
          void load();
        }}
      />
    );
  }
  return (
    <div data-testid="my-inspections">
      <ErrorLine error={error} />
      {done && (
        <div class="card notice" data-testid="inspection-done" data-off-site={String(done.offSite)}>
          {t('inspectionSaved')}: <b>{done.place.name}</b> · {t('itemFailed')} {done.failed} · {t('casesOpened')} {done.results.filter((r) => r.caseId).length}
          {done.offSite && <div class="error">{t('offSite')} ({Math.round(done.distanceM)} m)</div>}
        </div>
      )}
      <DutyCheckIn locate={here} />
      {mine !== null && <DueInspections due={mine.due ?? []} onInspect={inspectDue} />}
      {mine === null ? (
        <p>{t('loading')}</p>
      ) : mine.places.length === 0 ? (
        <p class="muted">{t('noPlaces')}</p>
      ) : (
        <ul class="tasks" data-testid="inspection-places">
          {mine.places.map((p) => (
            <li key={p.id} class="task card" data-place-id={p.id} data-compliance={p.compliance}>
              <div class="row">
                <b>{p.name}</b>
                <span class={`status ${p.compliance === 'compliant' ? 's-closed' : 's-dispatched'}`}>{p.compliance === 'compliant' ? t('compliant') : t('nonCompliant')}</span>
              </div>
              {p.address && <div class="muted">{p.address}</div>}
              <div class="muted">
                {t('lastInspected')}: {p.lastInspectedAt ? new Date(p.lastInspectedAt).toLocaleString() : t('never')}
              </div>
              {p.checklistId && (
                <div class="actions">
                  <button class="primary" data-action="inspect" onClick={() => (setDone(null), setOpen(p))}>
                    {t('inspect')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface ItemState {
  passed: boolean;
  note: string;
  files: File[];
}

function InspectionForm({ place, checklist, onCancel, onDone }: { place: MyPlace; checklist: Checklist; onCancel(): void; onDone(i: Inspection): void }) {
  const lang = useLang();
  const [items, setItems] = useState<Record<string, ItemState>>(() => Object.fromEntries(checklist.items.map((i) => [i.code, { passed: true, note: '', files: [] }])));
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One key per submission on this form: a retry after a lost answer is the same inspection.
  const key = useMemo(() => crypto.randomUUID(), []);
  const set = (code: string, change: Partial<ItemState>) => {
    setError(null);
    setItems((s) => ({ ...s, [code]: { ...s[code], ...change } }));
  };

  async function submit() {
    setError(null);
    const missing = checklist.items.find((i) => i.photoRequired && !items[i.code].passed && items[i.code].files.length === 0);
    if (missing) return setError(`${lang === 'zh' ? missing.text : missing.textEn ?? missing.text}: ${t('photoNeeded')}`);
    try {
      setBusy(t('locating'));
      const location = await here();
      setBusy(t('uploading'));
      const results = [];
      for (const i of checklist.items) {
        const s = items[i.code];
        const mediaIds = !s.passed && s.files.length ? await uploadPhotos(s.files) : undefined;
        results.push({ code: i.code, passed: s.passed, ...(s.note ? { note: s.note } : {}), ...(mediaIds ? { mediaIds } : {}) });
      }
      setBusy(t('submitInspection'));
      onDone(await api.post<Inspection>('/api/v1/inspections', { placeId: place.id, checklistId: checklist.id, location, results }, { headers: { 'Idempotency-Key': key } }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div data-testid="inspection-form" data-place-id={place.id}>
      <div class="row">
        <h3>
          {place.name} · {lang === 'zh' ? checklist.name : checklist.nameEn ?? checklist.name} v{checklist.version}
        </h3>
        <button class="link" onClick={onCancel}>
          {t('back')}
        </button>
      </div>
      <ol class="checklist">
        {checklist.items.map((i) => {
          const s = items[i.code];
          return (
            <li key={i.code} class={`card item ${s.passed ? 'passed' : 'failed'}`} data-item={i.code}>
              <div>{lang === 'zh' ? i.text : i.textEn ?? i.text}</div>
              <div class="actions">
                <button class={s.passed ? 'primary' : ''} data-action="pass" onClick={() => set(i.code, { passed: true })}>
                  ✔ {t('itemPassed')}
                </button>
                <button class={s.passed ? '' : 'danger'} data-action="fail" onClick={() => set(i.code, { passed: false })}>
                  ✘ {t('itemFailed')}
                </button>
              </div>
              {!s.passed && (
                <>
                  <label>
                    {t('note')}
                    <textarea value={s.note} maxLength={500} onInput={(e) => set(i.code, { note: e.currentTarget.value })} />
                  </label>
                  <PhotoInput files={s.files} onChange={(files) => set(i.code, { files })} testid={`photos-${i.code}`} />
                  {i.photoRequired && s.files.length === 0 && <p class="muted">{t('photoNeeded')}</p>}
                </>
              )}
            </li>
          );
        })}
      </ol>
      <ErrorLine error={error} />
      <button class="primary" disabled={busy !== null} data-action="submit-inspection" onClick={() => void submit()}>
        {busy ?? t('submitInspection')}
      </button>
    </div>
  );
}
