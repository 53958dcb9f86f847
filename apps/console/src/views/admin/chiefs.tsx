import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { ErrorLine } from '../../components/common';

/** A chief as `GET /api/v1/chiefs` answers it (a street admin: the chiefs of their street). */
export interface ChiefRecord {
  id: number;
  username: string;
  name: string;
  level: 1 | 2 | 3;
  title: string;
  titleEn: string;
  available: boolean;
  unavailableReason: string | null;
  deputy: { id: number; name: string; level: number } | null;
  scopes: { kind: string; ref: string; name: string }[];
}

const w = words({
  title: ['路长值班', "Chiefs' availability"],
  hint: ['请假的路长不再接收派遣：案卷改派其代理人，或上一级路长。每次变更都记入审计。', 'A chief on leave gets no dispatches: cases go to the deputy, or one level up. Every change is audited.'],
  level: ['级别', 'Level'],
  all: ['全部', 'All'],
  name: ['姓名', 'Name'],
  scopes: ['职责范围', 'Scope'],
  state: ['值班状态', 'Availability'],
  onDuty: ['在岗', 'On duty'],
  onLeave: ['请假', 'On leave'],
  reason: ['请假原因', 'Reason'],
  markLeave: ['标记请假', 'Mark on leave'],
  markBack: ['恢复在岗', 'Back on duty'],
  deputy: ['代理人', 'Deputy'],
  noDeputy: ['（无，上一级路长）', '(none: the level above)'],
  more: ['等', 'and more'],
  change: ['更换', 'Change'],
  l1: ['1 区级路长', '1 District chief'],
  l2: ['2 街道路长', '2 Street chief'],
  l3: ['3 路段长', '3 Segment chief'],
});

/** The deputies a chief may name: every other chief, their own level first, then by level and name. */
export function deputyOptions(chief: ChiefRecord, all: readonly ChiefRecord[]): ChiefRecord[] {
  return all
    .filter((c) => c.id !== chief.id)
    .sort((a, b) => Number(b.level === chief.level) - Number(a.level === chief.level) || a.level - b.level || a.name.localeCompare(b.name, 'zh-CN'));
}

function ChiefRow({ chief, all, onChange }: { chief: ChiefRecord; all: ChiefRecord[]; onChange: (id: number, patch: Record<string, unknown>) => Promise<void> }) {
  const lang = useLang();
  const [reason, setReason] = useState(chief.unavailableReason ?? '');
  // The deputy list is built for the row being changed only: one list per row would be chiefs² options.
  const [choosing, setChoosing] = useState(false);
  const scopes = chief.scopes.slice(0, 3).map((s) => s.name).join('、');
  return (
    <tr data-chief={chief.username}>
      <td>{lang === 'zh' ? chief.title : chief.titleEn}</td>
      <td>
        {chief.name} <span class="muted">{chief.username}</span>
      </td>
      <td>
        {scopes}
        {chief.scopes.length > 3 ? ` ${w('more')}` : ''}
      </td>
      <td data-testid="chief-state">
        {chief.available ? w('onDuty') : `${w('onLeave')}${chief.unavailableReason ? `：${chief.unavailableReason}` : ''}`}
      </td>
      <td>
        {chief.available ? (
          <span class="filters">
            <input name="reason" placeholder={w('reason')} maxLength={200} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
            <button type="button" data-testid="chief-leave" onClick={() => void onChange(chief.id, { available: false, unavailableReason: reason.trim() || null })}>
              {w('markLeave')}
            </button>
          </span>
        ) : (
          <button type="button" data-testid="chief-back" onClick={() => void onChange(chief.id, { available: true })}>
            {w('markBack')}
          </button>
        )}
      </td>
      <td>
        {choosing ? (
          <select name="deputy" aria-label={w('deputy')} value={chief.deputy ? String(chief.deputy.id) : ''} onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            setChoosing(false);
            void onChange(chief.id, { deputyId: v ? Number(v) : null });
          }}>
            <option value="">{w('noDeputy')}</option>
            {deputyOptions(chief, all).map((d) => (
              <option key={d.id} value={String(d.id)}>
                L{d.level} {d.name}
              </option>
            ))}
          </select>
        ) : (
          <>
            <span data-testid="chief-deputy">{chief.deputy ? `L${chief.deputy.level} ${chief.deputy.name}` : w('noDeputy')}</span>{' '}
            <button type="button" data-testid="chief-deputy-change" onClick={() => setChoosing(true)}>
              {w('change')}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

export function ChiefsSection() {
  const [chiefs, setChiefs] = useState<ChiefRecord[] | null>(null);
  const [level, setLevel] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = () => api.get<ChiefRecord[]>('/api/v1/chiefs').then((c) => (setChiefs(c), setError(null)), (e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  async function change(id: number, patch: Record<string, unknown>) {
    try {
      const updated = await api.patch<ChiefRecord>(`/api/v1/chiefs/${id}`, patch);
      setChiefs((list) => list && list.map((c) => (c.id === id ? updated : c)));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }

  const shown = chiefs?.filter((c) => !level || String(c.level) === level) ?? [];
  return (
    <div class="card" data-testid="chiefs">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <label>
        {w('level')}{' '}
        <select name="level" value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
          <option value="">{w('all')}</option>
          <option value="1">{w('l1')}</option>
          <option value="2">{w('l2')}</option>
          <option value="3">{w('l3')}</option>
        </select>
      </label>
      <ErrorLine error={error} />
      {chiefs && (
        <table class="admin-table" data-testid="chiefs-table">
          <thead>
            <tr>
              <th>{w('level')}</th>
              <th>{w('name')}</th>
              <th>{w('scopes')}</th>
              <th>{w('state')}</th>
              <th />
              <th>{w('deputy')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <ChiefRow key={c.id} chief={c} all={chiefs} onChange={change} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
