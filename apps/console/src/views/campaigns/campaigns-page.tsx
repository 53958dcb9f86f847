import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { navigate } from '../../router';
import { cw, type CampaignWordKey } from './campaign-i18n';
import type { CampaignView } from './campaign-types';
import { localMinute } from '../../local-time';

const day = (iso: string) => localMinute(iso).slice(0, 10);

/** 专项行动: the campaigns in the caller's scope with their counts; one opens its page (挂图作战). */
export function CampaignsPage() {
  useLang();
  const [campaigns, setCampaigns] = useState<CampaignView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<CampaignView[]>('/api/v1/campaigns').then(setCampaigns, (e) => setError(errorText(e)));
  }, []);
  return (
    <section class="campaigns" data-testid="campaigns">
      <h1>{cw('campaigns')}</h1>
      <ErrorLine error={error} />
      {campaigns?.length === 0 && <p>{cw('none')}</p>}
      <ul class="campaign-list">
        {campaigns?.map((c) => (
          <li key={c.id} data-campaign-id={c.id} data-state={c.state} class={c.state !== 'active' ? 'ended' : undefined}>
            <a href={`/campaigns/${c.id}`} onClick={(e) => (e.preventDefault(), navigate(`/campaigns/${c.id}`))}>
              <strong>{c.name}</strong>
            </a>{' '}
            <span class={`campaign-state ${c.state}`}>{cw(`c_${c.state}` as CampaignWordKey)}</span>
            <span>
              {cw('period')} {day(c.from)} – {day(c.to)} · {cw('owner')} {c.owner.name}
            </span>
            <span class="counts">
              {cw('items')} {c.counts.items} · {cw('itemsDone')} {c.counts.itemsDone} · <span class="overdue">{cw('itemsOverdue')} {c.counts.itemsOverdue}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
