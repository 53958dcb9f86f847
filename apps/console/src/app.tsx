import { useEffect, useMemo, useState } from 'preact/hooks';
import { Ctx, type AppContext } from './app-context';
import { api, setToken, setUnauthorizedHandler, type ConsoleConfig } from './api';
import { setLang, t, useLang } from './i18n';
import { match, navigate, useLocation } from './router';
import { homeOf, loadSession, saveSession, type Session } from './session';
import { Login } from './views/login';
import { CommandCenter } from './views/command-center';
import { ChiefView } from './views/chief';
import { WardenView } from './views/warden';
import { CitizenReport } from './views/citizen-report';
import { TrackPage } from './views/track';
import { AdminPage } from './views/admin/admin';
import { forgetCachedReads } from './offline/cached-read';

const STAFF_PAGES: Record<string, string[]> = {
  '/command': ['operator', 'leader', 'admin'],
  '/chief': ['chief'],
  '/warden': ['warden'],
};

export function App() {
  const lang = useLang();
  const { path, query } = useLocation();
  const [session, setSession] = useState<Session | null>(() => {
    const s = loadSession();
    setToken(s?.accessToken ?? null);
    return s;
  });
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<ConsoleConfig>('/config.json', { anonymous: true })
      .then(setConfig)
      .catch((e: Error) => {
        setConfigError(e.message);
        setConfig({ feedUrl: null, feedPort: 3001, mapTileUrl: null, mapTileAttribution: null });
      });
  }, []);

  const ctx = useMemo<AppContext>(
    () => ({
      session,
      config,
      signIn(s) {
        saveSession(s);
        setToken(s.accessToken);
        setSession(s);
      },
      signOut() {
        saveSession(null);
        // A shared phone must not show the last user's tasks offline (their unsent outbox stays theirs).
        void forgetCachedReads().catch(() => undefined);
        setToken(null);
        setSession(null);
        navigate('/login');
      },
    }),
    [session, config],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => ctx.signOut());
    return () => setUnauthorizedHandler(null);
  }, [ctx]);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  let page;
  const track = match('/track/:id', path);
  const admin = path === '/admin' ? { section: null } : match('/admin/:section', path);
  if (track) page = <TrackPage id={track.id} token={query.get('token') ?? ''} />;
  else if (path === '/report') page = <CitizenReport />;
  else if (path === '/login' || !session) page = <Login next={path !== '/login' && path !== '/' ? path : null} />;
  else if (path === '/') {
    navigate(homeOf(session.user.role), true);
    page = null;
  } else if (admin) {
    page =
      session.user.role === 'admin' ? (
        <AdminPage section={admin.section} />
      ) : (
        <p class="error" role="alert">{lang === 'zh' ? '当前角色无权访问此页面' : 'Your role cannot open this page'}</p>
      );
  } else if (STAFF_PAGES[path]) {
    if (!STAFF_PAGES[path].includes(session.user.role)) {
      page = <p class="error" role="alert">{lang === 'zh' ? '当前角色无权访问此页面' : 'Your role cannot open this page'}</p>;
    } else if (!config) page = <p>{t('loading')}</p>;
    else if (path === '/command') page = <CommandCenter />;
    else if (path === '/chief') page = <ChiefView />;
    else page = <WardenView />;
  } else page = <p class="error">{t('notFound')}</p>;

  return (
    <Ctx.Provider value={ctx}>
      <header class="topbar">
        <a class="brand" href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
          网格 Wangge
        </a>
        <span class="spacer" />
        {session?.user.role === 'admin' && (
          <a class="nav" href="/admin" data-testid="nav-admin" onClick={(e) => (e.preventDefault(), navigate('/admin'))}>
            {lang === 'zh' ? '管理' : 'Admin'}
          </a>
        )}
        {session?.user.role === 'admin' && (
          <a class="nav" href="/command" onClick={(e) => (e.preventDefault(), navigate('/command'))}>
            {t('commandCenter')}
          </a>
        )}
        {session && (
          <span class="who" data-testid="who">
            {session.user.name} · {session.user.role}
          </span>
        )}
        <button class="link" data-testid="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('lang')}
        </button>
        {session && (
          <button class="link" onClick={() => ctx.signOut()}>
            {t('logout')}
          </button>
        )}
      </header>
      {configError && <p class="error" role="alert">/config.json: {configError}</p>}
      <main>{page}</main>
    </Ctx.Provider>
  );
}
