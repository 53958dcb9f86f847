import { useEffect, useState } from 'preact/hooks';
import { api, errorText, uploadPhotos, type CaseView } from '../api';
import { useApp } from '../app-context';
import { alertNewTask, ErrorLine, FeedBadge, PhotoInput, useFeed } from '../components/common';
import { statusName, t, useLang } from '../i18n';
import { ReportForm, trackingLinkOf } from './report-form';
import { DutySwitch } from './warden-duty';

/** The warden's phone: report a problem, and check fixes on site (pass or fail, with photos). */
export function WardenView() {
  const lang = useLang();
  const { session, config, signOut } = useApp();
  const [tab, setTab] = useState<'report' | 'checks'>('report');
  const [checks, setChecks] = useState<CaseView[] | null>(null);
  const [reported, setReported] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load(alert = false) {
    try {
      const list = await api.get<CaseView[]>('/api/v1/me/tasks');
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
      </nav>
      <ErrorLine error={error} />
      {tab === 'report' && (
        <>
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
          <ReportForm config={config} anonymous={false} showCells onReported={setReported} />
        </>
      )}
      {tab === 'checks' && <DutySwitch onChanged={() => void load()} />}
      {tab === 'checks' &&
        (checks === null ? (
          <p>{t('loading')}</p>
        ) : checks.length === 0 ? (
          <p class="muted">{t('noTasks')}</p>
        ) : (
          <ul class="tasks" data-testid="checks">
            {checks.map((c) => (
              <CheckCard key={c.id} c={c} lang={lang} onChanged={() => void load()} />
            ))}
          </ul>
        ))}
    </section>
  );
}

function CheckCard({ c, lang, onChanged }: { c: CaseView; lang: string; onChanged(): void }) {
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
      if (files.length) body.mediaIds = await uploadPhotos(files);
      await api.post(`/api/v1/cases/${c.id}/verify`, body);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const resolution = [...(c.timeline ?? [])].reverse().find((e) => e.type === 'case.resolved');
  return (
    <li class="task card" data-case-id={c.id} data-status={c.status}>
      <div class="row">
        <b>{c.code}</b>
        <span class={`status s-${c.status}`}>{statusName(c.status)}</span>
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
        <button class="primary" disabled={busy} data-action="pass" onClick={() => verify(true)}>
          ✔ {t('pass')}
        </button>
        <button disabled={busy} data-action="fail" onClick={() => verify(false)}>
          ✘ {t('fail')}
        </button>
      </div>
      <ErrorLine error={error} />
    </li>
  );
}
