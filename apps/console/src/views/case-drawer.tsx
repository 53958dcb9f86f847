import { useEffect, useState } from 'preact/hooks';
import { api, chiefAssignee, departmentAssignee, errorText, type CaseView } from '../api';
import { Countdown, ErrorLine } from '../components/common';
import { eventName, statusName, t, useLang } from '../i18n';
import { useApp } from '../app-context';
import { LeaderCasePanel } from './leader/decisions';
import { LeaderOrderForm, SupervisionNote, type LeaderOrder } from './leader-orders';
import { SuspensionPanel } from './suspension-panel';
import { CitizenUpdatesPanel } from './citizen-updates-panel';
import { ActionForm, type Action, type PickListener } from './case-action-form';


const ACTIONS_BY_STATUS: Record<string, Action[]> = {
  reported: ['register', 'reject', 'merge', 'cancel'],
  registered: ['dispatch', 'merge', 'cancel'],
  dispatched: ['dispatch', 'cancel'],
  in_progress: ['dispatch', 'cancel'],
  resolved: ['cancel'],
};

const OPEN = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved'];

/** A case reported by address only is placed first; it may also be rejected or cancelled. */
const UNPLACED_ACTIONS: Action[] = ['place', 'reject', 'cancel'];

interface DrawerProps {
  id: string;
  version: number;
  onClose(): void;
  canAct: boolean;
  onChanged?(): void;
  /** A leader's orders (督办, 批示). */
  canOrder?: boolean;
  role?: string;
  /** The action whose form opens at once (the list's 定位 / Place). */
  startWith?: Action | null;
  /** Listens for clicks on the map (the place form), or stops listening (null). */
  onPick?(listener: PickListener | null): void;
}

/** One case: details, timeline, photos, routing reason, countdown, and the operator's actions (a leader's: 督办, 批示, decisions). */
export function CaseDrawer({ id, version, onClose, canAct, onChanged, canOrder = false, role, startWith = null, onPick }: DrawerProps) {
  const lang = useLang();
  const { session } = useApp();
  const [reload, setReload] = useState(0);
  const [view, setView] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(startWith);
  const [order, setOrder] = useState<LeaderOrder | null>(null);
  const actions = view && !view.location && view.status === 'reported' ? UNPLACED_ACTIONS : (ACTIONS_BY_STATUS[view?.status ?? ''] ?? []);

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
            {lang === 'zh' ? view.category.name : view.category.nameEn} ·{' '}
            {view.street && view.community ? (
              `${view.street.name} · ${view.community.name}`
            ) : (
              <span class="badge pending" data-testid="location-pending">
                {t('locationPending')}
              </span>
            )}
          </p>
          {view.source === 'leader' && <span class="badge supervised">{t('instructionCase')}</span>}
          {(view.address || view.addressId) && (
            <p data-testid="case-address">
              {t('addressGiven')}: {[view.address, view.addressId].filter(Boolean).join(' · ')}
            </p>
          )}
          <p>{view.description}</p>
          {view.supervision && <SupervisionNote s={view.supervision} />}
          <dl>
            <dt>{t('deadline')}</dt>
            <dd>
              {view.deadlineAt ? new Date(view.deadlineAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en') : '—'} <Countdown deadlineAt={view.status === 'closed' || view.suspension ? null : view.deadlineAt} />
            </dd>
            {departmentAssignee(view.assignee) ? (
              <>
                <dt>{t('department')}</dt>
                <dd data-testid="case-department">{view.assignee?.name}</dd>
                <dt>{t('coordinator')}</dt>
                <dd data-testid="case-coordinator">{view.coordinator ? `${lang === 'zh' ? view.coordinator.title : view.coordinator.titleEn} ${view.coordinator.name}` : '—'}</dd>
              </>
            ) : (
              <>
                <dt>{t('assignee')}</dt>
                <dd>{chiefAssignee(view.assignee) ? `${lang === 'zh' ? chiefAssignee(view.assignee)?.title : chiefAssignee(view.assignee)?.titleEn} ${view.assignee?.name}` : '—'}</dd>
              </>
            )}
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
          {canAct && actions.length > 0 && (
            <div class="actions">
              {actions.map((a) => (
                <button key={a} class={a === 'register' || a === 'place' ? 'primary' : ''} data-action={a} onClick={() => setAction(a)}>
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
          <CitizenUpdatesPanel caseId={view.id} version={version + reload} canDecide={session?.user.role === 'operator' || session?.user.role === 'leader'} />
          {action && canAct && actions.includes(action) && (
            <ActionForm key={action} view={view} action={action} onPick={onPick} onDone={(v) => (setView(v), setAction(null))} onCancel={() => setAction(null)} />
          )}
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
