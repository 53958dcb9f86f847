import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Countdown, FeedBadge } from './components/common';
import { setLang } from './i18n';
import { Login } from './views/login';

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
    act(() => render(<FeedBadge state={{ status: 'lost', lastSeq: 3, error: 'transport close', stats: null, reconnects: 1 }} />, root));
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
});
