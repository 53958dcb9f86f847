import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { words } from './admin-i18n';
import { ErrorLine } from '../../components/common';

export interface CalendarRow {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  nameEn: string;
}

interface CalendarYear {
  year: number;
  covered: boolean;
  entries: CalendarRow[];
}

const w = words({
  title: ['节假日', 'Holiday calendar'],
  hint: ['工作时和工作日时限按此日历计算；保存后新计算的期限立即生效。', 'Work-hour and work-day limits count by this calendar; deadlines computed after saving follow it.'],
  year: ['年份', 'Year'],
  uncovered: ['该年尚无节假日数据：只按周一至周五计算。', 'No entries for this year: only Monday to Friday count.'],
  date: ['日期', 'Date'],
  kind: ['类型', 'Kind'],
  holiday: ['放假', 'Day off'],
  workday: ['调休上班', 'Make-up work day'],
  name: ['名称', 'Name'],
  nameEn: ['英文名称', 'English name'],
  add: ['添加一行', 'Add a row'],
  remove: ['删除', 'Remove'],
  save: ['保存该年', 'Save the year'],
  saved: ['已保存', 'Saved'],
  outside: ['日期不在该年', 'date not in the year'],
  twice: ['日期重复', 'date listed twice'],
  noName: ['缺少名称', 'name missing'],
});

/** What is wrong with the rows before they are sent (the server checks the same and names the field). */
export function calendarProblems(year: number, rows: readonly CalendarRow[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  rows.forEach((r, i) => {
    if (!r.date.startsWith(`${year}-`)) problems.push(`#${i + 1} ${r.date || '—'}: ${w('outside')}`);
    else if (seen.has(r.date)) problems.push(`#${i + 1} ${r.date}: ${w('twice')}`);
    seen.add(r.date);
    if (!r.name.trim()) problems.push(`#${i + 1}: ${w('noName')}`);
  });
  return problems;
}

/** The body of `PUT /admin/calendar/:year`: by date, the English name left out when empty. */
export function calendarBody(rows: readonly CalendarRow[]): { date: string; kind: string; name: string; nameEn?: string }[] {
  return [...rows]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((r) => ({ date: r.date, kind: r.kind, name: r.name.trim(), ...(r.nameEn.trim() ? { nameEn: r.nameEn.trim() } : {}) }));
}

export function CalendarSection() {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [rows, setRows] = useState<CalendarRow[] | null>(null);
  const [covered, setCovered] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    setRows(null);
    setSaved(false);
    api.get<CalendarYear>(`/api/v1/admin/calendar/${year}`).then(
      (y) => (setRows(y.entries), setCovered(y.covered), setError(null)),
      (e) => setError(errorText(e)),
    );
  }, [year]);

  const edit = (i: number, patch: Partial<CalendarRow>) => rows && (setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r))), setSaved(false));
  const problems = rows ? calendarProblems(year, rows) : [];

  async function save(e: Event) {
    e.preventDefault();
    if (!rows || problems.length) return;
    try {
      const y = await api.put<CalendarYear>(`/api/v1/admin/calendar/${year}`, calendarBody(rows));
      setRows(y.entries);
      setCovered(y.covered);
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div class="card" data-testid="calendar">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <label>
        {w('year')}{' '}
        <select name="year" value={String(year)} onChange={(e) => setYear(Number((e.target as HTMLSelectElement).value))}>
          {[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => (
            <option key={y} value={String(y)}>
              {y}
            </option>
          ))}
        </select>
      </label>
      {!covered && <p class="muted">{w('uncovered')}</p>}
      {rows && (
        <form onSubmit={save}>
          <table class="admin-table" data-testid="calendar-table">
            <thead>
              <tr>
                <th>{w('date')}</th>
                <th>{w('kind')}</th>
                <th>{w('name')}</th>
                <th>{w('nameEn')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>
                    <input type="date" name="date" value={r.date} min={`${year}-01-01`} max={`${year}-12-31`} onInput={(e) => edit(i, { date: (e.target as HTMLInputElement).value })} />
                  </td>
                  <td>
                    <select name="kind" value={r.kind} onChange={(e) => edit(i, { kind: (e.target as HTMLSelectElement).value as CalendarRow['kind'] })}>
                      <option value="holiday">{w('holiday')}</option>
                      <option value="workday">{w('workday')}</option>
                    </select>
                  </td>
                  <td>
                    <input name="name" maxLength={50} value={r.name} onInput={(e) => edit(i, { name: (e.target as HTMLInputElement).value })} />
                  </td>
                  <td>
                    <input name="nameEn" maxLength={80} value={r.nameEn} onInput={(e) => edit(i, { nameEn: (e.target as HTMLInputElement).value })} />
                  </td>
                  <td>
                    <button type="button" onClick={() => (setRows(rows.filter((_, j) => j !== i)), setSaved(false))}>
                      {w('remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="filters">
            <button type="button" data-testid="calendar-add" onClick={() => (setRows([...rows, { date: `${year}-01-01`, kind: 'holiday', name: '', nameEn: '' }]), setSaved(false))}>
              {w('add')}
            </button>
            <button class="primary" type="submit" data-testid="calendar-save" disabled={problems.length > 0}>
              {w('save')}
            </button>
            {saved && <span role="status">{w('saved')}</span>}
          </div>
          {problems.length > 0 && (
            <ul class="error">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </form>
      )}
      <ErrorLine error={error} />
    </div>
  );
}
