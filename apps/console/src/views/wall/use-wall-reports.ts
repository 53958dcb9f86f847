import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import type { EvaluationReportView, EvaluationCounts, EvaluationRowView, TrendsView } from '../leader/evaluation-types';
import { dateBefore } from '../leader/period';

/** Rankings and trends move slowly: read again every five minutes. */
export const WALL_REPORTS_MS = 5 * 60_000;
/** Today's counts: every half minute, and soon after live events (not more often than every five seconds). */
export const WALL_TODAY_MS = 30_000;
export const WALL_TODAY_MIN_GAP_MS = 5_000;
/** Rows a ranking shows. */
export const WALL_RANKED = 10;

/**
 * A value read now, again every `everyMs`, and again when `nudge` changes (at most once every
 * `minGapMs`; one read at a time). The dates are taken at each read: a wall left on past midnight
 * moves to the new day.
 */
export function usePolled<T>(load: () => Promise<T>, { everyMs, nudge = 0, minGapMs = 0 }: { everyMs: number; nudge?: number; minGapMs?: number }) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const state = useRef({ last: 0, busy: false, again: false, timer: undefined as ReturnType<typeof setTimeout> | undefined, live: true });
  const loadRef = useRef(load);
  loadRef.current = load;

  function read() {
    const s = state.current;
    if (!s.live) return;
    if (s.busy) return void (s.again = true);
    s.busy = true;
    s.last = Date.now();
    loadRef
      .current()
      .then(
        (v) => {
          if (!s.live) return;
          setValue(v);
          setError(null);
        },
        (e) => {
          if (s.live) setError(errorText(e));
        },
      )
      .finally(() => {
        s.busy = false;
        if (!s.again) return;
        s.again = false;
        soon();
      });
  }

  function soon() {
    const s = state.current;
    if (s.timer !== undefined) return;
    s.timer = setTimeout(() => ((s.timer = undefined), read()), Math.max(0, s.last + minGapMs - Date.now()));
  }

  useEffect(() => {
    const s = state.current;
    s.live = true;
    read();
    const every = setInterval(read, everyMs);
    return () => {
      s.live = false;
      clearInterval(every);
      if (s.timer !== undefined) clearTimeout(s.timer);
      s.timer = undefined;
    };
  }, []);

  useEffect(() => {
    if (nudge > 0) soon();
  }, [nudge]);

  return { value, error };
}

export interface WallReports {
  today: EvaluationCounts | null;
  streets: EvaluationRowView[];
  chiefs: EvaluationRowView[];
  trends: TrendsView | null;
  error: string | null;
}

const evaluation = (from: string, to: string, groupBy: 'street' | 'chief') => api.get<EvaluationReportView>(`/api/v1/evaluation?from=${from}&to=${to}&groupBy=${groupBy}`);

/** The ranked rows with a score, best first, the first {@link WALL_RANKED}. */
function ranked(report: EvaluationReportView): EvaluationRowView[] {
  return report.rows.filter((r) => r.score !== null).sort((a, b) => a.rank - b.rank).slice(0, WALL_RANKED);
}

/**
 * What the wall reads besides the feed, all scoped by the server: today's counts (`GET /evaluation`
 * for today), the streets' and chiefs' rankings over the last seven days and the trends over the last
 * thirty. `nudge` (the live batches) asks for today's counts again.
 */
export function useWallReports(nudge: number): WallReports {
  const today = usePolled(() => evaluation(dateBefore(0), dateBefore(0), 'street').then((r) => r.totals.counts), { everyMs: WALL_TODAY_MS, nudge, minGapMs: WALL_TODAY_MIN_GAP_MS });
  const rankings = usePolled(
    () => Promise.all([evaluation(dateBefore(6), dateBefore(0), 'street'), evaluation(dateBefore(6), dateBefore(0), 'chief')]).then(([s, c]) => ({ streets: ranked(s), chiefs: ranked(c) })),
    { everyMs: WALL_REPORTS_MS },
  );
  const trends = usePolled(() => api.get<TrendsView>(`/api/v1/evaluation/trends?from=${dateBefore(29)}&to=${dateBefore(0)}`), { everyMs: WALL_REPORTS_MS });
  return {
    today: today.value,
    streets: rankings.value?.streets ?? [],
    chiefs: rankings.value?.chiefs ?? [],
    trends: trends.value,
    error: today.error ?? rankings.error ?? trends.error,
  };
}
