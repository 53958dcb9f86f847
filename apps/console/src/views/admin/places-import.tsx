import { useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../../api';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';

const w = words({
  title: ['导入点位（CSV 或 GeoJSON）', 'Import places (CSV or GeoJSON)'],
  hint: [
    'CSV 列：kind,name,lng,lat[,address,owner_name,owner_phone,responsible,code]，种类可写 工地/市场/卡点/企业/其他；GeoJSON：点或面，属性 kind、name、address、ownerName、ownerPhone、responsible（用户名）、code。有编码的行更新同编码的点位，无编码的行按同种类、同名称、相距 20 米内视为同一点位。任何一行有误则整个文件不导入。',
    'CSV columns: kind,name,lng,lat[,address,owner_name,owner_phone,responsible,code], kinds also as 工地/市场/卡点/企业/其他; GeoJSON: points or polygons with properties kind, name, address, ownerName, ownerPhone, responsible (username), code. A row with a code updates the place of that code; without, the same kind and name within 20 m is the same place. Any bad row refuses the whole file.',
  ],
  file: ['文件', 'File'],
  coord: ['坐标系', 'Coordinates'],
  preview: ['预览', 'Preview'],
  run: ['导入', 'Import'],
  wouldDo: ['预览（未写入）：', 'Preview (nothing written):'],
  done: ['已导入：', 'Imported:'],
  counts: ['新增 {c}，更新 {u}，未变 {n}', '{c} created, {u} updated, {n} unchanged'],
  problems: ['问题（{n}）：', 'Problems ({n}):'],
  refused: ['文件未导入，未写入任何数据：', 'The file was not imported, nothing was written:'],
});

const COORDS = [
  ['wgs84', 'WGS84 (GPS)'],
  ['gcj02', 'GCJ-02 (高德 AMap)'],
  ['bd09', 'BD-09 (百度 Baidu)'],
] as const;

interface Group {
  problem: string;
  count: number;
  examples: { file: string; feature: string; problem: string }[];
}
interface Report {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  groups: Group[];
}

/** On 巡查与值守: a places file checked (preview: counts and grouped problems) and imported, all or nothing. */
export function PlacesImport({ onImported }: { onImported(): void }) {
  useLang();
  const [file, setFile] = useState<File | null>(null);
  const [coordSystem, setCoordSystem] = useState('wgs84');
  const [report, setReport] = useState<Report | null>(null);
  const [refused, setRefused] = useState<Group[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setReport(null);
    setRefused(null);
    setError(null);
    try {
      const answer = await api.post<Report>(`/api/v1/places/import${dryRun ? '?dryRun=true' : ''}`, { name: file.name, content: await file.text(), coordSystem });
      setReport(answer);
      if (!dryRun) onImported();
    } catch (e) {
      const groups = e instanceof ApiError ? (e.body as { groups?: Group[] } | null)?.groups : undefined;
      if (groups) setRefused(groups);
      else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card" data-testid="places-import" open>
      <summary>{w('title')}</summary>
      <p class="muted">{w('hint')}</p>
      <div class="inline-form">
        <label>
          {w('file')}{' '}
          <input
            type="file"
            name="placesFile"
            accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        <label>
          {w('coord')}{' '}
          <select name="coordSystem" value={coordSystem} onChange={(e) => setCoordSystem(e.currentTarget.value)}>
            {COORDS.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-action="preview-places" disabled={!file || busy} onClick={() => void send(true)}>
          {w('preview')}
        </button>
        <button type="button" data-action="import-places" disabled={!file || busy} onClick={() => void send(false)}>
          {w('run')}
        </button>
      </div>
      <ErrorLine error={error} />
      {report && (
        <div class="card notice" data-testid="places-import-report" data-dry-run={String(report.dryRun)} data-created={report.created} data-updated={report.updated} data-unchanged={report.unchanged}>
          {report.dryRun ? w('wouldDo') : w('done')} {w('counts').replace('{c}', String(report.created)).replace('{u}', String(report.updated)).replace('{n}', String(report.unchanged))}
          {report.groups.length > 0 && <ProblemGroups groups={report.groups} title={w('problems').replace('{n}', String(report.groups.reduce((n, g) => n + g.count, 0)))} />}
        </div>
      )}
      {refused && (
        <div class="error" role="alert" data-testid="places-import-refused">
          <ProblemGroups groups={refused} title={w('refused')} />
        </div>
      )}
    </details>
  );
}

function ProblemGroups({ groups, title }: { groups: Group[]; title: string }) {
  return (
    <div data-testid="places-import-problems">
      {title}
      <ul>
        {groups.map((g) => (
          <li key={g.problem} data-count={g.count}>
            {g.problem} × {g.count}
            <ul>
              {g.examples.map((x) => (
                <li key={x.feature + x.problem}>
                  {x.feature}: {x.problem}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
