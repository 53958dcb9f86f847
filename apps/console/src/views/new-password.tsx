import { useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { useLang } from '../i18n';
import { words } from './admin/admin-i18n';
import { ErrorLine } from '../components/common';

const w = words({
  title: ['请设置新密码', 'Set your new password'],
  why: ['您使用的是一次性密码，需先设置自己的密码才能继续。', 'You signed in with a one-time password: set a password of your own to continue.'],
  rules: ['至少 10 个字符，不能与用户名相同，不能是常见密码。', 'At least 10 characters, not your username, not a common password.'],
  next: ['新密码', 'New password'],
  again: ['再次输入新密码', 'New password again'],
  mismatch: ['两次输入的新密码不一致', 'The two new passwords differ'],
  submit: ['设置并继续', 'Set and continue'],
});

/**
 * After a login with a one-time password: the token may only call `POST /api/v1/auth/password`;
 * once the new password is set, the same session continues.
 */
export function NewPasswordForm({ current, onDone }: { current: string; onDone(): void }) {
  useLang();
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (next !== again) return setError(w('mismatch'));
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/password', { current, next });
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} data-testid="new-password">
      <h2>{w('title')}</h2>
      <p class="muted">{w('why')}</p>
      <p class="muted">{w('rules')}</p>
      <label>
        {w('next')}
        <input name="next" type="password" autoComplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} required minLength={10} />
      </label>
      <label>
        {w('again')}
        <input name="again" type="password" autoComplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} required />
      </label>
      <ErrorLine error={error} />
      <button type="submit" class="primary" disabled={busy}>
        {w('submit')}
      </button>
    </form>
  );
}
