import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { Countdown, ErrorLine } from '../components/common';
import { t, useLang } from '../i18n';

export interface DueInspection {
  id: string;
  planId: string;
  place: { id: string; name: string; kind: string };
  checklist: { id: string; name: string; version: number };
  slotStart: string;
  dueAt: string;
  state: 'due' | 'missed';
  overdue: boolean;
}

/**
 * What plans have due for me (`GET /me/inspections`' `due`), soonest first, each with the countdown
 * to its deadline; a missed one says it was escalated. "Inspect" opens its checklist.
 */
export function DueInspections({ due, onInspect }: { due: DueInspection[]; onInspect(d: DueInspection): void }) {
  useLang();
  return (
    <section data-testid="due-inspections">
      <h3>{t('dueInspections')}</h3>
      {due.length === 0 ? (
        <p class="muted">{t('noDueInspections')}</p>
      ) : (
        <ul class="tasks">
          {due.map((d) => (
            <li key={d.id} class="task card" data-due-id={d.id} data-place-id={d.place.id} data-state={d.state}>
              <div class="row">
                <b>{d.place.name}</b>
                {d.state === 'missed' ? <span class="status s-dispatched">{t('dueMissed')}</span> : <Countdown deadlineAt={d.dueAt} />}
              </div>
              <div class="muted">
                {d.checklist.name} · {new Date(d.slotStart).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}–
                {new Date(d.dueAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
              </div>
              <div class="actions">
                <button class="primary" data-action="inspect-due" onClick={() => onInspect(d)}>
                  {t('inspect')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface Shift {
  id: string;
  place: { id: string; name: string };
  from: string;
  to: string;
  checkBy: string;
  state: 'upcoming' | 'open' | 'checked_in' | 'missed';
}

/** The person's duty shifts (`GET /me/duty-shifts`) and a check-in button for the one on now, with the phone's location. */
export function DutyCheckIn({ locate }: { locate(): Promise<{ lng: number; lat: number }> }) {
  useLang();
  const [shifts, setShifts] = useState<Shift[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ offSite: boolean; distanceM: number } | null>(null);
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      setShifts(await api.get<Shift[]>('/api/v1/me/duty-shifts'));
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  async function checkIn(s: Shift) {
    setBusy(true);
    setError(null);
    try {
      const location = await locate();
      setResult(await api.post<{ offSite: boolean; distanceM: number }>('/api/v1/duty/check-in', { placeId: s.place.id, location }));
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const now = Date.now();
  const current = (shifts ?? []).filter((s) => Date.parse(s.to) > now);
  return (
    <section data-testid="duty-shifts">
      <h3>{t('dutyShift')}</h3>
      <ErrorLine error={error} />
      {result && (
        <div class="card notice" data-testid="checked-in" data-off-site={String(result.offSite)}>
          {t('checkedIn')}
          {result.offSite && <div class="error">{t('offSite')} ({Math.round(result.distanceM)} m)</div>}
        </div>
      )}
      {shifts !== null && current.length === 0 && <p class="muted">{t('noShiftNow')}</p>}
      <ul class="tasks">
        {current.map((s) => (
          <li key={s.id} class="task card" data-shift-id={s.id} data-state={s.state}>
            <div class="row">
              <b>{s.place.name}</b>
              <span class="muted">
                {new Date(s.from).toLocaleString()} – {new Date(s.to).toLocaleTimeString()}
              </span>
            </div>
            {s.state === 'checked_in' && <div class="status s-closed">{t('checkedIn')}</div>}
            {s.state === 'missed' && <div class="error">{t('shiftMissed')}</div>}
            {(s.state === 'open' || s.state === 'upcoming') && (
              <div class="muted">
                {t('checkInBy')}: {new Date(s.checkBy).toLocaleTimeString()}
              </div>
            )}
            {s.state !== 'checked_in' && (
              <div class="actions">
                <button class="primary" disabled={busy} data-action="check-in" onClick={() => void checkIn(s)}>
                  {t('checkIn')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
