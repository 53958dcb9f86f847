import type { MapCase } from '../../cases';
import type { FeedStats } from '../../contract';
import { eventName, statusName, useLang } from '../../i18n';
import type { LiveEvent } from '../command-center/event-list';
import type { EvaluationCounts, EvaluationRowView } from '../leader/evaluation-types';
import { fixed } from '../leader/period';
import { ww } from './wall-i18n';

/** Lines the wall's live list draws (the newest; the list itself keeps a bounded number). */
export const WALL_EVENT_LINES = 30;

/** How many open cases show each light. */
export function lightCounts(cases: Iterable<MapCase>): { red: number; yellow: number; green: number } {
  const n = { red: 0, yellow: 0, green: 0 };
  for (const c of cases) if (c.light && !c.suspended) n[c.light]++;
  return n;
}

function Counter({ id, label, value, tone }: { id: string; label: string; value: number | null | undefined; tone?: string }) {
  return (
    <div class={`wall-counter${tone ? ` ${tone}` : ''}`} data-testid={`wall-${id}`} data-value={value ?? ''}>
      <b>{value ?? '—'}</b>
      <span>{label}</span>
    </div>
  );
}

/** Today's counts (the server's, for the local day) and what is open now (the feed's), with the traffic lights. */
export function WallCounters({ today, stats, lights }: { today: EvaluationCounts | null; stats: FeedStats | null; lights: ReturnType<typeof lightCounts> }) {
  useLang();
  return (
    <section class="wall-box wall-counters" data-testid="wall-counters">
      <h3>{ww('today')}</h3>
      <div class="wall-counter-grid">
        <Counter id="reported" label={ww('reported')} value={today?.reported} />
        <Counter id="registered" label={ww('registered')} value={today?.registered} />
        <Counter id="dispatched" label={ww('dispatched')} value={today?.dispatched} />
        <Counter id="closed" label={ww('closed')} value={today?.closed} />
        <Counter id="overdue" label={ww('overdue')} value={stats?.overdue} tone="red" />
        <Counter id="suspended" label={ww('suspended')} value={stats?.suspended} tone="grey" />
      </div>
      <h3>
        {ww('lights')} · {ww('open')} <span data-testid="wall-open">{stats?.open ?? '—'}</span>
      </h3>
      <div class="wall-counter-grid lights">
        <Counter id="light-red" label={ww('red')} value={lights.red} tone="light-red" />
        <Counter id="light-yellow" label={ww('yellow')} value={lights.yellow} tone="light-yellow" />
        <Counter id="light-green" label={ww('green')} value={lights.green} tone="light-green" />
      </div>
    </section>
  );
}

/** The feed's events, newest first. */
export function WallEvents({ events, received }: { events: readonly LiveEvent[]; received: number }) {
  const lang = useLang();
  return (
    <section class="wall-box wall-events">
      <h3>
        {ww('liveEvents')}{' '}
        <small data-testid="wall-received" data-received={received}>
          {ww('received')} {received}
        </small>
      </h3>
      <ol data-testid="wall-events">
        {events.length === 0 && <li class="muted">{ww('noEvents')}</li>}
        {events.slice(0, WALL_EVENT_LINES).map((e) => (
          <li key={e.seq} data-case-id={e.caseId} data-seq={e.seq}>
            <time>{new Date(e.at).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en', { hour12: false })}</time>
            <b>{eventName(e.type)}</b>
            <span class="code">{e.code}</span>
            <span class={`status s-${e.status}`}>{statusName(e.status)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One ranking (streets or chiefs): rank, name, score. */
export function WallRanking({ id, title, rows }: { id: string; title: string; rows: readonly EvaluationRowView[] }) {
  useLang();
  return (
    <section class="wall-box wall-ranking">
      <h3>{title}</h3>
      <table data-testid={`wall-ranking-${id}`}>
        <thead>
          <tr>
            <th>{ww('rank')}</th>
            <th>{ww('name')}</th>
            <th>{ww('score')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.group.id} data-group-id={r.group.id} data-rank={r.rank}>
              <td class={`rank r${Math.min(r.rank, 4)}`}>{r.rank}</td>
              <td>{r.group.name}</td>
              <td>{fixed(r.score)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
