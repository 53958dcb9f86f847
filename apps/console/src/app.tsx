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
import { EvaluationPage } from './views/leader/evaluation-page';
import { TrendsPage } from './views/leader/trends-page';
import { BulletinsPage } from './views/leader/bulletins-page';
import { ApprovalsPage } from './views/leader/approvals-page';
import { lw } from './views/leader/leader-i18n';
import { WallPage } from './views/wall/wall-page';
import { ww } from './views/wall/wall-i18n';
import { CampaignsPage } from './views/campaigns/campaigns-page';
import { CampaignPage } from './views/campaigns/campaign-page';
import { cw } from './views/campaigns/campaign-i18n';
import { MyNotificationsPage } from './views/my-notifications';
import { CaseDrawer } from './views/case-drawer';
import { forgetCachedReads } from './offline/cached-read';

const STAFF_PAGES: Record<string, string[]> = {
  '/command': ['operator', 'leader', 'admin'],
  '/chief': ['chief', 'department'],
  '/warden': ['warden'],
  '/evaluation': ['operator', 'leader', 'admin', 'chief'],
  '/trends': ['operator', 'leader', 'admin', 'chief'],
  '/bulletins': ['operator', 'leader', 'admin', 'chief'],
  // A department's member too, when they lead it (mayOpen): its members' appeals and requests for more time.
  '/approvals': ['leader', 'department'],
  '/wall': ['operator', 'leader'],
  '/campaigns': ['operator', 'leader', 'admin', 'chief', 'warden'],
  '/notifications': ['warden', 'chief', 'department', 'operator', 'leader', 'admin'],
};

/** Pages a department's member opens only as its leader (部门负责人); the server scopes what they hold. */
const LEADERS_ONLY: readonly string[] = ['/approvals'];

/** Whether the signed-in user may open a staff page: by role, and a department's leader pages only as its leader. */
function mayOpen(path: string, role: string, leadsDepartment: boolean | null): boolean {
  if (!STAFF_PAGES[path].includes(role)) return false;
  return role !== 'department' || !LEADERS_ONLY.includes(path) || leadsDepartment === true;
}

/** Whether a department member leads their department (`GET /api/v1/auth/me`, re-read with each session); null until known. */
function useLeadsDepartment(session: Session | null): boolean | null {
  const [leads, setLeads] = useState<boolean | null>(null);
  useEffect(() => {
    setLeads(session?.user.role === 'department' ? null : false);
    if (session?.user.role !== 'department') return;
    let live = true;
    api
      .get<{ ledDepartmentCode?: string | null }>('/api/v1/auth/me')
      .then((me) => live && setLeads(!!me.ledDepartmentCode))
      .catch(() => live && setLeads(false));
    return () => void (live = false);
  }, [session?.accessToken]);
  return leads;
}

/** The leaders' pages in the top bar, for the roles that may open them. */
const NAV: { path: string; label(): string; testid: string }[] = [
  { path: '/approvals', label: () => lw('approvals'), testid: 'nav-approvals' },
  { path: '/command', label: () => t('commandCenter'), testid: 'nav-command' },
  { path: '/wall', label: () => ww('wall'), testid: 'nav-wall' },
  { path: '/evaluation', label: () => lw('evaluation'), testid: 'nav-evaluation' },
  { path: '/trends', label: () => lw('trends'), testid: 'nav-trends' },
  { path: '/bulletins', label: () => lw('bulletins'), testid: 'nav-bulletins' },
  { path: '/campaigns', label: () => cw('campaigns'), testid: 'nav-campaigns' },
  { path: '/chief', label: () => t('chiefTasks'), testid: 'nav-chief' },
];

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
  const leadsDepartment = useLeadsDepartment(session);

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
  const campaign = match('/campaigns/:id', path);
  // The link of a notification (PUBLIC_BASE_URL/cases/<id>): the case, read-only, for whoever may see it.
  const caseLink = match('/cases/:id', path);
  if (track) page = <TrackPage id={track.id} token={query.get('token') ?? ''} />;
  else if (path === '/report') page = <CitizenReport />;
  else if (path === '/login' || !session) page = <Login next={path !== '/login' && path !== '/' ? path : null} />;
  else if (path === '/') {
    navigate(homeOf(session.user.role), true);
    page = null;
  } else if (caseLink) {
    page = <CaseDrawer id={caseLink.id} version={0} canAct={false} onClose={() => navigate('/')} />;
  } else if (admin) {
    page =
      session.user.role === 'admin' ? (
        <AdminPage section={admin.section} />
      ) : (
        <p class="error" role="alert">{lang === 'zh' ? '当前角色无权访问此页面' : 'Your role cannot open this page'}</p>
      );
  } else if (campaign) {
    page = STAFF_PAGES['/campaigns'].includes(session.user.role) ? (
      config ? <CampaignPage id={campaign.id} /> : <p>{t('loading')}</p>
    ) : (
      <p class="error" role="alert">{lang === 'zh' ? '当前角色无权访问此页面' : 'Your role cannot open this page'}</p>
    );
  } else if (STAFF_PAGES[path]) {
    if (session.user.role === 'department' && LEADERS_ONLY.includes(path) && leadsDepartment === null) page = <p>{t('loading')}</p>;
    else if (!mayOpen(path, session.user.role, leadsDepartment)) {
      page = <p class="error" role="alert">{lang === 'zh' ? '当前角色无权访问此页面' : 'Your role cannot open this page'}</p>;
    } else if (!config) page = <p>{t('loading')}</p>;
    else if (path === '/command') page = <CommandCenter />;
    else if (path === '/chief') page = <ChiefView />;
    else if (path === '/evaluation') page = <EvaluationPage />;
    else if (path === '/trends') page = <TrendsPage />;
    else if (path === '/bulletins') page = <BulletinsPage />;
    else if (path === '/approvals') page = <ApprovalsPage />;
    else if (path === '/wall') page = <WallPage />;
    else if (path === '/campaigns') page = <CampaignsPage />;
    else if (path === '/notifications') page = <MyNotificationsPage />;
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
        {session &&
          NAV.filter((n) => mayOpen(n.path, session.user.role, leadsDepartment)).length > 1 &&
          NAV.filter((n) => mayOpen(n.path, session.user.role, leadsDepartment)).map((n) => (
            <a
              key={n.path}
              class={`nav${path === n.path ? ' current' : ''}`}
              href={n.path}
              data-testid={n.testid}
              onClick={(e) => (e.preventDefault(), navigate(n.path))}
            >
              {n.label()}
            </a>
          ))}
        {session && session.user.role !== 'citizen' && (
          <a
            class={`nav${path === '/notifications' ? ' current' : ''}`}
            href="/notifications"
            data-testid="nav-notifications"
            onClick={(e) => (e.preventDefault(), navigate('/notifications'))}
          >
            {t('myNotifications')}
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
