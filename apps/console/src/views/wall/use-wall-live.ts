import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../api';
import { useApp } from '../../app-context';
import { applyEvent, OPEN_STATUSES, type MapCase } from '../../cases';
import { useFeed } from '../../components/common';
import type { CaseEventPayload, FeedStats } from '../../contract';
import type { FeedState } from '../../feed';
import { withEvent, type LiveEvent } from '../command-center/event-list';
import { loadOpenCases } from '../command-center/open-cases';

/** How often the feed's events are drawn (batched: a wall at 20 events a second redraws twice a second). */
export const WALL_FLUSH_MS = 500;

const OPEN = new Set<string>(OPEN_STATUSES);

/** A case after a feed event; a case that ended leaves the wall (the open cases stay bounded over days). */
export function applyLive(cases: Map<string, MapCase>, e: CaseEventPayload): Map<string, MapCase> {
  const next = applyEvent(cases, e);
  if (next !== cases && !OPEN.has(e.status)) next.delete(e.caseId);
  return next;
}

export interface WallLive {
  /** The open cases in scope, kept current by the feed. */
  cases: Map<string, MapCase>;
  /** The newest events, newest first (bounded). */
  events: LiveEvent[];
  stats: FeedStats | null;
  feed: FeedState | null;
  /** Feed events received since the page opened (what the wall's soak test compares with what it sent). */
  received: number;
  /** Bumped at each batch of events drawn (the counters read it to refetch). */
  batches: number;
  error: string | null;
}

/**
 * The wall's live part: the open cases loaded once (again after a resync), then the feed's events
 * applied in batches every {@link WALL_FLUSH_MS}; `onCaseEvent` hears each event at once (the map's
 * shading), with the case as it was before it.
 */
export function useWallLive(onCaseEvent: (known: MapCase | undefined, e: CaseEventPayload) => void, onResync: () => void): WallLive {
  const { session, config, signOut } = useApp();
  const [cases, setCases] = useState<Map<string, MapCase>>(new Map());
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [stats, setStats] = useState<FeedStats | null>(null);
  const [received, setReceived] = useState(0);
  const [batches, setBatches] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [resyncs, setResyncs] = useState(0);
  const casesRef = useRef(cases);
  const pending = useRef<CaseEventPayload[]>([]);
  const receivedRef = useRef(0);
  const handlers = useRef({ onCaseEvent, onResync });
  handlers.current = { onCaseEvent, onResync };

  const { state: feed } = useFeed(config, session?.accessToken ?? null, {
    onEvent(e) {
      receivedRef.current++;
      handlers.current.onCaseEvent(casesRef.current.get(e.caseId), e);
      casesRef.current = applyLive(casesRef.current, e);
      pending.current.push(e);
    },
    onStats: setStats,
    onAuthRefused: () => signOut(),
    onResync() {
      casesRef.current = new Map();
      pending.current = [];
      setCases(casesRef.current);
      setEvents([]);
      handlers.current.onResync();
      setResyncs((n) => n + 1);
    },
  });

  // One timer draws what arrived since the last tick: the list, the cases, the count.
  useEffect(() => {
    const timer = setInterval(() => {
      if (pending.current.length === 0) return;
      const batch = pending.current;
      pending.current = [];
      setEvents((list) => batch.reduce((l, e) => withEvent(l, e), list));
      setCases(casesRef.current);
      setReceived(receivedRef.current);
      setBatches((n) => n + 1);
    }, WALL_FLUSH_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    let live = true;
    loadOpenCases().then(
      (found) => {
        if (!live) return;
        const next = new Map(casesRef.current);
        for (const c of found) if (!next.has(c.id)) next.set(c.id, c);
        casesRef.current = next;
        setCases(next);
      },
      (e) => live && setError(errorText(e)),
    );
    return () => void (live = false);
  }, [resyncs]);

  return { cases, events, stats, feed, received, batches, error };
}
