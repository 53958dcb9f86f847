import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';

export const LIMIT_STAGES = ['register', 'dispatch', 'check'] as const;
export type LimitStage = (typeof LIMIT_STAGES)[number];
/** The longest limit the API takes (a week). */
export const MAX_LIMIT_MINUTES = 10080;

/** `GET /api/v1/admin/stage-limits`. */
export interface StageLimitsView {
  limits: { stage: LimitStage; minutes: number; source: 'district' | 'default'; defaultMinutes: number; effectiveFrom: string | null; setBy: { id: string | null; name: string } | null }[];
  history: { stage: LimitStage; minutes: number; effectiveFrom: string; setBy: { id: string | null; name: string } }[];
}

const w = words({
  title: ['环节时限', 'Stage limits'],
  hint: [
    '指挥中心各环节的时限（分钟），本区设置，保存后新开始的环节即按新时限计时；进行中的环节保持原时限。未设置时使用系统默认值。',
    "The command centre's step limits in minutes, set for the district: stages opened after saving use them; open stages keep theirs. Unset, the system's default applies.",
  ],
  stage: ['环节', 'Stage'],
  minutes: ['时限（分钟）', 'Limit (minutes)'],
  source: ['来源', 'Source'],
  district: ['本区设置', 'Set by the district'],
  default: ['系统默认', 'Default'],
  defaultMinutes: ['默认值', 'Default'],
  since: ['生效时间', 'In force from'],
  setBy: ['设置人', 'Set by'],
  history: ['设置记录', 'History'],
  noHistory: ['尚未设置，均为默认值', 'Never set: the defaults apply'],
  save: ['保存', 'Save'],
  saved: ['已保存', 'Saved'],
  mustBe: ['时限须为 1 至 10080 之间的整数分钟', 'Each limit must be a whole number of minutes from 1 to 10080'],
  register: ['受理立案', 'Registration'],
  dispatch: ['派遣', 'Dispatch'],
  check: ['核查', 'On-site check'],
});

/** The stages whose typed minutes the API would refuse (not a whole number from 1 to a week). */
export function badLimits(typed: Record<LimitStage, string>): LimitStage[] {
  return LIMIT_STAGES.filter((s) => !/^\d+$/.test(typed[s].trim()) || Number(typed[s]) < 1 || Number(typed[s]) > MAX_LIMIT_MINUTES);
}

/** 环节时限: the stage limits in force (the district's or the default), a form to change them, and every value set. */
export function StageLimitsSection() {
  const lang = useLang();
  const [view, setView] = useState<StageLimitsView | null>(null);
  const [typed, setTyped] = useState<Record<LimitStage, string>>({ register: '', dispatch: '', check: '' });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const show = (v: StageLimitsView) => {
    setView(v);
    setTyped(Object.fromEntries(v.limits.map((l) => [l.stage, String(l.minutes)])) as Record<LimitStage, string>);
  };
  useEffect(() => void api.get<StageLimitsView>('/api/v1/admin/stage-limits').then(show, (e) => setError(errorText(e))), []);

  async function save(e: Event) {
    e.preventDefault();
    try {
      show(await api.put<StageLimitsView>('/api/v1/admin/stage-limits', Object.fromEntries(LIMIT_STAGES.map((s) => [s, Number(typed[s])]))));
      setSaved(true);
      setError(null);
    } catch (err) {
      setSaved(false);
      setError(errorText(err));
    }
  }

  const when = (iso: string) => new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');
  const bad = badLimits(typed);
  return (
    <div class="card" data-testid="stage-limits">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      {view && (
        <form data-testid="stage-limits-form" onSubmit={save}>
          <table class="admin-table">
            <thead>
              <tr>
                <th>{w('stage')}</th>
                <th>{w('minutes')}</th>
                <th>{w('source')}</th>
                <th>{w('defaultMinutes')}</th>
                <th>{w('since')}</th>
                <th>{w('setBy')}</th>
              </tr>
            </thead>
            <tbody>
              {view.limits.map((l) => (
                <tr key={l.stage} data-stage={l.stage} data-source={l.source}>
                  <td>{w(l.stage)}</td>
                  <td>
                    <input
                      type="number"
                      name={l.stage}
                      min="1"
                      max={MAX_LIMIT_MINUTES}
                      step="1"
                      class={bad.includes(l.stage) ? 'error' : ''}
                      value={typed[l.stage]}
                      onInput={(e) => {
                        setSaved(false);
                        setTyped({ ...typed, [l.stage]: (e.target as HTMLInputElement).value });
                      }}
                    />
                  </td>
                  <td>{w(l.source)}</td>
                  <td>{l.defaultMinutes}</td>
                  <td>{l.effectiveFrom ? when(l.effectiveFrom) : '—'}</td>
                  <td>{l.setBy?.name ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button class="primary" type="submit" disabled={bad.length > 0}>
            {w('save')}
          </button>
          {bad.length > 0 && <span class="error" data-testid="stage-limits-rule"> {w('mustBe')}</span>}
          {saved && <span class="muted" role="status"> {w('saved')}</span>}
        </form>
      )}
      <ErrorLine error={error} />
      {view && (
        <>
          <h3>{w('history')}</h3>
          {view.history.length === 0 ? (
            <p class="muted">{w('noHistory')}</p>
          ) : (
            <table class="admin-table" data-testid="stage-limits-history">
              <thead>
                <tr>
                  <th>{w('since')}</th>
                  <th>{w('stage')}</th>
                  <th>{w('minutes')}</th>
                  <th>{w('setBy')}</th>
                </tr>
              </thead>
              <tbody>
                {view.history.map((h, i) => (
                  <tr key={i} data-stage={h.stage}>
                    <td>{when(h.effectiveFrom)}</td>
                    <td>{w(h.stage)}</td>
                    <td>{h.minutes}</td>
                    <td>{h.setBy.name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
