import { describe, expect, it } from 'vitest';
import { auditQuery, changeLines } from './audit';
import { words } from './admin-i18n';
import { setLang } from '../../i18n';

describe('the audit page', () => {
  it('asks only for the filters that are set', () => {
    expect(auditQuery({ from: '', to: '', actor: '', entity: '' })).toBe('');
    expect(auditQuery({ from: '2026-12-01', to: ' ', actor: 'admin ', entity: 'user' })).toBe('?from=2026-12-01&actor=admin&entity=user');
  });

  it('shows what changed, field by field', () => {
    expect(changeLines(null, { name: '张三', role: 'warden' })).toEqual(['name: 张三', 'role: warden']);
    expect(changeLines({ name: '张三', active: true }, { name: '张三', active: false })).toEqual(['active: true → false']);
    expect(changeLines({ cells: ['a'] }, { cells: ['a', 'b'] })).toEqual(['cells: ["a"] → ["a","b"]']);
    expect(changeLines({ note: 'x' }, null)).toEqual(['note: x → ∅']);
  });

  it('speaks both languages', () => {
    const w = words({ title: ['审计记录', 'Audit trail'] });
    setLang('en');
    expect(w('title')).toBe('Audit trail');
    setLang('zh');
    expect(w('title')).toBe('审计记录');
  });
});
