import { useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { ProblemGroups } from './import-problems';
import { refusedGroups, reportLines, type ImportKind, type ImportReportView, type ProblemGroup, type ReplaceLayer } from './import-report';

const w = words({
  title: ['导入', 'Imports'],
  hint: [
    '上传单元网格、道路（GeoJSON）和路长（CSV），先检查，确认后再导入。',
    'Upload grid cells, roads (GeoJSON) and road chiefs (CSV): check first, then confirm to import.',
  ],
  files: ['文件', 'Files'],
  kind: ['类型', 'Kind'],
  auto: ['自动识别', 'detect'],
  replace: ['替换图层', 'Replace layer'],
  noReplace: ['不替换（合并）', 'none (merge)'],
  replaceCells: ['单元网格（调整网格）', 'grid cells (re-zoning)'],
  replaceRoads: ['路网', 'road network'],
  replaceHint: [
    '替换：文件即整个图层，文件中没有的网格或路段将停用，未办结案卷重新定位、必要时改派。',
    'Replace: the file is the whole layer; cells or segments it does not list are retired, open cases are located again and re-routed where needed.',
  ],
  skipInvalid: ['跳过有误的记录', 'Skip bad records'],
  check: ['检查', 'Check'],
  confirm: ['确认导入', 'Confirm import'],
  checking: ['检查中…', 'Checking…'],
  importing: ['导入中…', 'Importing…'],
  refused: ['以下记录有误，未写入任何数据', 'These records are refused; nothing was written'],
  planned: ['检查通过：确认后将执行以下变更', 'Checked: confirming makes these changes'],
  done: ['导入完成', 'Imported'],
  orphans: ['以下路长职责已无对应路段或网格，请重新指派', "Chiefs' scopes left with no live place: reassign them"],
  skippedTitle: ['跳过的记录', 'Skipped records'],
  problem: ['原因', 'Reason'],
  chief: ['路长', 'Chief'],
  scope: ['职责', 'Scope'],
});

interface Chosen {
  file: File;
  kind: ImportKind | '';
}

/** What was sent (the files' text and the options), so the full list of problems can be asked for again as CSV. */
type Sent = Record<string, unknown>;
type Outcome =
  | { kind: 'refused'; message: string; groups: ProblemGroup[]; sent: Sent }
  | { kind: 'report'; report: ImportReportView; sent: Sent }
  | { kind: 'error'; message: string };

/** `/admin/imports`: upload, check (dry run), see the refused records grouped by problem, confirm. */
export function ImportsSection() {
  const lang = useLang();
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [replace, setReplace] = useState<ReplaceLayer | ''>('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const changed = () => setOutcome(null);
  async function send(dryRun: boolean) {
    setBusy(dryRun ? 'check' : 'import');
    let sent: Sent = {};
    try {
      const files = await Promise.all(chosen.map(async (c) => ({ name: c.file.name, content: await c.file.text(), ...(c.kind ? { kind: c.kind } : {}) })));
      sent = { files, replace: replace || null, skipInvalid };
      const report = await api.post<ImportReportView>('/api/v1/admin/import', { ...sent, dryRun });
      setOutcome({ kind: 'report', report, sent });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'import_rejected') setOutcome({ kind: 'refused', message: e.message, groups: refusedGroups(e.body), sent });
      else setOutcome({ kind: 'error', message: errorText(e) });
    } finally {
      setBusy(null);
    }
  }

  const checked = outcome?.kind === 'report' && !outcome.report.applied;
  return (
    <div class="card" data-testid="imports">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <form class="filters" onSubmit={(e) => (e.preventDefault(), void send(true))}>
        <label>
          {w('files')}{' '}
          <input
            type="file"
            name="files"
            multiple
            accept=".geojson,.json,.csv"
            onChange={(e) => {
              setChosen([...((e.target as HTMLInputElement).files ?? [])].map((file) => ({ file, kind: '' })));
              changed();
            }}
          />
        </label>
        <label>
          {w('replace')}{' '}
          <select name="replace" value={replace} onChange={(e) => (setReplace((e.target as HTMLSelectElement).value as ReplaceLayer | ''), changed())}>
            <option value="">{w('noReplace')}</option>
            <option value="cells">{w('replaceCells')}</option>
            <option value="roads">{w('replaceRoads')}</option>
          </select>
        </label>
        <label>
          <input type="checkbox" name="skipInvalid" checked={skipInvalid} onChange={(e) => (setSkipInvalid((e.target as HTMLInputElement).checked), changed())} />{' '}
          {w('skipInvalid')}
        </label>
        <button class="primary" type="submit" disabled={chosen.length === 0 || busy !== null} data-testid="import-check">
          {busy === 'check' ? w('checking') : w('check')}
        </button>
        <button type="button" disabled={!checked || busy !== null} data-testid="import-confirm" onClick={() => void send(false)}>
          {busy === 'import' ? w('importing') : w('confirm')}
        </button>
      </form>
      {replace && <p class="muted">{w('replaceHint')}</p>}
      {chosen.length > 0 && (
        <ul class="import-files" data-testid="import-files">
          {chosen.map((c, i) => (
            <li key={c.file.name}>
              {c.file.name} <span class="muted">({Math.ceil(c.file.size / 1024)} KB)</span>{' '}
              <select
                class="inline"
                style={{ width: 'auto' }}
                aria-label={w('kind')}
                value={c.kind}
                onChange={(e) => (setChosen(chosen.map((x, j) => (j === i ? { ...x, kind: (e.target as HTMLSelectElement).value as ImportKind | '' } : x))), changed())}
              >
                <option value="">{w('auto')}</option>
                <option value="cells">cells</option>
                <option value="roads">roads</option>
                <option value="chiefs">chiefs</option>
              </select>
            </li>
          ))}
        </ul>
      )}
      {outcome?.kind === 'error' && <p class="error" role="alert">{outcome.message}</p>}
      {outcome?.kind === 'refused' && (
        <div data-testid="import-refused">
          <p class="error" role="alert">{`${w('refused')} · ${outcome.message}`}</p>
          <ProblemGroups groups={outcome.groups} request={outcome.sent} />
        </div>
      )}
      {outcome?.kind === 'report' && <ReportView report={outcome.report} sent={outcome.sent} lang={lang} />}
    </div>
  );
}

function ReportView({ report, sent, lang }: { report: ImportReportView; sent: Sent; lang: 'zh' | 'en' }) {
  return (
    <div data-testid={report.applied ? 'import-done' : 'import-plan'}>
      <p class={report.applied ? 'ok' : 'muted'}>
        <strong>{report.applied ? w('done') : w('planned')}</strong>
      </p>
      <ul>
        {reportLines(report, lang).map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {report.orphanedScopes.length > 0 && (
        <>
          <p class="error">{w('orphans')}</p>
          <table class="admin-table" data-testid="import-orphans">
            <thead>
              <tr>
                <th>{w('chief')}</th>
                <th>{w('scope')}</th>
                <th>{w('problem')}</th>
              </tr>
            </thead>
            <tbody>
              {report.orphanedScopes.map((s) => (
                <tr key={`${s.chief.username}:${s.kind}:${s.ref}`}>
                  <td>{`${s.chief.name} (${s.chief.username}, ${s.chief.level})`}</td>
                  <td>{`${s.kind} ${s.ref} ${s.name}`}</td>
                  <td>{s.problem}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {report.skipped.length > 0 && (
        <>
          <p class="muted">{w('skippedTitle')}</p>
          <ProblemGroups groups={report.skippedGroups} request={sent} />
        </>
      )}
    </div>
  );
}
