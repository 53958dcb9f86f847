import { describe, expect, it } from 'vitest';
import { readChiefLines } from './chief-lines.parser';
import { planChiefs, type ChiefLookup, type KnownUser } from './chiefs.planner';

const read = (text: string) => readChiefLines({ name: 'chiefs.csv', index: 0 }, text);
const problems = (list: { feature: string; problem: string }[]) => list.map((i) => `${i.feature}: ${i.problem}`);

describe('readChiefLines', () => {
  it('reads the lines with their numbers, quoted values and an optional deputy', () => {
    const { lines, issues, records } = read(
      '\uFEFFUsername,Name,Phone,Level,Scope,Deputy\r\n\r\nzhangsan,"张三, 副",138 0000 0001,3,410104001001,\nlisi,李四,,2,文治路,wangwu\n',
    );
    expect(issues).toEqual([]);
    expect(records).toBe(2);
    expect(lines.map((l) => [l.label, l.name, l.phone, l.level, l.scope, l.deputy])).toEqual([
      ['line 3 (username zhangsan)', '张三, 副', '138 0000 0001', 3, '410104001001', null],
      ['line 4 (username lisi)', '李四', null, 2, '文治路', 'wangwu'],
    ]);
  });

  it('refuses a header without the required columns, as a whole', () => {
    const { lines, issues } = read('username,name,level,scope\nzhangsan,张三,3,文治路\n');
    expect(lines).toEqual([]);
    expect(problems(issues)).toEqual(['line 1 (header): missing column phone: the header must be username,name,phone,level,scope[,deputy]']);
  });

  it('names every bad line with its problems', () => {
    const { lines, issues } = read(
      'username,name,phone,level,scope,deputy\nzhang san,张三,,3,文治路,\nlisi,,call me,4,,\nwangwu,王五,,x,文治路,wangwu\nzhaoliu,赵六,,1\n',
    );
    expect(lines).toEqual([]);
    expect(problems(issues)).toEqual([
      'line 2 (username zhang san): username "zhang san" may only hold letters, digits and _ . @ - (2 to 64 characters)',
      'line 3 (username lisi): missing name',
      'line 3 (username lisi): phone "call me" is not a phone number',
      'line 3 (username lisi): level "4" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)',
      'line 3 (username lisi): missing scope',
      'line 4 (username wangwu): level "x" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)',
      'line 4 (username wangwu): a chief cannot be their own deputy',
      'line 5 (username zhaoliu): missing scope',
    ]);
  });

  it('refuses broken CSV as a whole', () => {
    expect(problems(read('username,name,phone,level,scope\n"zhangsan,张三,,3,文治路\n').issues)).toEqual([
      expect.stringMatching(/^\(file\): not valid CSV \(Quote Not Closed/),
    ]);
  });
});

describe('planChiefs', () => {
  const user = (username: string, role: KnownUser['role'], chief: KnownUser['chief'] = null): [string, KnownUser] => [
    username,
    { id: `id-${username}`, username, name: username, phone: null, role, chief },
  ];
  const wenzhi = { id: 1, ref: '文治路', name: '文治路' };
  const lookup: ChiefLookup = {
    users: new Map([
      user('warden1', 'warden'),
      user('chief2', 'chief', { id: 20, level: 2, deputyId: null }),
      user('chief1', 'chief', { id: 10, level: 1, deputyId: null }),
    ]),
    streets: new Map([['410104001', '北下街街道']]),
    communities: new Map([['410104001001', '北下街社区']]),
    roadsByRef: new Map([['文治路', wenzhi], ['ZJS', { id: 2, ref: 'ZJS', name: '紫荆山路' }], ['ZJS-S', { id: 3, ref: 'ZJS-S', name: '紫荆山路' }]]),
    roadsByName: new Map([['文治路', [wenzhi]], ['紫荆山路', [{ id: 2, ref: 'ZJS', name: '紫荆山路' }, { id: 3, ref: 'ZJS-S', name: '紫荆山路' }]]]),
    segmentsByRef: new Map([['文治路#2', { id: 7, ref: '文治路#2', roadName: '文治路' }]]),
    holders: new Map([['road:1:2', 'chief2']]),
  };
  const plan = (csv: string) => planChiefs(read(`username,name,phone,level,scope,deputy\n${csv}`).lines, lookup);

  it('makes one chief of a username on several lines, with each scope resolved', () => {
    const { chiefs, issues } = plan('new3,新三,139,3,文治路#2,\nnew3,新三,,3,410104001001,\nnew3,新三,139,3,文治路,\nnew2,新二,,2,410104001,chief2\n');
    expect(issues).toEqual([]);
    expect(chiefs).toEqual([
      expect.objectContaining({
        username: 'new3',
        level: 3,
        phone: '139',
        user: null,
        scopes: [
          expect.objectContaining({ kind: 'segment', segmentId: 7, description: 'segment 文治路#2 of 文治路' }),
          expect.objectContaining({ kind: 'community', communityCode: '410104001001' }),
          expect.objectContaining({ kind: 'road', roadId: 1 }),
        ],
      }),
      expect.objectContaining({ username: 'new2', level: 2, deputy: 'chief2', scopes: [expect.objectContaining({ kind: 'street', streetCode: '410104001' })] }),
    ]);
  });

  it('refuses unknown scopes, levels a scope does not take, taken scopes and inconsistent lines', () => {
    const { chiefs, issues } = plan(
      [
        'aa,甲,,3,no-such-road,',
        'bb,乙,,3,410104009009,',
        'cc,丙,,1,410104001,',
        'dd,丁,,2,文治路,',
        'ee,戊,,3,紫荆山路,',
        'ff,己,,3,410104001001,',
        'gg,庚,,3,410104001001,',
        'ff,己,,2,文治路#2,',
        'warden1,网格员,,3,文治路,',
        'chief1,一级,,3,ZJS,',
      ].join('\n'),
    );
    expect(chiefs.map((c) => c.username)).toEqual(['ff']);
    expect(problems(issues)).toEqual([
      'line 2 (username aa): unknown scope "no-such-road": not a road name or roadId, a segmentId, a community code (12 digits) or a street code (9 digits)',
      'line 3 (username bb): unknown scope: no community 410104009009',
      'line 4 (username cc): street 410104001 北下街街道 takes a level-2 chief, not level 1',
      'line 5 (username dd): road 文治路 already has a level-2 chief: chief2',
      'line 6 (username ee): scope "紫荆山路" names 2 roads (roadId ZJS, ZJS-S): use the roadId',
      'line 8 (username gg): community 410104001001 北下街社区 is given to ff on line 7 (username ff) already',
      'line 9 (username ff): level 2 differs from level 3 on line 7 (username ff): a chief has one level',
      'line 9 (username ff): segment 文治路#2 of 文治路 takes a level-3 chief, not level 2',
      'line 10 (username warden1): user warden1 exists with role warden, not chief',
      'line 11 (username chief1): chief1 is a level-1 chief already, the line says level 3',
    ]);
  });

  it('takes deputies that are chiefs of the same level, in the file or the database', () => {
    const { chiefs, issues } = plan(
      ['xx,甲,,2,410104001,chief2', 'yy,乙,,3,文治路#2,nobody', 'zz,丙,,3,410104001001,xx', 'ww,丁,,3,文治路,yy'].join('\n'),
    );
    expect(chiefs.map((c) => [c.username, c.deputy])).toEqual([['xx', 'chief2']]);
    expect(problems(issues)).toEqual([
      'line 3 (username yy): unknown deputy nobody: not a chief in the files or the database',
      'line 4 (username zz): deputy xx is a level-2 chief; a deputy has the same level (3)',
      // yy lost its only line, so it is no chief to stand in for ww.
      'line 5 (username ww): unknown deputy yy: not a chief in the files or the database',
    ]);
  });
});
