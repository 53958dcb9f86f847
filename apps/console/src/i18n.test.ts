import { beforeEach, describe, expect, it } from 'vitest';
import { eventName, getLang, MESSAGES, setLang, statusName, t } from './i18n';

describe('i18n', () => {
  beforeEach(() => localStorage.clear());

  it('has every message in Chinese and English, none empty', () => {
    const zh = Object.keys(MESSAGES.zh).sort();
    expect(Object.keys(MESSAGES.en).sort()).toEqual(zh);
    for (const lang of ['zh', 'en'] as const) for (const key of zh) expect(MESSAGES[lang][key as keyof typeof MESSAGES.zh], `${lang}.${key}`).not.toBe('');
  });

  it('is Chinese by default and keeps the English switch across reloads (localStorage)', () => {
    expect(getLang()).toBe('zh');
    expect(t('login')).toBe('登录');
    setLang('en');
    expect(t('login')).toBe('Sign in');
    expect(localStorage.getItem('wangge.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    setLang('zh');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('names every case status and event type in both languages', () => {
    for (const s of ['reported', 'registered', 'dispatched', 'in_progress', 'resolved', 'closed', 'rejected', 'merged', 'cancelled']) {
      expect(statusName(s, 'zh')).not.toBe(s);
      expect(statusName(s, 'en')).not.toBe(s);
    }
    expect(statusName('closed', 'zh')).toBe('已结案');
    expect(eventName('case.dispatched', 'zh')).toBe('派遣');
    expect(eventName('case.something_new', 'en')).toBe('something_new');
  });
});
