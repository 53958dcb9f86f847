import { describe, expect, it } from 'vitest';
import { auditCsv, csvField } from './audit-csv';
import { auditRow, withoutSecrets } from './audit-record';

const actor = { id: null, username: 'cli' };

describe('audit records', () => {
  it('drop secrets at any depth, and keep everything else', () => {
    const value = { username: 'li', password: 'x', nested: [{ initialPassword: 'y', name: 'n', keyHash: 'h' }], at: new Date('2026-12-06T00:00:00Z') };
    expect(withoutSecrets(value)).toEqual({ username: 'li', nested: [{ name: 'n' }], at: '2026-12-06T00:00:00.000Z' });
    expect(auditRow({ actor, action: 'user.create', entity: 'user', after: { password: 'p', name: 'a' } }).after).toEqual({ name: 'a' });
  });

  it('refuse an action or entity that is not a word (a programming error)', () => {
    expect(() => auditRow({ actor, action: 'create', entity: 'user' })).toThrow(/<entity>.<verb>/);
    expect(() => auditRow({ actor, action: 'user.create', entity: 'User' })).toThrow(/lower-case/);
    expect(() => auditRow({ actor: { id: null, username: '' }, action: 'user.create', entity: 'user' })).toThrow(/username/);
  });
});

describe('audit CSV', () => {
  it('quotes commas, quotes and line breaks, and disarms spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField('-1')).toBe("'-1");
  });

  it('writes a BOM, a header and one CRLF line per entry with JSON before/after', () => {
    const csv = auditCsv([
      { id: '1', at: '2026-12-06T01:00:00.000Z', actor: { id: 'u1', username: 'admin' }, action: 'user.update', entity: 'user', entityId: 'u2', streetCode: '410104001', before: { name: '李四' }, after: { name: '李四, 二' } },
    ]);
    expect(csv.startsWith('\uFEFFat,actor_id,actor_username,action,entity,entity_id,street_code,before,after\r\n')).toBe(true);
    expect(csv).toContain('2026-12-06T01:00:00.000Z,u1,admin,user.update,user,u2,410104001,"{""name"":""李四""}","{""name"":""李四, 二""}"\r\n');
  });
});
