import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Countdown, FeedBadge } from './components/common';
import { setLang } from './i18n';
import { Login } from './views/login';
import { TaskCard } from './views/chief';
import type { CaseView } from './api';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
  setLang('zh');
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});

describe('console components', () => {
  it('shows the feed connection state and why it was lost', () => {
    act(() => render(<FeedBadge state={{ status: 'lost', lastSeq: 3, epoch: null, error: 'transport close', stats: null, reconnects: 1 }} />, root));
    const badge = root.querySelector('[data-testid=feed-status]')!;
    expect(badge.getAttribute('data-status')).toBe('lost');
    expect(badge.textContent).toContain('连接中断');
    expect(badge.textContent).toContain('transport close');
    act(() => setLang('en'));
    expect(root.textContent).toContain('Connection lost');
  });

  it('counts down to a deadline and marks it overdue', () => {
    render(<Countdown deadlineAt={new Date(Date.now() - 2 * 3_600_000 - 5_000).toISOString()} />, root);
    const el = root.querySelector('.countdown')!;
    expect(el.getAttribute('data-overdue')).toBe('true');
    expect(el.textContent).toBe('已超期 2 小时');
  });

  it('shows the API’s own words when signing in fails', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ statusCode: 401, error: 'unauthenticated', message: '用户名或密码错误 / wrong username or password' }), { status: 401 }));
    render(<Login next={null} />, root);
    const input = (name: string, value: string) => {
      const el = root.querySelector(`input[name=${name}]`) as HTMLInputElement;
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    await act(async () => {
      input('username', 'operator');
      input('password', 'nope');
    });
    await act(async () => {
      root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await vi.waitFor(() => expect(root.querySelector('[role=alert]')?.textContent).toBe('用户名或密码错误 / wrong username or password'));
  });

  it('labels a chief’s task escalated to them apart from one assigned to them, and offers only what each may do', () => {
    const task = {
      id: 'c1',
      code: '410104-20261129-000001',
      status: 'dispatched',
      category: { code: 'E0102', kind: 'event', name: '暴露垃圾', nameEn: 'Exposed garbage' },
      description: '人行道暴露垃圾',
      location: { lng: 113.68, lat: 34.74 },
      address: null,
      gridCell: { code: '410104001001001' },
      street: { code: '410104001', name: '北下街街道' },
      community: { code: '410104001001', name: '社区' },
      road: { id: 1, name: '文治路' },
      assignee: { id: 3, name: '张三', level: 3, title: '三级路长', titleEn: 'Level 3 road chief' },
      escalationLevel: 1,
      deadlineAt: null,
      overdue: true,
      routingReason: null,
      routingReasonZh: null,
      possibleDuplicateOf: null,
      publicNote: null,
      reworkCount: 0,
      media: [],
      createdAt: '2026-11-29T01:00:00Z',
      updatedAt: '2026-11-29T01:00:00Z',
      closedAt: null,
    } as CaseView;
    render(<TaskCard c={task} fresh={false} relation="escalated" lang="zh" userId="u1" onChanged={() => {}} />, root);
    const card = root.querySelector('li.task')!;
    expect(card.getAttribute('data-relation')).toBe('escalated');
    expect(root.querySelector('[data-testid=relation]')!.textContent).toBe('升级给我督办 L1');
    expect(root.querySelector('[data-testid=handled-by]')!.textContent).toContain('张三');
    expect(root.querySelector('button[data-action=accept]')).toBeNull();
    expect(root.querySelector('button[data-action=return]')).toBeNull();

    setLang('en');
    render(null, root);
    render(<TaskCard c={{ ...task, escalationLevel: 0, overdue: false }} fresh={false} relation="assigned" lang="en" userId="u1" onChanged={() => {}} />, root);
    expect(root.querySelector('li.task')!.getAttribute('data-relation')).toBe('assigned');
    expect(root.querySelector('[data-testid=relation]')!.textContent).toBe('Assigned to me');
    expect(root.querySelector('[data-testid=handled-by]')).toBeNull();
    expect(root.querySelector('button[data-action=accept]')).not.toBeNull();
    expect(root.querySelector('button[data-action=return]')).not.toBeNull();
  });
});
