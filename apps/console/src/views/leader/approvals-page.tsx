import { useEffect, useState } from 'preact/hooks';
import { api, departmentAssignee, errorText, type CaseView } from '../../api';
import { ErrorLine } from '../../components/common';
import { t, useLang } from '../../i18n';
import { CaseDrawer } from '../case-drawer';
import { AppealDecision, ExtensionDecision, type AppealView } from './decisions';
import { lw } from './leader-i18n';

/**
 * 待我审批: what waits for the leader — chiefs' and department members' extension requests (cases
 * with hours asked) and pending overdue appeals, in the leader's jurisdiction; for a department's
 * leader (部门负责人), their department's (the server scopes both lists by the access model).
 */
export function ApprovalsPage() {
  const lang = useLang();
  const [extensions, setExtensions] = useState<CaseView[] | null>(null);
  const [appeals, setAppeals] = useState<AppealView[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      const [cases, pending] = await Promise.all([
        api.get<{ items: CaseView[] }>('/api/v1/cases?extensionRequested=true&limit=200'),
        api.get<AppealView[]>('/api/v1/appeals?status=pending'),
      ]);
      setExtensions(cases.items);
      setAppeals(pending);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);
  const changed = () => (setVersion((v) => v + 1), void load());

  return (
    <section class="leader-page" data-testid="approvals-page">
      <h2>{lw('approvals')}</h2>
      <ErrorLine error={error} />
      {extensions && appeals && extensions.length + appeals.length === 0 && (
        <p class="muted" data-testid="nothing-waiting">
          {lw('nothingWaiting')}
        </p>
      )}
      <h3>
        {lw('extensions')} ({extensions?.length ?? 0})
      </h3>
      <ul class="approvals" data-testid="extension-requests">
        {(extensions ?? []).map((c) => (
          <li key={c.id} data-case-id={c.id}>
            <button class="link" onClick={() => setOpen(c.id)}>
              {c.code}
            </button>{' '}
            {lang === 'zh' ? c.category.name : c.category.nameEn} · {c.street?.name ?? '—'} · {departmentAssignee(c.assignee) ? t('department') : lw('chief')} {c.assignee?.name ?? '—'} · {lw('deadline')}{' '}
            {c.deadlineAt ? new Date(c.deadlineAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en') : '—'}
            <ExtensionDecision c={c} onDone={changed} />
          </li>
        ))}
      </ul>
      <h3>
        {lw('appeals')} ({appeals?.length ?? 0})
      </h3>
      <ul class="approvals" data-testid="pending-appeals">
        {(appeals ?? []).map((a) => (
          <li key={a.id} data-appeal-id={a.id}>
            <button class="link" onClick={() => setOpen(a.case.id)}>
              {a.case.code}
            </button>
            <AppealDecision appeal={a} onDone={changed} />
          </li>
        ))}
      </ul>
      {open && <CaseDrawer id={open} version={version} canAct={false} onClose={() => setOpen(null)} onChanged={changed} />}
    </section>
  );
}
