import { useEffect, useState } from 'preact/hooks';
import { errorText, type CaseView } from '../api';
import { useApp } from '../app-context';
import { alertNewTask, ErrorLine, FeedBadge, PhotoInput, useFeed } from '../components/common';
import { statusName, t, useLang } from '../i18n';
import { cachedGet } from '../offline/cached-read';
import type { OutboxItem } from '../offline/offline-db';
import { OfflineCopyLine, outbox, OutboxPanel, useOutbox } from '../offline/outbox-panel';
import { MyInspections } from './inspections';
import { ReportForm, trackingLinkOf } from './report-form';
import { DutySwitch } from './warden-duty';

/** The warden's phone: report a problem, and check fixes on site (pass or fail, with photos). */
export function WardenView() {
  const lang = useLang();
  const { session, config, signOut } = useApp();
  const [tab, setTab] = useState<'report' | 'checks' | 'inspections'>('report');
  const [checks, setChecks] = useState<CaseView[] | null>(null);
  const [reported, setReported] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [offlineSince, setOfflineSince] = useState<number | null>(null);
  const [queued, setQueued] = useState(false);
  const userId = session?.user.id ?? null;
  const box = useOutbox(userId, () => void load());

  async function load(alert = false) {
    if (!userId) return;
    try {
      // Without signal: the last fetched copy, marked so.
      const { data: list, offlineSince: since } = await cachedGet<CaseView[]>(userId, '/api/v1/me/tasks');
      setOfflineSince(since);
      setChecks((before) => {
        if (alert && before && list.some((c) => !before.some((b) => b.id === c.id))) alertNewTask();
        return list;
      });
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);
  const { state } = useFeed(config, session?.accessToken ?? null, { onEvent: () => void load(true), onAuthRefused: () => signOut(), onResync: () => void load() });

  const link = reported ? trackingLinkOf(reported) : null;
  return (
    <section class="phone">
      <div class="row">
        <h2>{t('warden')}</h2>
        <FeedBadge state={state} />
      </div>
      <nav class="tabs">
        <button class={tab === 'report' ? 'active' : ''} onClick={() => setTab('report')}>
          {t('report')}
        </button>
        <button class={tab === 'checks' ? 'active' : ''} data-testid="tab-checks" onClick={() => setTab('checks')}>
          {t('myChecks')} {checks && checks.length > 0 && <span class="badge new">{checks.length}</span>}
        </button>
        <button class={tab === 'inspections' ? 'active' : ''} data-testid="tab-inspections" onClick={() => setTab('inspections')}>
          {t('myInspections')}
        </button>
      </nav>
      <OutboxPanel box={box} />
      <ErrorLine error={error} />
      {tab === 'report' && (
        <>
          {queued && (
            <div class="card notice" data-testid="queued">
              {t('outboxQueued')}
            </div>
          )}
          {reported && (
            <div class="card notice" data-testid="reported" data-case-id={reported.id}>
              {t('reported')}: <b>{reported.code}</b> · {statusName(reported.status)}
              {link && (
                <div>
                  {t('trackingLink')}:{' '}
                  <a href={link} data-testid="tracking-link">
                    {link}
                  </a>
                </div>
              )}
            </div>
          )}
          <ReportForm
            config={config}
            anonymous={false}
            showCells
            onReported={(c) => (setQueued(false), setReported(c))}
            send={async (report, files) => {
              const label = `${t('opReport')} ${report.categoryCode} · ${report.description.slice(0, 24)}`;
              const done = await outbox.submit(userId!, { kind: 'report', path: '/api/v1/cases', body: { ...report }, files, label });
              if (done.state === 'sent') return done.response as CaseView;
              setReported(null);
              setQueued(true);
              return null;
            }}
          />
        </>
      )}
      {tab === 'checks' && <OfflineCopyLine since={offlineSince} />}
      {tab === 'inspections' && <MyInspections />}
      {tab === 'checks' && <DutySwitch onChanged={() => void load()} />}
      {tab === 'checks' &&
        (checks === null ? (
          <p>{t('loading')}</p>
        ) : checks.length === 0 ? (
          <p class="muted">{t('noTasks')}</p>
        ) : (
          <ul class="tasks" data-testid="checks">
            {checks.map((c) => (
              <CheckCard key={c.id} c={c} lang={lang} userId={userId!} waiting={box.items.find((i) => i.state === 'pending' && i.path.startsWith(`/api/v1/cases/${c.id}/`))} onChanged={() => void load()} />
            ))}
          </ul>
        ))}
    </section>
  );
}

function CheckCard({ c, lang, userId, waiting, onChanged }: { c: CaseView; lang: string; userId: string; waiting?: OutboxItem; onChanged(): void }) {
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify(passed: boolean) {
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { passed };
      if (note) body[passed ? 'note' : 'reason'] = note;
      // Kept on the phone first: sent now, or when the signal returns (photos, then the check).
      const label = `${c.code} · ${t(passed ? 'opVerifyPass' : 'opVerifyFail')}`;
      const done = await outbox.submit(userId, { kind: 'action', path: `/api/v1/cases/${c.id}/verify`, body, files, label });
      setNote('');
      setFiles([]);
      if (done.state === 'sent') onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const resolution = [...(c.timeline ?? [])].reverse().find((e) => e.type === 'case.resolved');
  return (
    <li class="task card" data-case-id={c.id} data-status={c.status} data-waiting={waiting ? 'true' : 'false'}>
      <div class="row">
        <b>{c.code}</b>
        <span class={`status s-${c.status}`}>{statusName(c.status)}</span>
        {waiting && <span class="badge pending">{t('outboxPending')}: {waiting.label}</span>}
      </div>
      <div>{lang === 'zh' ? c.category.name : c.category.nameEn}</div>
      <p class="muted">{c.description}</p>
      {resolution?.note && <p>{resolution.note}</p>}
      {c.media.length > 0 && (
        <div class="photos">
          {c.media.map((m) => (
            <img key={m.id} src={m.url} alt="" loading="lazy" />
          ))}
        </div>
      )}
      <label>
        {t('note')}
        <textarea value={note} maxLength={1000} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <PhotoInput files={files} onChange={setFiles} />
      <div class="actions">
        <button class="primary" disabled={busy || !!waiting} data-action="pass" onClick={() => verify(true)}>
          ✔ {t('pass')}
        </button>
        <button disabled={busy || !!waiting} data-action="fail" onClick={() => verify(false)}>
          ✘ {t('fail')}
        </button>
      </div>
      <ErrorLine error={error} />
    </li>
  );
}
