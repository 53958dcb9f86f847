import { useEffect, useState } from 'preact/hooks';
import { api, download, errorText } from '../../api';
import { useApp } from '../../app-context';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { lw } from './leader-i18n';
import { dateBefore, fixed, percent } from './period';

/** A row of `GET /api/v1/bulletins`. */
interface BulletinSummaryView {
  id: string;
  kind: 'daily' | 'weekly';
  period: string;
  revision: number;
  title: { zh: string; en: string };
  formulaVersion: number;
  generatedAt: string;
  trigger: 'schedule' | 'manual';
  revisions: number;
}

interface RankedGroupView {
  id: string;
  name: string;
  level: number | null;
  rank: number;
  previousRank: number | null;
  rankChange: number | null;
  score: number | null;
  counts: { reported: number; registered: number; closed: number; overdueOpen: number };
  metrics: { onTimeHandlingRate: number | null; closingRate: number | null; meanHandlingHours: number | null };
}

/** The stored document (`GET /api/v1/bulletins/:kind/:period`), the parts the page shows. */
interface BulletinDocumentView {
  kind: 'daily' | 'weekly';
  period: string;
  revision: number;
  title: { zh: string; en: string };
  firstDay: string;
  lastDay: string;
  generatedAt: string;
  formula: { version: number };
  previousPeriod: string;
  totals: { counts: RankedGroupView['counts'] & { handled: number }; metrics: RankedGroupView['metrics']; score: number | null };
  chiefs: RankedGroupView[];
  streets: RankedGroupView[];
  /** Absent from bulletins made before departments were ranked. */
  departments?: RankedGroupView[];
  overdue: { id: string; code: string; street?: { name: string }; deadlineAt?: string }[];
  overdueCount: number;
  hotspots: { id: string; category: { name: string }; caseCount: number; street: { name: string } }[];
}

const pathOf = (b: { kind: string; period: string }, ext = '') => `/api/v1/bulletins/${b.kind}/${encodeURIComponent(b.period)}${ext}`;

/**
 * 通报: the daily summaries and weekly bulletins, newest first; one read in the page and downloaded as
 * XLSX, CSV or HTML (rendered by libs/bulletins); a leader (or admin) generates one now.
 */
export function BulletinsPage() {
  const lang = useLang();
  const { session } = useApp();
  const [list, setList] = useState<BulletinSummaryView[] | null>(null);
  const [open, setOpen] = useState<BulletinSummaryView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canGenerate = session?.user.role === 'leader' || session?.user.role === 'admin';

  async function load(select?: { kind: string; period: string }) {
    try {
      const rows = await api.get<BulletinSummaryView[]>('/api/v1/bulletins?limit=200');
      setList(rows);
      const pick = select ? rows.find((r) => r.kind === select.kind && r.period === select.period) : null;
      setOpen((current) => pick ?? current ?? rows[0] ?? null);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  return (
    <section class="leader-page" data-testid="bulletins-page">
      <h2>{lw('bulletins')}</h2>
      {canGenerate && <GenerateForm onDone={(b) => void load(b)} />}
      <ErrorLine error={error} />
      {list && list.length === 0 && <p class="muted">{lw('noBulletins')}</p>}
      <div class="split">
        {list && list.length > 0 && (
          <table class="admin-table bulletin-list" data-testid="bulletin-list">
            <thead>
              <tr>
                <th>{lw('kind')}</th>
                <th>{lw('period')}</th>
                <th>{lw('revision')}</th>
                <th>{lw('generatedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr
                  key={b.id}
                  class={`clickable${open?.id === b.id ? ' selected' : ''}`}
                  data-kind={b.kind}
                  data-period={b.period}
                  onClick={() => setOpen(b)}
                >
                  <td>{lw(b.kind)}</td>
                  <td>{b.period}</td>
                  <td>r{b.revision}</td>
                  <td>{new Date(b.generatedAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {open && <BulletinReader key={open.id} summary={open} />}
      </div>
    </section>
  );
}

function GenerateForm({ onDone }: { onDone(b: { kind: string; period: string }): void }) {
  useLang();
  const [kind, setKind] = useState<'daily' | 'weekly'>('daily');
  const [day, setDay] = useState(dateBefore(1));
  const [week, setWeek] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const period = kind === 'daily' ? day : week;
      const doc = await api.post<{ kind: string; period: string }>(`${pathOf({ kind, period })}/generate`);
      onDone(doc);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="filters card" data-testid="generate-bulletin" onSubmit={submit}>
      <label>
        {lw('kind')}
        <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'daily' | 'weekly')}>
          <option value="daily">{lw('daily')}</option>
          <option value="weekly">{lw('weekly')}</option>
        </select>
      </label>
      <label>
        {lw('generateFor')}
        {kind === 'daily' ? (
          <input type="date" name="day" value={day} required onChange={(e) => setDay(e.currentTarget.value)} />
        ) : (
          <input name="week" value={week} required placeholder="2026-W48" pattern="\d{4}-W\d{2}" onInput={(e) => setWeek(e.currentTarget.value)} />
        )}
      </label>
      <button type="submit" class="primary" disabled={busy}>
        {lw('generate')}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}

/** One bulletin read in the page, with its downloads. */
function BulletinReader({ summary }: { summary: BulletinSummaryView }) {
  const lang = useLang();
  const [doc, setDoc] = useState<BulletinDocumentView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rev = `?revision=${summary.revision}`;
  useEffect(() => {
    api
      .get<BulletinDocumentView>(pathOf(summary) + rev)
      .then(setDoc)
      .catch((e) => setError(errorText(e)));
  }, [summary.id]);
  const save = (ext: 'xlsx' | 'csv' | 'html') =>
    download(pathOf(summary, `.${ext}`) + rev, `bulletin-${summary.kind}-${summary.period}-r${summary.revision}.${ext}`).catch((e) => setError(errorText(e)));

  return (
    <article class="card bulletin" data-testid="bulletin" data-kind={summary.kind} data-period={summary.period}>
      <h3>{lang === 'zh' ? summary.title.zh : summary.title.en}</h3>
      <div class="row">
        <span>{lw('download')}:</span>
        <button data-download="xlsx" onClick={() => void save('xlsx')}>
          XLSX
        </button>
        <button data-download="csv" onClick={() => void save('csv')}>
          CSV
        </button>
        <button data-download="html" onClick={() => void save('html')}>
          HTML
        </button>
      </div>
      <ErrorLine error={error} />
      {doc && (
        <>
          <p class="muted">
            {doc.firstDay} – {doc.lastDay} · {lw('formula')} v{doc.formula.version} · {lw('previous')} {doc.previousPeriod}
          </p>
          <dl class="totals" data-testid="bulletin-totals">
            <dt>{lw('reported')}</dt>
            <dd data-key="reported">{doc.totals.counts.reported}</dd>
            <dt>{lw('registered')}</dt>
            <dd>{doc.totals.counts.registered}</dd>
            <dt>{lw('closed')}</dt>
            <dd data-key="closed">{doc.totals.counts.closed}</dd>
            <dt>{lw('overdueOpen')}</dt>
            <dd>{doc.totals.counts.overdueOpen}</dd>
            <dt>{lw('onTime')}</dt>
            <dd>{percent(doc.totals.metrics.onTimeHandlingRate)}</dd>
            <dt>{lw('score')}</dt>
            <dd>{fixed(doc.totals.score)}</dd>
          </dl>
          <RankedTable title={lw('chiefsRanking')} rows={doc.chiefs} testid="bulletin-chiefs" />
          <RankedTable title={lw('streetsRanking')} rows={doc.streets} testid="bulletin-streets" />
          <RankedTable title={lw('departmentsRanking')} rows={doc.departments ?? []} testid="bulletin-departments" />
          <h4>
            {lw('overdueList')} ({doc.overdueCount})
          </h4>
          <p class="muted">{doc.overdue.slice(0, 30).map((c) => c.code).join('、') || '—'}</p>
          <h4>
            {lw('hotspots')} ({doc.hotspots.length})
          </h4>
          <ul>
            {doc.hotspots.slice(0, 10).map((h) => (
              <li key={h.id}>
                {h.street.name} · {h.category.name} × {h.caseCount}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function RankedTable({ title, rows, testid }: { title: string; rows: RankedGroupView[]; testid: string }) {
  return (
    <>
      <h4>{title}</h4>
      <table class="admin-table" data-testid={testid}>
        <thead>
          <tr>
            <th>{lw('rank')}</th>
            <th>{lw('change')}</th>
            <th>{lw('name')}</th>
            <th>{lw('score')}</th>
            <th>{lw('closed')}</th>
            <th>{lw('onTime')}</th>
            <th>{lw('overdueOpen')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 20).map((g) => (
            <tr key={g.id} data-group-id={g.id}>
              <td>{g.rank}</td>
              <td>{g.rankChange === null ? lw('newEntry') : g.rankChange > 0 ? `▲${g.rankChange}` : g.rankChange < 0 ? `▼${-g.rankChange}` : '—'}</td>
              <td>{g.name}</td>
              <td>{fixed(g.score)}</td>
              <td>{g.counts.closed}</td>
              <td>{percent(g.metrics.onTimeHandlingRate)}</td>
              <td>{g.counts.overdueOpen}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
