import { useEffect, useRef, useState } from 'preact/hooks';
import { api, chiefAssignee, errorText, type CaseView } from '../api';
import { useApp } from '../app-context';
import { alertNewTask, Countdown, ErrorLine, FeedBadge, LightDot, PhotoInput, useFeed } from '../components/common';
import { statusName, t, useLang } from '../i18n';
import { RETURN_TYPES, returnTypeName } from '../lights';
import { escalatedToMe, relationOf, type TaskRelation } from '../tasks';
import { ChiefRequests } from './chief-requests';
import type { AppealView } from './leader/decisions';
import { SupervisionNote } from './leader-orders';
import { cachedGet } from '../offline/cached-read';
import type { OutboxItem } from '../offline/offline-db';
import { OfflineCopyLine, outbox, OutboxPanel, useOutbox } from '../offline/outbox-panel';
import { MyInspections } from './inspections';

/** The road chief's phone: my tasks, supervised ones (督办) first and marked, then by traffic light (red first); accept, return with its type, resolve with photos. */
export function ChiefView() {
  const lang = useLang();
  const { session, config, signOut } = useApp();
  const [tasks, setTasks] = useState<CaseView[] | null>(null);
  const [appeals, setAppeals] = useState<Map<string, AppealView>>(new Map());
  const [tab, setTab] = useState<'tasks' | 'inspections'>('tasks');
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const known = useRef<Set<string> | null>(null);
  // my road-chief id: tells the tasks assigned to me from those escalated to me
  const [chiefId, setChiefId] = useState<number | null>(null);
  const chiefIdRef = useRef(chiefId);
  chiefIdRef.current = chiefId;
  const [offlineSince, setOfflineSince] = useState<number | null>(null);
  const userId = session?.user.id ?? null;
  const box = useOutbox(userId, () => void load());

  async function load() {
    if (!userId) return;
    try {
      // The server's order: supervised (督办) first, then by traffic light, red first, then by the share of the limit used.
      // Without signal: the last fetched copy, marked so (and the appeals as last known).
      const { data: list, offlineSince: since } = await cachedGet<CaseView[]>(userId, '/api/v1/me/tasks');
      setOfflineSince(since);
      // Appeals of overdue marks: a road chief's own, a department member's those of their department.
      if (since === null && (session?.user.role === 'chief' || session?.user.role === 'department')) {
        const mine = await api.get<AppealView[]>('/api/v1/appeals');
        setAppeals(new Map(mine.map((a) => [a.case.id, a])));
      }
      if (known.current) {
        const added = list.filter((c) => !known.current!.has(c.id)).map((c) => c.id);
        if (added.length) {
          alertNewTask();
          setFresh((s) => new Set([...s, ...added]));
        }
      }
      known.current = new Set(list.map((c) => c.id));
      setTasks(list);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }

  useEffect(() => {
    void load();
    if (!userId) return;
    cachedGet<{ chiefId: number | null }>(userId, '/api/v1/auth/me')
      .then((me) => setChiefId(me.data.chiefId))
      .catch((e) => setError(errorText(e)));
  }, []);
  const { state } = useFeed(config, session?.accessToken ?? null, {
    onEvent: (e) => {
      // a case escalated to me that I already hold changes no list: still tell me
      if (escalatedToMe(e, chiefIdRef.current) && known.current?.has(e.caseId)) alertNewTask();
      void load();
    },
    onAuthRefused: () => signOut(),
    onResync: () => void load(),
  });

  return (
    <section class="phone">
      <div class="row">
        <h2>{t('chiefTasks')}</h2>
        <FeedBadge state={state} />
      </div>
      <OutboxPanel box={box} />
      <nav class="tabs">
        <button class={tab === 'tasks' ? 'active' : ''} data-testid="tab-tasks" onClick={() => setTab('tasks')}>
          {t('chiefTasks')}
        </button>
        <button class={tab === 'inspections' ? 'active' : ''} data-testid="tab-inspections" onClick={() => setTab('inspections')}>
          {t('myInspections')}
        </button>
      </nav>
      <ErrorLine error={error} />
      {tab === 'tasks' && <OfflineCopyLine since={offlineSince} />}
      {tab === 'inspections' ? (
        <MyInspections />
      ) : tasks === null ? (
        <p>{t('loading')}</p>
      ) : tasks.length === 0 ? (
        <p class="muted" data-testid="no-tasks">
          {t('noTasks')}
        </p>
      ) : (
        <ul class="tasks" data-testid="tasks">
          {tasks.map((c) => (
            <TaskCard
              key={c.id}
              c={c}
              fresh={fresh.has(c.id)}
              relation={relationOf(c, chiefId)}
              lang={lang}
              onChanged={load}
              appeal={appeals.get(c.id) ?? null}
              canAppeal={session?.user.role === 'chief' || session?.user.role === 'department'}
              userId={userId!}
              waiting={box.items.find((i) => i.state === 'pending' && i.path.startsWith(`/api/v1/cases/${c.id}/`))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

const ACTION_LABEL = { accept: 'opAccept', return: 'opReturn', resolve: 'opResolve' } as const;

/**
 * One task. Assigned to me: accept, return, resolve. Escalated to me (I supervise the assignee):
 * labelled so, with who handles it; I may resolve it once accepted, not accept or return it.
 */
export function TaskCard({
  c,
  fresh,
  relation,
  onChanged,
  lang,
  appeal = null,
  canAppeal = true,
  userId,
  waiting,
}: {
  c: CaseView;
  fresh: boolean;
  relation: TaskRelation | null;
  lang: string;
  onChanged(): void;
  appeal?: AppealView | null;
  /** An overdue mark may be appealed: by the road chief, or a member of the department, it is assigned to. */
  canAppeal?: boolean;
  /** The signed-in chief (whose outbox the action goes to), and an action of theirs on this case still waiting to be sent. */
  userId: string;
  waiting?: OutboxItem;
}) {
  const [mode, setMode] = useState<'return' | 'resolve' | null>(null);
  const [reason, setReason] = useState('');
  const [returnType, setReturnType] = useState<(typeof RETURN_TYPES)[number]>('wrong_place');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: 'accept' | 'return' | 'resolve') {
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      if (action === 'return') {
        body.reasonType = returnType;
        if (reason.trim()) body.reason = reason;
      }
      if (action === 'resolve' && reason) body.note = reason;
      // Kept on the phone first: sent now, or when the signal returns (photos, then the action).
      const label = `${c.code} · ${t(ACTION_LABEL[action])}`;
      const done = await outbox.submit(userId, { kind: 'action', path: `/api/v1/cases/${c.id}/${action}`, body, files: action === 'resolve' ? files : [], label });
      setMode(null);
      setFiles([]);
      setReason('');
      if (done.state === 'sent') onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const mine = relation !== 'escalated';
  return (
    <li
      class={`task card${c.overdue ? ' overdue' : ''}${fresh ? ' fresh' : ''}${relation === 'escalated' ? ' escalated' : ''}${c.supervision ? ' supervised' : ''}`}
      data-supervised={c.supervision ? 'true' : 'false'}
      data-case-id={c.id}
      data-status={c.status}
      data-relation={relation ?? ''}
      data-light={c.light ?? 'none'}
      data-waiting={waiting ? 'true' : 'false'}
    >
      <div class="row">
        <b>
          <LightDot light={c.light} limitUsed={c.limitUsed} />
          {c.code}
        </b>
        <span class={`status s-${c.status}`}>{statusName(c.status)}</span>
      </div>
      <div>
        {lang === 'zh' ? c.category.name : c.category.nameEn} · {c.road?.name ?? c.community?.name}
        {fresh && <span class="badge new">{t('newTask')}</span>}
        {relation === 'escalated' && (
          <span class="badge escalated" data-testid="relation">
            {t('escalatedToMe')} L{c.escalationLevel}
          </span>
        )}
        {relation === 'assigned' && (
          <span class="badge assigned" data-testid="relation">
            {t('assignedToMe')}
          </span>
        )}
        {relation === 'assigned' && c.escalationLevel > 0 && <span class="badge escalated">{t('escalatedAbove')}</span>}
        {c.overdue && <span class="badge overdue">{t('overdueMark')}</span>}
        {c.supervision && <span class="badge supervised">{t('supervisedTask')}</span>}
        {waiting && <span class="badge pending">{t('outboxPending')}: {waiting.label}</span>}
      </div>
      {c.supervision && <SupervisionNote s={c.supervision} />}
      {relation === 'escalated' && chiefAssignee(c.assignee) && (
        <div class="muted" data-testid="handled-by">
          {t('handledBy')}: {c.assignee?.name} ({lang === 'zh' ? chiefAssignee(c.assignee)?.title : chiefAssignee(c.assignee)?.titleEn})
        </div>
      )}
      <p class="muted">{c.description}</p>
      <Countdown deadlineAt={c.deadlineAt} />
      {c.media.length > 0 && (
        <div class="photos">
          {c.media.map((m) => (
            <img key={m.id} src={m.url} alt="" loading="lazy" />
          ))}
        </div>
      )}
      <div class="actions" hidden={!!waiting}>
        {mine && c.status === 'dispatched' && (
          <button class="primary" disabled={busy} data-action="accept" onClick={() => act('accept')}>
            {t('accept')}
          </button>
        )}
        {c.status === 'in_progress' && (
          <button class="primary" data-action="resolve" onClick={() => setMode('resolve')}>
            {t('resolve')}
          </button>
        )}
        {mine && (
          <button data-action="return" onClick={() => setMode('return')}>
            {t('return')}
          </button>
        )}
      </div>
      {mine && <ChiefRequests c={c} appeal={appeal} canAppeal={canAppeal} onChanged={onChanged} />}
      {mode && (
        <form
          class="action-form"
          data-form={mode}
          onSubmit={(e) => {
            e.preventDefault();
            void act(mode);
          }}
        >
          {mode === 'return' && (
            <label>
              {t('returnType')}
              <select value={returnType} data-testid="return-type" onChange={(e) => setReturnType(e.currentTarget.value as (typeof RETURN_TYPES)[number])}>
                {RETURN_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {returnTypeName(type)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {mode === 'return' ? t('reason') : t('note')}
            <textarea value={reason} required={mode === 'return' && returnType === 'other'} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          {mode === 'resolve' && <PhotoInput files={files} onChange={setFiles} />}
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {busy && files.length ? t('uploading') : t('submit')}
            </button>
            <button type="button" onClick={() => setMode(null)}>
              {t('close')}
            </button>
          </div>
        </form>
      )}
      <ErrorLine error={error} />
    </li>
  );
}
