import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type CaseView } from '../api';
import { Countdown, ErrorLine } from '../components/common';
import { eventName, statusName, t, useLang } from '../i18n';
import { useApp } from '../app-context';
import { LeaderCasePanel } from './leader/decisions';
import { LeaderOrderForm, SupervisionNote, type LeaderOrder } from './leader-orders';
import { SuspensionPanel } from './suspension-panel';

interface ChiefOption {
  id: number;
  name: string;
  level: number;
  title: string;
  titleEn: string;
  available: boolean;
}

type Action = 'register' | 'reject' | 'dispatch' | 'cancel' | 'merge';

const ACTIONS_BY_STATUS: Record<string, Action[]> = {
  reported: ['register', 'reject', 'merge', 'cancel'],
  registered: ['dispatch', 'merge', 'cancel'],
  dispatched: ['dispatch', 'cancel'],
  in_progress: ['dispatch', 'cancel'],
  resolved: ['cancel'],
};

const OPEN = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved'];

/** One case: details, timeline, photos, routing reason, countdown, and the operator's actions (a leader's: 督办, 批示, decisions). */
export function CaseDrawer({
  id,
  version,
  onClose,
  canAct,
  onChanged,
  canOrder = false,
  role,
}: {
  id: string;
  version: number;
  onClose(): void;
  canAct: boolean;
  onChanged?(): void;
  canOrder?: boolean;
  role?: string;
}) {
  const lang = useLang();
  const { session } = useApp();
  const [reload, setReload] = useState(0);
  const [view, setView] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [order, setOrder] = useState<LeaderOrder | null>(null);

  useEffect(() => {
    let live = true;
    api
      .get<CaseView>(`/api/v1/cases/${id}`)
      .then((v) => live && (setView(v), setError(null)))
      .catch((e) => live && setError(errorText(e)));
    return () => void (live = false);
  }, [id, version, reload]);

  return (
    <aside class="drawer" data-testid="case-drawer" data-status={view?.status}>
      <button class="link close" onClick={onClose} aria-label={t('close')}>
        ✕
      </button>
      <ErrorLine error={error} />
      {!view ? (
        <p>{t('loading')}</p>
      ) : (
        <>
          <h2>
            {view.code} <span class={`status s-${view.status}`}>{statusName(view.status)}</span>
            {view.overdue && <span class="badge overdue">{t('overdueMark')}</span>}
            {view.suspension && <span class="badge suspended">{t('suspendedMark')}</span>}
          </h2>
          <p>
            {lang === 'zh' ? view.category.name : view.category.nameEn} · {view.street.name} · {view.community.name}
          </p>
          {view.source === 'leader' && <span class="badge supervised">{t('instructionCase')}</span>}
          <p>{view.description}</p>
          {view.supervision && <SupervisionNote s={view.supervision} />}
          <dl>
            <dt>{t('deadline')}</dt>
            <dd>
              {view.deadlineAt ? new Date(view.deadlineAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en') : '—'} <Countdown deadlineAt={view.status === 'closed' || view.suspension ? null : view.deadlineAt} />
            </dd>
            <dt>{t('assignee')}</dt>
            <dd>{view.assignee ? `${lang === 'zh' ? view.assignee.title : view.assignee.titleEn} ${view.assignee.name}` : '—'}</dd>
            {view.standard && (
              <>
                <dt>{t('judgedBy')}</dt>
                <dd data-testid="case-standard">
                  v{view.standard.version} · {lang === 'zh' ? view.standard.condition : view.standard.conditionEn} ({view.standard.timeLimit.value} {view.standard.timeLimit.clockType})
                </dd>
              </>
            )}
            <dt>{t('routingReason')}</dt>
            <dd data-testid="routing-reason">{(lang === 'zh' ? view.routingReasonZh : view.routingReason) ?? view.routingReason ?? '—'}</dd>
            {view.possibleDuplicateOf && (
              <>
                <dt>{t('duplicateOf')}</dt>
                <dd>{view.possibleDuplicateOf}</dd>
              </>
            )}
          </dl>
          {view.media.length > 0 && (
            <>
              <h3>{t('photos')}</h3>
              <div class="photos">
                {view.media.map((m) => (
                  <a key={m.id} href={m.url} target="_blank" rel="noreferrer">
                    <img src={m.url} alt="" loading="lazy" />
                  </a>
                ))}
              </div>
            </>
          )}
          {canAct && (ACTIONS_BY_STATUS[view.status] ?? []).length > 0 && (
            <div class="actions">
              {(ACTIONS_BY_STATUS[view.status] ?? []).map((a) => (
                <button key={a} class={a === 'register' ? 'primary' : ''} data-action={a} onClick={() => setAction(a)}>
                  {t(a)}
                </button>
              ))}
            </div>
          )}
          {session?.user.role === 'leader' && (
            <LeaderCasePanel
              view={view}
              onChanged={(v) => {
                if (v) setView(v);
                else setReload((n) => n + 1);
                onChanged?.();
              }}
            />
          )}
          {canOrder && OPEN.includes(view.status) && (
            <div class="actions">
              {(['supervise', 'instruct'] as const).map((o) => (
                <button key={o} class={o === 'supervise' ? 'primary' : ''} data-order={o} onClick={() => setOrder(o)}>
                  {t(o)}
                </button>
              ))}
            </div>
          )}
          {order && <LeaderOrderForm key={order} view={view} order={order} onDone={(v) => (setView(v), setOrder(null))} onCancel={() => setOrder(null)} />}
          <SuspensionPanel view={view} role={role} onDone={setView} />
          {action && <ActionForm key={action} view={view} action={action} onDone={(v) => (setView(v), setAction(null))} onCancel={() => setAction(null)} />}
          <h3>{t('timeline')}</h3>
          <ol class="timeline">
            {(view.timeline ?? []).map((e) => (
              <li key={e.seq}>
                <time>{new Date(e.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')}</time> <b>{eventName(e.type)}</b> {e.actor.name ?? e.actor.role}
                {e.reason && <div class="muted">{e.reason}</div>}
                {e.note && <div class="muted">{e.note}</div>}
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}

function ActionForm({ view, action, onDone, onCancel }: { view: CaseView; action: Action; onDone(v: CaseView): void; onCancel(): void }) {
  useLang();
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState(view.possibleDuplicateOf ?? '');
  const [assignee, setAssignee] = useState('');
  const [chiefs, setChiefs] = useState<ChiefOption[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (action !== 'dispatch') return;
    api
      .get<ChiefOption[]>(`/api/v1/chiefs?street=${view.street.code}`)
      .then(setChiefs)
      .catch((e) => setError(errorText(e)));
  }, [action, view.street.code]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      if (reason) body.reason = reason;
      if (action === 'merge') body.targetId = target.trim();
      if (action === 'dispatch') body.assigneeId = Number(assignee);
      onDone(await api.post<CaseView>(`/api/v1/cases/${view.id}/${action}`, body));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const needsReason = action === 'reject' || action === 'cancel' || action === 'merge';
  return (
    <form class="action-form card" onSubmit={submit} data-form={action}>
      <h4>{t(action)}</h4>
      {action === 'dispatch' && (
        <label>
          {t('chief')}
          <select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} required>
            <option value="">—</option>
            {chiefs.map((c) => (
              <option key={c.id} value={c.id} disabled={!c.available}>
                {c.title} {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {action === 'merge' && (
        <label>
          {t('targetCase')}
          <input value={target} onInput={(e) => setTarget(e.currentTarget.value)} required />
        </label>
      )}
      <label>
        {t('reason')}
        <textarea value={reason} onInput={(e) => setReason(e.currentTarget.value)} required={needsReason} maxLength={1000} />
      </label>
      <ErrorLine error={error} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {t('submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('close')}
        </button>
      </div>
    </form>
  );
}
