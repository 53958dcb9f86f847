import { useEffect, useRef, useState } from 'preact/hooks';
import { feedUrlOf, type ConsoleConfig } from '../api';
import type { CampaignEventPayload, CaseEventPayload, FeedStats } from '../contract';
import { countdown } from '../countdown';
import { connectFeed, type FeedConnection, type FeedState } from '../feed';
import { t, useLang, type MessageKey } from '../i18n';
import { LIGHT_COLOURS, lightTitle, type TrafficLight } from '../lights';

/** The current time, ticking every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function Countdown({ deadlineAt }: { deadlineAt: string | null }) {
  const lang = useLang();
  const now = useNow();
  const c = countdown(deadlineAt, now, lang);
  if (!c) return null;
  return (
    <span class={`countdown${c.overdue ? ' overdue' : c.urgent ? ' urgent' : ''}`} data-overdue={c.overdue ? 'true' : 'false'}>
      {c.text}
    </span>
  );
}

/** A case's traffic light as a coloured dot (grey without a limit), its title the share used. */
export function LightDot({ light, limitUsed }: { light?: TrafficLight | null; limitUsed?: number | null }) {
  useLang();
  return (
    <span
      class={`light-dot${light ? ` light-${light}` : ''}`}
      data-light={light ?? 'none'}
      title={lightTitle(light, limitUsed)}
      aria-label={lightTitle(light, limitUsed)}
      style={{ background: light ? LIGHT_COLOURS[light] : '#c8cdd2' }}
    />
  );
}

const STATUS_KEYS: Record<FeedState['status'], MessageKey> = {
  connecting: 'feedConnecting',
  live: 'feedLive',
  catching_up: 'feedCatchingUp',
  lost: 'feedLost',
  refused: 'feedRefused',
};

export function FeedBadge({ state }: { state: FeedState | null }) {
  useLang();
  const status = state?.status ?? 'connecting';
  return (
    <span class={`feed-badge ${status}`} data-testid="feed-status" data-status={status} title={state?.error ?? ''} role="status">
      <span class="dot" /> {t(STATUS_KEYS[status])}
      {state?.error && status !== 'live' ? ` (${state.error})` : ''}
    </span>
  );
}

/** Opens the feed for the page's lifetime. Handlers may change between renders. */
export function useFeed(
  config: ConsoleConfig | null,
  token: string | null,
  handlers: { onEvent?(e: CaseEventPayload): void; onCampaignEvent?(e: CampaignEventPayload): void; onStats?(s: FeedStats): void; onAuthRefused?(code: string): void; onResync?(): void },
  enabled = true,
): { state: FeedState | null; connection: FeedConnection | null } {
  const [state, setState] = useState<FeedState | null>(null);
  const [connection, setConnection] = useState<FeedConnection | null>(null);
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!config || !enabled) return;
    const conn = connectFeed(feedUrlOf(config, location), token, {
      onEvent: (e) => ref.current.onEvent?.(e),
      onCampaignEvent: (e) => ref.current.onCampaignEvent?.(e),
      onStats: (s) => ref.current.onStats?.(s),
      onAuthRefused: (c) => ref.current.onAuthRefused?.(c),
      onResync: () => ref.current.onResync?.(),
      onState: setState,
    });
    setConnection(conn);
    return () => conn.close();
  }, [config, token, enabled]);
  return { state, connection };
}

/** Photos from the camera (capture=environment on phones) or the gallery. */
export function PhotoInput({ files, onChange, testid }: { files: File[]; onChange(files: File[]): void; testid?: string }) {
  useLang();
  return (
    <div class="photos-input">
      <label class="button">
        📷 {t('addPhotos')}
        <input
          type="file"
          accept="image/jpeg,image/png,image/webp"
          capture="environment"
          multiple
          data-testid={testid ?? 'photos'}
          onChange={(e) => {
            const list = Array.from(e.currentTarget.files ?? []);
            onChange([...files, ...list]);
            e.currentTarget.value = '';
          }}
        />
      </label>
      {files.length > 0 && (
        <ul class="thumbs">
          {files.map((f, i) => (
            <li key={i}>
              <img src={URL.createObjectURL(f)} alt={f.name} />
              <button type="button" class="link" onClick={() => onChange(files.filter((_, j) => j !== i))}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ErrorLine({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

/** A short beep and a vibration where the browser allows (a new task arrived). */
export function alertNewTask(): void {
  try {
    navigator.vibrate?.([200, 100, 200]);
  } catch {
    /* not allowed */
  }
  try {
    const Ctor = (window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext);
    if (!Ctor) return;
    const ctx = new Ctor();
    const osc = ctx.createOscillator();
    osc.frequency.value = 880;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.2);
    osc.onended = () => void ctx.close();
  } catch {
    /* audio blocked until the user interacts */
  }
}

/** A period's two dates (from, to), as every report page picks them; `labels` in the page's language. */
export function PeriodInputs({ from, to, onFrom, onTo, labels }: { from: string; to: string; onFrom(v: string): void; onTo(v: string): void; labels: [string, string] }) {
  return (
    <>
      <label>
        {labels[0]}
        <input type="date" name="from" value={from} onInput={(e) => onFrom(e.currentTarget.value)} />
      </label>
      <label>
        {labels[1]}
        <input type="date" name="to" value={to} onInput={(e) => onTo(e.currentTarget.value)} />
      </label>
    </>
  );
}
