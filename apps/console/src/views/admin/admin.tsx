import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { t, useLang } from '../../i18n';
import { navigate } from '../../router';
import { AdminMe, type Me } from './admin-me';
import { ADMIN_SECTIONS } from './sections';
import { ErrorLine } from '../../components/common';

/** `/admin/:section`: the district's own administration (domain.md section 7), one tab per topic. */
export function AdminPage({ section }: { section: string | null }) {
  const lang = useLang();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<Me>('/api/v1/auth/me').then(setMe, (e) => setError(errorText(e)));
  }, []);
  if (error) return <ErrorLine error={error} />;
  if (!me) return <p>{t('loading')}</p>;

  const tabs = ADMIN_SECTIONS.filter((s) => !(me.streetCode && s.districtOnly));
  const current = tabs.find((s) => s.id === section) ?? tabs[0];
  if (section !== current.id) {
    navigate(`/admin/${current.id}`, true);
    return null;
  }
  const Page = current.page;
  return (
    <AdminMe.Provider value={me}>
      <section class="admin">
        <nav class="admin-tabs" aria-label={lang === 'zh' ? '管理' : 'Administration'}>
          {tabs.map((s) => (
            <a
              key={s.id}
              href={`/admin/${s.id}`}
              class={s.id === current.id ? 'active' : ''}
              aria-current={s.id === current.id ? 'page' : undefined}
              data-testid={`admin-tab-${s.id}`}
              onClick={(e) => (e.preventDefault(), navigate(`/admin/${s.id}`))}
            >
              {s.name[lang === 'zh' ? 0 : 1]}
            </a>
          ))}
          {me.streetCode && <span class="muted">{lang === 'zh' ? `街道管理员 · ${me.streetCode}` : `Street admin · ${me.streetCode}`}</span>}
        </nav>
        <div class="admin-body">
          <Page />
        </div>
      </section>
    </AdminMe.Provider>
  );
}
