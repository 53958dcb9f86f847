import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type CaseView } from '../api';
import { useApp } from '../app-context';
import { Countdown, ErrorLine, FeedBadge, useFeed } from '../components/common';
import { eventName, statusName, t, useLang } from '../i18n';
import { CitizenFollowUp } from './citizen-follow-up';

/** A reporter follows their case with its tracking token: public status, deadline, closing evidence, live. */
export function TrackPage({ id, token }: { id: string; token: string }) {
  const lang = useLang();
  const { config } = useApp();
  const [view, setView] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setView(await api.get<CaseView>(`/api/v1/cases/${encodeURIComponent(id)}?trackingToken=${encodeURIComponent(token)}`, { anonymous: true }));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), [id, token]);
  const { state, connection } = useFeed(config, null, { onEvent: (e) => e.caseId === id && void load(), onResync: () => void load() });
  useEffect(() => {
    connection?.track(id, token).catch((e: Error) => setError(e.message));
  }, [connection, id, token]);

  const closing = view?.timeline?.filter((e) => e.type === 'case.resolved' || e.type === 'case.closed') ?? [];
  return (
    <section class="phone track" data-testid="track" data-status={view?.status}>
      <div class="row">
        <h2>{t('trackTitle')}</h2>
        <FeedBadge state={state} />
      </div>
      <ErrorLine error={error} />
      {view && (
        <>
          <p>
            <b>{view.code}</b> <span class={`status s-${view.status}`} data-testid="track-status">{statusName(view.status)}</span>
          </p>
          <p>
            {lang === 'zh' ? view.category.name : view.category.nameEn} · {view.street?.name ?? view.address ?? t('locationPending')}
          </p>
          <p class="muted">{view.description}</p>
          {view.deadlineAt && view.status !== 'closed' && (
            <p>
              {t('deadline')}: {new Date(view.deadlineAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')} <Countdown deadlineAt={view.deadlineAt} />
            </p>
          )}
          {view.publicNote && (
            <p>
              {t('publicNote')}: {view.publicNote}
            </p>
          )}
          {(view.status === 'closed' || view.status === 'resolved') && (
            <div class="card" data-testid="closing-evidence">
              <h3>{t('closingEvidence')}</h3>
              {closing.map((e) => (
                <p key={e.seq}>
                  {eventName(e.type)} {new Date(e.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')} {e.note ?? ''}
                </p>
              ))}
              <div class="photos">
                {view.media.map((m) => (
                  <img key={m.id} src={m.url} alt="" />
                ))}
              </div>
            </div>
          )}
          <CitizenFollowUp view={view} token={token} onChanged={setView} />
          <h3>{t('timeline')}</h3>
          <ol class="timeline">
            {(view.timeline ?? []).map((e) => (
              <li key={e.seq}>
                <time>{new Date(e.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')}</time> {eventName(e.type)} → {statusName(e.to)}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
