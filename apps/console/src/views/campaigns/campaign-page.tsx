import { useEffect, useState } from 'preact/hooks';
import { api, currentToken, download, errorText } from '../../api';
import { useApp } from '../../app-context';
import { ErrorLine, FeedBadge, useFeed } from '../../components/common';
import type { CampaignEventPayload } from '../../contract';
import { useLang } from '../../i18n';
import { navigate } from '../../router';
import { cw, type CampaignWordKey } from './campaign-i18n';
import { CampaignEditForm } from './campaign-edit-form';
import { STATE_COLOURS, type CampaignDetail, type OwnerChoice } from './campaign-types';
import { ItemMaintenance } from './item-maintenance';
import { ProgressForm } from './progress-form';
import { useCampaignMap } from './use-campaign-map';
import { localMinute } from '../../local-time';

const when = (iso: string | null) => (iso ? localMinute(iso) : '—');

/**
 * 挂图作战 for one campaign: its items' places on the map coloured by state, the ledger beside it,
 * both updated live from `campaign.event` (the item's state comes again from the API), the ledger
 * downloads, and the progress form for the items the caller owns (the owner's phone). Those who
 * may change the campaign edit or end it, and change, withdraw or move the milestones of the items
 * they may; withdrawn items are greyed on the map and in the ledger, an ended campaign says so.
 */
export function CampaignPage({ id }: { id: string }) {
  useLang();
  const { config, session } = useApp();
  const [detail, setDetail] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lastEvent, setLastEvent] = useState<CampaignEventPayload | null>(null);
  const load = () => api.get<CampaignDetail>(`/api/v1/campaigns/${id}`).then(setDetail, (e) => setError(errorText(e)));
  useEffect(() => void load(), [id]);
  const { state } = useFeed(config, currentToken(), {
    onCampaignEvent: (e) => {
      if (e.campaignId !== id) return;
      setLastEvent(e);
      void load();
    },
    onResync: () => void load(),
  });
  const { ref } = useCampaignMap(detail?.items ?? null);
  const mine = detail?.items.filter((i) => i.owner.id === session?.user.id && !i.withdrawn && detail.state === 'active') ?? [];
  const editable = detail?.items.filter((i) => i.canEdit) ?? [];
  const [owners, setOwners] = useState<OwnerChoice[]>([]);
  const mayEdit = !!detail && (detail.canEdit || editable.length > 0);
  useEffect(() => {
    if (mayEdit) api.get<OwnerChoice[]>(`/api/v1/campaigns/${id}/owner-choices`).then(setOwners, (e) => setError(errorText(e)));
  }, [id, mayEdit]);
  const codes = detail?.milestones ?? [];

  return (
    <section class="campaign-page" data-testid="campaign-page" data-campaign-id={id} data-campaign-state={detail?.state ?? ''} data-last-event={lastEvent?.type ?? ''}>
      <p>
        <a href="/campaigns" onClick={(e) => (e.preventDefault(), navigate('/campaigns'))}>
          ← {cw('back')}
        </a>{' '}
        <FeedBadge state={state} />
      </p>
      <ErrorLine error={error} />
      {detail && (
        <>
          <h1>
            {detail.name} <small>{cw('map')}</small>
          </h1>
          {detail.ended && (
            <p class="campaign-ended" data-testid="campaign-ended" role="status">
              {cw('ended')}: {cw(`c_${detail.state}` as CampaignWordKey)} · {when(detail.ended.at)} · {detail.ended.by ?? ''} {detail.ended.note ? `（${detail.ended.note}）` : ''}
            </p>
          )}
          <p class="campaign-meta">
            {cw('owner')} {detail.owner.name} · {cw('items')} {detail.counts.items} · {cw('itemsDone')} {detail.counts.itemsDone} ·{' '}
            <span class="overdue">
              {cw('itemsOverdue')} {detail.counts.itemsOverdue}
            </span>
            <span class="downloads">
              {cw('download')}:{' '}
              {(['xlsx', 'csv', 'json'] as const).map((ext) => (
                <button key={ext} class="link" data-testid={`ledger-${ext}`} onClick={() => download(`/api/v1/campaigns/${id}/ledger.${ext}`, `ledger-${id}.${ext}`).catch((e) => setError(errorText(e)))}>
                  {ext.toUpperCase()}
                </button>
              ))}
            </span>
          </p>
          <ul class="state-legend">
            {(Object.keys(STATE_COLOURS) as (keyof typeof STATE_COLOURS)[]).map((s) => (
              <li key={s}>
                <span class="dot" style={{ background: STATE_COLOURS[s] }} /> {cw(`s_${s}` as CampaignWordKey)}
              </li>
            ))}
          </ul>
          <div class="campaign-layout">
            <div class="campaign-map" ref={ref} data-testid="campaign-map" />
            <table class="ledger" data-testid="ledger">
              <thead>
                <tr>
                  <th>{cw('place')}</th>
                  <th>{cw('owner')}</th>
                  <th>{cw('state')}</th>
                  <th>{cw('percent')}</th>
                  {codes.map((m) => (
                    <th key={m.code}>
                      {m.name}
                      <span>
                        {cw('due')} {when(m.dueAt).slice(0, 10)}
                      </span>
                    </th>
                  ))}
                  <th>{cw('lastProgress')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.items.map((i) => (
                  <tr key={i.id} data-item-id={i.id} data-state={i.state} class={i.withdrawn ? 'withdrawn' : undefined} title={i.withdrawn ? `${cw('withdrawnBecause')}: ${i.withdrawn.reason}` : undefined}>
                    <td>{i.place.name}</td>
                    <td>{i.owner.name}</td>
                    <td>
                      <span class="dot" style={{ background: STATE_COLOURS[i.state] }} /> {cw(`s_${i.state}` as CampaignWordKey)}
                    </td>
                    <td>{i.percent}%</td>
                    {codes.map((c) => {
                      const m = i.milestones.find((x) => x.code === c.code);
                      return (
                        <td key={c.code} class={`milestone ${m?.state ?? ''}`} data-milestone={c.code} data-milestone-state={m?.state ?? ''}>
                          {m ? (m.doneAt ? `${when(m.doneAt)} ${m.onTime ? cw('onTime') : cw('late')}` : cw(`m_${m.state}` as CampaignWordKey)) : '—'}
                        </td>
                      );
                    })}
                    <td>
                      {i.withdrawn ? `${cw('withdrawnBecause')} ${when(i.withdrawn.at)}：${i.withdrawn.reason}` : i.lastProgress ? `${i.lastProgress.note}（${i.lastProgress.by.name} ${when(i.lastProgress.at)}）` : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {mine.length > 0 && <ProgressForm campaignId={id} items={mine} onSent={() => void load()} />}
          {detail.canEdit && <CampaignEditForm key={`${detail.name}|${detail.to}|${detail.owner.id}`} detail={detail} owners={owners} onSaved={() => void load()} />}
          {editable.length > 0 && <ItemMaintenance campaignId={id} items={editable} owners={owners} onChanged={() => void load()} />}
        </>
      )}
    </section>
  );
}
