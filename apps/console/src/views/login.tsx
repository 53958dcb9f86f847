import { useState } from 'preact/hooks';
import { api, errorText, setToken } from '../api';
import { useApp } from '../app-context';
import { t, useLang } from '../i18n';
import { navigate } from '../router';
import { homeOf, type Session } from '../session';
import { NewPasswordForm } from './new-password';
import { ErrorLine } from '../components/common';

export function Login({ next }: { next: string | null }) {
  useLang();
  const app = useApp();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Signed in with a one-time password: the session waits for a new password. */
  const [pending, setPending] = useState<Session | null>(null);

  function enter(session: Session) {
    app.signIn(session);
    navigate(next ?? homeOf(session.user.role), true);
  }

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setToken(null);
      const answer = await api.post<Session & { passwordChangeRequired?: boolean }>('/api/v1/auth/login', { username, password }, { anonymous: true });
      const session: Session = { accessToken: answer.accessToken, user: { ...answer.user, username } };
      if (answer.passwordChangeRequired) {
        // The token may only change the password: use it for that call, sign in after.
        setToken(answer.accessToken);
        setPending(session);
      } else enter(session);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (pending) {
    return (
      <section class="login card">
        <h1>{t('appName')}</h1>
        <NewPasswordForm current={password} onDone={() => enter(pending)} />
      </section>
    );
  }

  return (
    <section class="login card">
      <h1>{t('appName')}</h1>
      <form onSubmit={submit}>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        </label>
        <ErrorLine error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('signingIn') : t('login')}
        </button>
      </form>
      <p>
        <a href="/report" onClick={(e) => (e.preventDefault(), navigate('/report'))}>
          {t('citizenReport')}
        </a>
      </p>
    </section>
  );
}
