import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine, PeriodInputs } from '../../components/common';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { percent } from './dispatch-accuracy';

/** A row of `GET /api/v1/evaluation?groupBy=post|person`. */
export interface StageRowView {
  post: 'intake' | 'dispatch' | 'supervisor';
  person?: { id: string | null; name: string | null };
  stages: number;
  onTime: number;
  overdue: number;
  open: number;
  escalated: number;
  onTimeRate: number | null;
}

const w = words({
  title: ['环节按时率', 'Stage timeliness'],
  hint: [
    '指挥中心各环节的时限：受理立案、派遣（自动派遣计为按时）、核查。超时计入对应岗位，并报值班长一次。',
    "The command centre's own steps are timed: registration, dispatch (automatic routing is on time), on-site check. A missed one counts against its post and is told once to the leader on duty.",
  ],
  from: ['开始', 'From'],
  to: ['结束', 'To'],
  groupBy: ['统计方式', 'Group by'],
  byPost: ['按岗位', 'By post'],
  byPerson: ['按人员', 'By person'],
  post: ['岗位', 'Post'],
  person: ['人员', 'Person'],
  system: ['系统自动', 'Automatic'],
  stages: ['环节数', 'Stages'],
  onTime: ['按时', 'On time'],
  overdue: ['超时', 'Overdue'],
  open: ['进行中', 'Open'],
  escalated: ['报值班长', 'Told to the leader'],
  rate: ['按时率', 'On-time rate'],
  none: ['本期无记录', 'Nothing in the period'],
  total: ['合计', 'Total'],
  intake: ['受理员', 'Intake operator'],
  dispatch: ['派遣员', 'Dispatch operator'],
  supervisor: ['监督员', 'Supervisor (warden)'],
});

function dateBefore(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** 环节按时率 per post (受理员, 派遣员, 监督员) or per person of them, for a period (default: the last 30 days). */
export function StageTimelinessSection() {
  useLang();
  const [from, setFrom] = useState(dateBefore(29));
  const [to, setTo] = useState(dateBefore(0));
  const [groupBy, setGroupBy] = useState<'post' | 'person'>('post');
  const [report, setReport] = useState<{ rows: StageRowView[]; totals: Omit<StageRowView, 'post' | 'person'> } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<{ rows: StageRowView[]; totals: Omit<StageRowView, 'post' | 'person'> }>(`/api/v1/evaluation?groupBy=${groupBy}&from=${from}&to=${to}`)
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [from, to, groupBy]);

  const cells = (r: Omit<StageRowView, 'post' | 'person'>) => (
    <>
      <td>{r.stages}</td>
      <td>{r.onTime}</td>
      <td>{r.overdue}</td>
      <td>{r.open}</td>
      <td>{r.escalated}</td>
      <td data-testid="rate">{percent(r.onTimeRate)}</td>
    </>
  );
  return (
    <div class="card" data-testid="stage-timeliness">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <PeriodInputs from={from} to={to} onFrom={setFrom} onTo={setTo} labels={[w('from'), w('to')]} />
        <label>
          {w('groupBy')}
          <select data-testid="stage-group" value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value === 'person' ? 'person' : 'post')}>
            <option value="post">{w('byPost')}</option>
            <option value="person">{w('byPerson')}</option>
          </select>
        </label>
      </form>
      <ErrorLine error={error} />
      {report && report.rows.length === 0 && <p class="muted">{w('none')}</p>}
      {report && report.rows.length > 0 && (
        <table class="admin-table" data-testid="stage-table">
          <thead>
            <tr>
              <th>{w('post')}</th>
              {groupBy === 'person' && <th>{w('person')}</th>}
              <th>{w('stages')}</th>
              <th>{w('onTime')}</th>
              <th>{w('overdue')}</th>
              <th>{w('open')}</th>
              <th>{w('escalated')}</th>
              <th>{w('rate')}</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={`${r.post}-${r.person?.id ?? ''}`} data-post={r.post} data-person={r.person?.id ?? ''}>
                <td>{w(r.post)}</td>
                {groupBy === 'person' && <td>{r.person?.name ?? w('system')}</td>}
                {cells(r)}
              </tr>
            ))}
            <tr class="total">
              <td>{w('total')}</td>
              {groupBy === 'person' && <td />}
              {cells(report.totals)}
            </tr>
          </tbody>
        </table>
      )}
    </div>
  );
}
