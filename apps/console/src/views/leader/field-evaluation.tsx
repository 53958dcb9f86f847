import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { lw } from './leader-i18n';
import { fixed, percent } from './period';

interface FieldFormulaView {
  version: number;
  weights: Record<string, number>;
}

interface InspectionRowView {
  key: string;
  name: string;
  rank: number;
  score: number | null;
  due: number;
  onTime: number;
  late: number;
  missed: number;
  onTimeRate: number | null;
  failedItems: number;
  fixedOnTime: number;
  fixedOnTimeRate: number | null;
}

interface InspectionReportView {
  formula: FieldFormulaView;
  rows: InspectionRowView[];
  totals: Omit<InspectionRowView, 'key' | 'name' | 'rank'>;
}

interface MilestoneRowView {
  group: { id: string; name: string };
  rank: number;
  score: number | null;
  due: number;
  metOnTime: number;
  metLate: number;
  open: number;
  onTimeRate: number | null;
}

interface MilestoneReportView {
  formula: FieldFormulaView;
  rows: MilestoneRowView[];
  totals: Omit<MilestoneRowView, 'group' | 'rank'>;
}

const INSPECTION_GROUPS = ['person', 'street'] as const;
const MILESTONE_GROUPS = ['owner', 'street', 'campaign'] as const;

/**
 * 巡查与节点考核: inspections done on time and failed items fixed on time (per person or street), and
 * campaign milestones met on time (per owner, street or campaign), for the evaluation page's period,
 * each ranked by the field formula version the server names.
 */
export function FieldEvaluation({ from, to }: { from: string; to: string }) {
  useLang();
  const [inspectionGroup, setInspectionGroup] = useState<(typeof INSPECTION_GROUPS)[number]>('person');
  const [milestoneGroup, setMilestoneGroup] = useState<(typeof MILESTONE_GROUPS)[number]>('owner');
  const [inspections, setInspections] = useState<InspectionReportView | null>(null);
  const [milestones, setMilestones] = useState<MilestoneReportView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([
      api.get<InspectionReportView>(`/api/v1/inspections/evaluation?from=${from}&to=${to}&groupBy=${inspectionGroup}`),
      api.get<MilestoneReportView>(`/api/v1/campaigns/evaluation?from=${from}&to=${to}&groupBy=${milestoneGroup}`),
    ])
      .then(([i, m]) => live && (setInspections(i), setMilestones(m), setError(null)))
      .catch((e) => live && setError(errorText(e)));
    return () => void (live = false);
  }, [from, to, inspectionGroup, milestoneGroup]);

  return (
    <div class="card" data-testid="field-evaluation">
      <h3>{lw('fieldEvaluation')}</h3>
      <ErrorLine error={error} />
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {lw('inspectionsBy')}
          <select name="inspectionGroup" value={inspectionGroup} onChange={(e) => setInspectionGroup(e.currentTarget.value as (typeof INSPECTION_GROUPS)[number])}>
            {INSPECTION_GROUPS.map((g) => (
              <option key={g} value={g}>
                {lw(`fg_${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {lw('milestonesBy')}
          <select name="milestoneGroup" value={milestoneGroup} onChange={(e) => setMilestoneGroup(e.currentTarget.value as (typeof MILESTONE_GROUPS)[number])}>
            {MILESTONE_GROUPS.map((g) => (
              <option key={g} value={g}>
                {lw(`fg_${g}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {inspections && (
        <FieldTable
          title={lw('inspections')}
          kind="inspection"
          formula={inspections.formula}
          columns={[
            ['due', (r) => r.due],
            ['doneOnTime', (r) => r.onTime],
            ['late', (r) => r.late],
            ['missed', (r) => r.missed],
            ['onTimeRate', (r) => percent(r.onTimeRate)],
            ['failedItems', (r) => r.failedItems],
            ['fixedOnTime', (r) => r.fixedOnTime],
          ]}
          rows={inspections.rows.map((r) => ({ id: r.key, name: r.name, rank: r.rank, cells: r, data: { 'data-due': r.due, 'data-on-time': r.onTime } }))}
          totals={{ cells: inspections.totals, data: { 'data-due': inspections.totals.due, 'data-on-time': inspections.totals.onTime } }}
        />
      )}
      {milestones && (
        <FieldTable
          title={lw('milestones')}
          kind="milestone"
          formula={milestones.formula}
          columns={[
            ['due', (r) => r.due],
            ['metOnTime', (r) => r.metOnTime],
            ['metLate', (r) => r.metLate],
            ['open', (r) => r.open],
            ['onTimeRate', (r) => percent(r.onTimeRate)],
          ]}
          rows={milestones.rows.map((r) => ({ id: r.group.id, name: r.group.name, rank: r.rank, cells: r, data: { 'data-due': r.due, 'data-met-on-time': r.metOnTime } }))}
          totals={{ cells: milestones.totals, data: { 'data-due': milestones.totals.due, 'data-met-on-time': milestones.totals.metOnTime } }}
        />
      )}
    </div>
  );
}

type Cells = { score: number | null };
type Column<T> = [label: Parameters<typeof lw>[0], value: (row: T) => string | number];

/** One ranked table of the section: rank, name, score, then the columns; the row's figures also as data attributes (the browser spec reads them). */
function FieldTable<T extends Cells>({
  title,
  kind,
  formula,
  columns,
  rows,
  totals,
}: {
  title: string;
  kind: 'inspection' | 'milestone';
  formula: FieldFormulaView;
  columns: Column<T>[];
  rows: { id: string; name: string; rank: number; cells: T; data: Record<string, number> }[];
  totals: { cells: T; data: Record<string, number> };
}) {
  return (
    <>
      <h4>
        {title} <span class="muted" data-testid={`${kind}-formula`}>{lw('formula')} v{formula.version}</span>
      </h4>
      <table class="admin-table ranking" data-testid={`${kind}-ranking`}>
        <thead>
          <tr>
            <th>{lw('rank')}</th>
            <th>{lw('name')}</th>
            <th>{lw('score')}</th>
            {columns.map(([label]) => (
              <th key={label}>{lw(label)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-group-id={r.id} data-rank={r.rank} data-score={r.cells.score ?? ''} {...r.data}>
              <td>{r.rank}</td>
              <td>{r.name}</td>
              <td>{fixed(r.cells.score)}</td>
              {columns.map(([label, value]) => (
                <td key={label}>{value(r.cells)}</td>
              ))}
            </tr>
          ))}
          <tr class="total" data-testid={`${kind}-totals`} {...totals.data}>
            <td />
            <td>{lw('total')}</td>
            <td>{fixed(totals.cells.score)}</td>
            {columns.map(([label, value]) => (
              <td key={label}>{value(totals.cells)}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </>
  );
}
