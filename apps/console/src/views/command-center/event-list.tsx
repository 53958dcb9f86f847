import { useMemo, useState } from 'preact/hooks';
import type { MapCase } from '../../cases';
import { Countdown, LightDot } from '../../components/common';
import type { CaseEventPayload } from '../../contract';
import { eventName, statusName, t, useLang } from '../../i18n';
import { byLight } from '../../lights';
import { STATUS_COLOURS } from '../../map';

/** One line of the live events. */
export interface LiveEvent {
  seq: number;
  caseId: string;
  code: string;
  type: string;
  status: string;
  at: string;
}

/** How many live events the list keeps. */
export const LIVE_EVENTS_KEPT = 200;

/** The list with a new event on top (the newest {@link LIVE_EVENTS_KEPT}). */
export function withEvent(list: readonly LiveEvent[], e: CaseEventPayload): LiveEvent[] {
  return [{ seq: e.seq, caseId: e.caseId, code: e.code, type: e.type, status: e.status, at: e.at }, ...list].slice(0, LIVE_EVENTS_KEPT);
}

/** The feed's events as they arrive, newest first; a click opens the case. */
export function EventList({ events, onSelect }: { events: readonly LiveEvent[]; onSelect(caseId: string): void }) {
  const lang = useLang();
  return (
    <>
      <h3>{t('liveEvents')}</h3>
      <ol class="events" data-testid="events">
        {events.map((e) => (
          <li key={e.seq} data-case-id={e.caseId} data-status={e.status} onClick={() => onSelect(e.caseId)}>
            <time>{new Date(e.at).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en')}</time> <b>{eventName(e.type)}</b> {e.code}{' '}
            <span class={`status s-${e.status}`}>{statusName(e.status)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

/** The cases the filter lets through (the first 300), with their state and clock; a click opens one. */
export function CaseList({
  cases,
  selected,
  onSelect,
  onPlace,
}: {
  cases: readonly MapCase[];
  selected: string | null;
  onSelect(caseId: string): void;
  /** A case reported by address only: open it with its place form (null: the viewer may not place cases). */
  onPlace?: ((caseId: string) => void) | null;
}) {
  useLang();
  const [sort, setSort] = useState<'newest' | 'light'>('newest');
  const shown = useMemo(() => (sort === 'light' ? byLight(cases) : cases), [cases, sort]);
  return (
    <>
      <div class="row">
        <h3>
          {t('cases')} ({cases.length})
        </h3>
        <label class="sort">
          {t('sortBy')}{' '}
          <select value={sort} data-testid="case-sort" onChange={(e) => setSort(e.currentTarget.value as 'newest' | 'light')}>
            <option value="newest">{t('sortNewest')}</option>
            <option value="light">{t('sortByLight')}</option>
          </select>
        </label>
      </div>
      <ul class="case-list" data-testid="case-list">
        {cases.length === 0 && <li class="muted">{t('noCases')}</li>}
        {shown.slice(0, 300).map((c) => (
          <li key={c.id} data-case-id={c.id} data-status={c.status} data-light={c.light ?? 'none'} class={selected === c.id ? 'active' : ''} onClick={() => onSelect(c.id)}>
            <LightDot light={c.light} limitUsed={c.limitUsed} />
            <span class="swatch" style={{ background: STATUS_COLOURS[c.status] }} /> {c.code} <span class={`status s-${c.status}`}>{statusName(c.status)}</span>
            {c.overdue && <span class="badge overdue">{t('overdueMark')}</span>}
            {c.suspended && <span class="badge suspended">{t('suspendedMark')}</span>} {c.status !== 'closed' && !c.suspended && <Countdown deadlineAt={c.deadlineAt} />}
            {!c.location && (
              <>
                {' '}
                <span class="badge pending" data-testid="location-pending">
                  {t('locationPending')}
                </span>
                {onPlace && c.status === 'reported' && (
                  <button
                    class="link"
                    data-action="place"
                    onClick={(e) => {
                      e.stopPropagation();
                      onPlace(c.id);
                    }}
                  >
                    {t('place')}
                  </button>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
