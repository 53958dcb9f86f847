import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../i18n';
import type { OutboxItem } from './offline-db';
import { OfflineCopyLine, OutboxPanel, type OutboxView } from './outbox-panel';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
  setLang('zh');
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const item = (id: number, state: OutboxItem['state'], label: string, error: OutboxItem['error'] = null): OutboxItem => ({
  id,
  userId: 'w1',
  key: `k${id}`,
  kind: 'action',
  path: `/api/v1/cases/c${id}/verify`,
  body: {},
  photos: state === 'pending' ? [{ bytes: new ArrayBuffer(3), name: 'a.png', type: 'image/png', mediaId: null }] : [],
  label,
  state,
  attempts: 1,
  createdAt: Date.UTC(2026, 11, 7, 1, 2, 3),
  sentAt: state === 'sent' ? Date.UTC(2026, 11, 7, 1, 5, 0) : null,
  error,
  response: null,
});

describe('the outbox as the field pages show it', () => {
  it('counts 待发送 / 已发送 / 未能发送, lists what waits with its photos and why a refused one was refused', () => {
    let flushed = 0;
    const box: OutboxView = {
      items: [
        item(1, 'sent', 'sent one'),
        item(2, 'pending', '上报 E0102', { status: 0, code: 'network', message: 'network error', details: [] }),
        item(3, 'failed', 'check C3', { status: 409, code: 'illegal_transition', message: '案卷当前状态不允许此操作', details: [] }),
      ],
      counts: { pending: 1, sent: 1, failed: 1 },
      flush: () => void flushed++,
    };
    act(() => render(<OutboxPanel box={box} />, root));
    const panel = root.querySelector('[data-testid=outbox]')!;
    expect(panel.getAttribute('data-pending')).toBe('1');
    expect(root.querySelector('[data-testid=outbox-pending]')!.textContent).toBe('待发送 1');
    expect(root.querySelector('[data-testid=outbox-sent]')!.textContent).toBe('已发送 1');
    expect(root.querySelector('[data-testid=outbox-failed]')!.textContent).toBe('未能发送 1');
    const waiting = [...root.querySelectorAll('.outbox-items li')];
    expect(waiting.map((li) => li.getAttribute('data-state'))).toEqual(['pending', 'failed']);
    expect(waiting[0].textContent).toContain('照片 1');
    expect(waiting[1].textContent).toContain('案卷当前状态不允许此操作');
    expect(waiting[1].querySelector('[data-action=discard]')).not.toBeNull();
    act(() => (root.querySelector('[data-action=send-now]') as HTMLButtonElement).click());
    expect(flushed).toBe(1);
    // Opened: the sent ones too.
    act(() => (panel.querySelector('button.link') as HTMLButtonElement).click());
    expect(root.querySelectorAll('.outbox-items li[data-state=sent]')).toHaveLength(1);
    act(() => setLang('en'));
    expect(root.querySelector('[data-testid=outbox-pending]')!.textContent).toBe('Waiting to send 1');
  });

  it('marks a list shown from its kept copy, and nothing when it is fresh', () => {
    act(() => render(<OfflineCopyLine since={null} />, root));
    expect(root.querySelector('[data-testid=offline-copy]')).toBeNull();
    act(() => render(<OfflineCopyLine since={Date.UTC(2026, 11, 7, 1, 0, 0)} />, root));
    expect(root.querySelector('[data-testid=offline-copy]')!.textContent).toContain('离线副本');
  });
});
