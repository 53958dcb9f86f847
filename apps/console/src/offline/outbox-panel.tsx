import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from '../api';
import { t, useLang } from '../i18n';
import type { OutboxItem } from './offline-db';
import { Outbox, type OutboxCounts } from './outbox';

/** The page's outbox: photos to POST /media, reports and actions to the API, with the signed-in token. */
export const outbox = new Outbox({
  async upload(photo) {
    const form = new FormData();
    form.append('file', new File([photo.bytes], photo.name, { type: photo.type }), photo.name);
    return (await request<{ id: string }>('POST', '/api/v1/media', form)).id;
  },
  post: (path, body, headers) => request('POST', path, body, { headers }),
});

/** While the user has items waiting: how often the page tries again (the `online` event is not always told). */
const RETRY_MS = 15_000;

/**
 * The user's outbox as the page shows it, sent on opening, when the browser comes online and
 * every RETRY_MS while anything waits. `onSent`: something arrived (reload what it changed).
 */
export interface OutboxView {
  items: OutboxItem[];
  counts: OutboxCounts;
  flush(): void;
}

export function useOutbox(userId: string | null, onSent?: () => void): OutboxView {
  const [items, setItems] = useState<OutboxItem[]>([]);
  const sentRef = useRef(onSent);
  sentRef.current = onSent;
  const counts: OutboxCounts = { pending: 0, sent: 0, failed: 0 };
  for (const i of items) counts[i.state]++;

  const flush = () => {
    if (userId) void outbox.flush(userId).catch(() => undefined);
  };

  useEffect(() => {
    if (!userId) return;
    let sent = -1;
    const refresh = async () => {
      const list = await outbox.list(userId);
      setItems(list);
      const nowSent = list.filter((i) => i.state === 'sent').length;
      if (sent >= 0 && nowSent !== sent) sentRef.current?.();
      sent = nowSent;
    };
    const unsubscribe = outbox.subscribe(() => void refresh());
    void refresh().then(flush);
    const online = () => flush();
    globalThis.addEventListener('online', online);
    const timer = setInterval(() => {
      void outbox.counts(userId).then((c) => c.pending > 0 && flush());
    }, RETRY_MS);
    return () => {
      unsubscribe();
      globalThis.removeEventListener('online', online);
      clearInterval(timer);
    };
  }, [userId]);

  return { items, counts, flush };
}

function time(at: number, lang: string): string {
  return new Date(at).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** 待发送 / 已发送 counts, and the items still waiting or refused (the refused ones can be dropped). */
export function OutboxPanel({ box }: { box: OutboxView }) {
  const lang = useLang();
  const { items, counts, flush } = box;
  const [open, setOpen] = useState(false);
  const waiting = items.filter((i) => i.state !== 'sent');
  const sent = items.filter((i) => i.state === 'sent').sort((a, b) => b.sentAt! - a.sentAt!);
  return (
    <div class={`outbox card${counts.pending ? ' waiting' : ''}`} data-testid="outbox" data-pending={counts.pending} data-sent={counts.sent} data-failed={counts.failed}>
      <button type="button" class="link row" onClick={() => setOpen(!open)} aria-expanded={open}>
        <b>{t('outbox')}</b>
        <span class="badge pending" data-testid="outbox-pending">
          {t('outboxPending')} {counts.pending}
        </span>
        <span class="badge sent" data-testid="outbox-sent">
          {t('outboxSent')} {counts.sent}
        </span>
        {counts.failed > 0 && (
          <span class="badge overdue" data-testid="outbox-failed">
            {t('outboxFailed')} {counts.failed}
          </span>
        )}
      </button>
      {(open || counts.pending > 0 || counts.failed > 0) && (
        <ul class="outbox-items">
          {waiting.length === 0 && !open && <li class="muted">{t('outboxEmpty')}</li>}
          {waiting.map((i) => (
            <li key={i.id} data-state={i.state} data-key={i.key}>
              <span class={`badge ${i.state === 'failed' ? 'overdue' : 'pending'}`}>{i.state === 'failed' ? t('outboxFailed') : t('outboxPending')}</span> {i.label}
              {i.photos.length > 0 && ` · ${t('outboxPhotos')} ${i.photos.length}`} <span class="muted">{time(i.createdAt, lang)}</span>
              {i.error && <div class={i.state === 'failed' ? 'error' : 'muted'}>{i.error.message}</div>}
              {i.state === 'failed' && (
                <button type="button" class="link" data-action="discard" onClick={() => void outbox.discard(i.id!)}>
                  {t('outboxDiscard')}
                </button>
              )}
            </li>
          ))}
          {open &&
            sent.map((i) => (
              <li key={i.id} data-state="sent">
                <span class="badge sent">{t('outboxSent')}</span> {i.label} <span class="muted">{time(i.sentAt!, lang)}</span>
              </li>
            ))}
        </ul>
      )}
      {counts.pending > 0 && (
        <button type="button" data-action="send-now" onClick={flush}>
          {t('outboxSendNow')}
        </button>
      )}
    </div>
  );
}

/** The line above a list shown from its kept copy. */
export function OfflineCopyLine({ since }: { since: number | null }) {
  const lang = useLang();
  if (since === null) return null;
  return (
    <p class="muted offline-copy" data-testid="offline-copy">
      {t('offlineCopy')} {new Date(since).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}
    </p>
  );
}
