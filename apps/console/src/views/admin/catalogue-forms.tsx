// The catalogue tab's two forms: a new category, and a new version of a standard.
import { useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { words } from './admin-i18n';
import { ErrorLine } from '../../components/common';

export const CLOCK_TYPES = ['urgent_hours', 'work_hours', 'work_days', 'natural_days'] as const;
export type ClockType = (typeof CLOCK_TYPES)[number];

export interface ConditionDraft {
  condition: string;
  conditionEn: string;
  value: string;
  clockType: ClockType;
  closingCondition: string;
  closingConditionEn: string;
}

export const fw = words({
  effectiveFrom: ['生效日期', 'In force from'],
  condition: ['立案条件', 'Registration condition'],
  conditionEn: ['立案条件（英文）', 'Condition (English)'],
  limit: ['处置时限', 'Time limit'],
  closing: ['结案条件', 'Closing condition'],
  closingEn: ['结案条件（英文）', 'Closing condition (English)'],
  addCondition: ['添加条件', 'Add a condition'],
  remove: ['删除', 'Remove'],
  saveVersion: ['保存为新版本', 'Save as a new version'],
  versionNote: ['新版本从生效日起用于新上报的案卷；已立案的案卷保留原版本。', 'From its date the new version judges new reports; cases already registered keep theirs.'],
  kind: ['类型', 'Kind'],
  component: ['部件', 'Component'],
  event: ['事件', 'Event'],
  major: ['大类编码', 'Major class'],
  minor: ['小类编码', 'Minor class'],
  majorName: ['大类名称（新大类必填）', 'Major class name (new class only)'],
  majorNameEn: ['大类英文名称', 'Major class name (English)'],
  name: ['名称', 'Name'],
  nameEn: ['英文名称', 'English name'],
  autoRegister: ['网格员上报自动立案', "Wardens' reports register themselves"],
  withStandard: ['同时填写首个立结案标准', 'With its first standard'],
  create: ['新增类别', 'Add the category'],
  code: ['编码', 'Code'],
  urgent_hours: ['小时（连续计时）', 'hours (continuous)'],
  work_hours: ['工作时', 'work hours'],
  work_days: ['工作日', 'work days'],
  natural_days: ['自然日', 'calendar days'],
});

/** Today in the browser's zone (the district's, for its staff), YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const emptyCondition = (): ConditionDraft => ({ condition: '', conditionEn: '', value: '', clockType: 'work_hours', closingCondition: '', closingConditionEn: '' });

/** The API's body of a standard version from the drafts. */
export function standardBody(effectiveFrom: string, drafts: readonly ConditionDraft[]) {
  return {
    effectiveFrom,
    conditions: drafts.map((d) => ({
      condition: d.condition.trim(),
      conditionEn: d.conditionEn.trim(),
      timeLimit: { value: Number(d.value), clockType: d.clockType },
      closingCondition: d.closingCondition.trim(),
      closingConditionEn: d.closingConditionEn.trim(),
    })),
  };
}

/** The category code the kind and classes make: C/E + major + minor. */
export function codeOf(kind: 'component' | 'event', major: string, minor: string): string {
  return `${kind === 'component' ? 'C' : 'E'}${major}${minor}`;
}

function ConditionFields({ drafts, onChange }: { drafts: ConditionDraft[]; onChange: (next: ConditionDraft[]) => void }) {
  const set = (i: number, patch: Partial<ConditionDraft>) => onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const text = (i: number, key: keyof ConditionDraft, label: string) => (
    <label>
      {label}
      <input name={key} required value={drafts[i][key]} onInput={(e) => set(i, { [key]: (e.target as HTMLInputElement).value })} />
    </label>
  );
  return (
    <>
      {drafts.map((_, i) => (
        <fieldset key={i} class="filters" data-testid="condition">
          <legend>#{i + 1}</legend>
          {text(i, 'condition', fw('condition'))}
          {text(i, 'conditionEn', fw('conditionEn'))}
          <label>
            {fw('limit')}
            <input name="value" type="number" min="0.01" step="any" required value={drafts[i].value} onInput={(e) => set(i, { value: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            &nbsp;
            <select name="clockType" value={drafts[i].clockType} onChange={(e) => set(i, { clockType: (e.target as HTMLSelectElement).value as ClockType })}>
              {CLOCK_TYPES.map((c) => (
                <option key={c} value={c}>
                  {fw(c)}
                </option>
              ))}
            </select>
          </label>
          {text(i, 'closingCondition', fw('closing'))}
          {text(i, 'closingConditionEn', fw('closingEn'))}
          {drafts.length > 1 && (
            <button type="button" onClick={() => onChange(drafts.filter((__, j) => j !== i))}>
              {fw('remove')}
            </button>
          )}
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange([...drafts, emptyCondition()])}>
        {fw('addCondition')}
      </button>
    </>
  );
}

/** A new version of one category's standard, starting from the version in force. */
export function StandardForm({ code, start, onSaved }: { code: string; start: ConditionDraft[]; onSaved: () => void }) {
  const [effectiveFrom, setEffectiveFrom] = useState(localToday());
  const [drafts, setDrafts] = useState<ConditionDraft[]>(start.length ? start : [emptyCondition()]);
  const [error, setError] = useState<string | null>(null);
  async function save(e: Event) {
    e.preventDefault();
    try {
      await api.post(`/api/v1/admin/categories/${code}/standards`, standardBody(effectiveFrom, drafts));
      onSaved();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <form class="card" data-testid="standard-form" onSubmit={save}>
      <p class="muted">{fw('versionNote')}</p>
      <label>
        {fw('effectiveFrom')} <input type="date" name="effectiveFrom" required min={localToday()} value={effectiveFrom} onInput={(e) => setEffectiveFrom((e.target as HTMLInputElement).value)} />
      </label>
      <ConditionFields drafts={drafts} onChange={setDrafts} />
      <button class="primary" type="submit">
        {fw('saveVersion')}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}

/** A new category, with its first standard or without. */
export function CategoryForm({ onSaved }: { onSaved: () => void }) {
  const [f, setF] = useState({ kind: 'event' as 'component' | 'event', majorCode: '', minorCode: '', majorName: '', majorNameEn: '', name: '', nameEn: '', autoRegister: true });
  const [withStandard, setWithStandard] = useState(true);
  const [drafts, setDrafts] = useState<ConditionDraft[]>([emptyCondition()]);
  const [error, setError] = useState<string | null>(null);
  const input = (key: 'majorCode' | 'minorCode' | 'majorName' | 'majorNameEn' | 'name' | 'nameEn', label: string, extra: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input name={key} value={f[key]} onInput={(e) => setF({ ...f, [key]: (e.target as HTMLInputElement).value })} {...extra} />
    </label>
  );
  async function save(e: Event) {
    e.preventDefault();
    const { majorName, majorNameEn, ...rest } = f;
    try {
      await api.post('/api/v1/admin/categories', {
        ...rest,
        code: codeOf(f.kind, f.majorCode, f.minorCode),
        ...(majorName.trim() ? { majorName: majorName.trim() } : {}),
        ...(majorNameEn.trim() ? { majorNameEn: majorNameEn.trim() } : {}),
        ...(withStandard ? { standard: standardBody(localToday(), drafts) } : {}),
      });
      onSaved();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <form class="card" data-testid="category-form" onSubmit={save}>
      <div class="filters">
        <label>
          {fw('kind')}
          <select name="kind" value={f.kind} onChange={(e) => setF({ ...f, kind: (e.target as HTMLSelectElement).value as 'component' | 'event' })}>
            <option value="component">{fw('component')}</option>
            <option value="event">{fw('event')}</option>
          </select>
        </label>
        {input('majorCode', fw('major'), { required: true, pattern: '\\d{2}', maxLength: 2, size: 3 })}
        {input('minorCode', fw('minor'), { required: true, pattern: '\\d{2}', maxLength: 2, size: 3 })}
        <span>
          {fw('code')}: <code data-testid="category-code">{codeOf(f.kind, f.majorCode, f.minorCode)}</code>
        </span>
        {input('name', fw('name'), { required: true })}
        {input('nameEn', fw('nameEn'), { required: true })}
        {input('majorName', fw('majorName'))}
        {input('majorNameEn', fw('majorNameEn'))}
        <label>
          <input type="checkbox" name="autoRegister" checked={f.autoRegister} onChange={(e) => setF({ ...f, autoRegister: (e.target as HTMLInputElement).checked })} /> {fw('autoRegister')}
        </label>
        <label>
          <input type="checkbox" name="withStandard" checked={withStandard} onChange={(e) => setWithStandard((e.target as HTMLInputElement).checked)} /> {fw('withStandard')}
        </label>
      </div>
      {withStandard && <ConditionFields drafts={drafts} onChange={setDrafts} />}
      <button class="primary" type="submit">
        {fw('create')}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
