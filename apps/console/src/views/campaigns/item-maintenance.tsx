import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { cw, type CampaignWordKey } from './campaign-i18n';
import type { CampaignItemView, ItemHistoryEntry, OwnerChoice } from './campaign-types';
import { localMinute } from '../../local-time';

const when = (iso: unknown) => (typeof iso === 'string' ? localMinute(iso) : '—');

/**
 * Maintaining one item (district or street staff, the campaign owner): a new owner, withdrawn from
 * the ledger with a reason, a milestone moved with a reason (PATCH …/items/:itemId and
 * …/milestones/:code); below, the item's history (changes and progress, who and when).
 */
export function ItemMaintenance({ campaignId, items, owners, onChanged }: { campaignId: string; items: CampaignItemView[]; owners: OwnerChoice[]; onChanged(): void }) {
  useLang();
  const [itemId, setItemId] = useState(items[0].id);
  const item = items.find((i) => i.id === itemId) ?? items[0];
  const open = item.milestones.filter((m) => m.state !== 'done');
  const [ownerId, setOwnerId] = useState('');
  const [reason, setReason] = useState('');
  const [code, setCode] = useState('');
  const [due, setDue] = useState('');
  const [moveReason, setMoveReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<ItemHistoryEntry[] | null>(null);
  const loadHistory = () => api.get<ItemHistoryEntry[]>(`/api/v1/campaigns/${campaignId}/items/${item.id}/history`).then(setHistory, (e) => setError(errorText(e)));
  useEffect(() => void loadHistory(), [item.id, item.owner.id, item.milestones.map((m) => m.dueAt).join()]);

  const send = async (path: string, body: unknown) => {
    setError(null);
    try {
      await api.patch(`/api/v1/campaigns/${campaignId}/items/${item.id}${path}`, body);
      onChanged();
      void loadHistory();
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    }
  };
  const changeOwner = (e: Event) => (e.preventDefault(), ownerId && void send('', { ownerId }));
  const withdraw = async (e: Event) => {
    e.preventDefault();
    if (reason.trim() === '') return setError(cw('reasonRequired'));
    if (await send('', { withdrawn: true, reason: reason.trim() })) setReason('');
  };
  const move = async (e: Event) => {
    e.preventDefault();
    const milestone = code || open[0]?.code;
    if (!milestone || !due) return;
    if (moveReason.trim() === '') return setError(cw('reasonRequired'));
    if (await send(`/milestones/${encodeURIComponent(milestone)}`, { dueAt: new Date(due).toISOString(), reason: moveReason.trim() })) setMoveReason('');
  };

  return (
    <section class="item-maintenance" data-testid="item-maintenance">
      <h2>{cw('itemActions')}</h2>
      <label>
        {cw('item')}
        <select name="maintain-item" value={item.id} onChange={(e) => (setItemId(e.currentTarget.value), setCode(''), setError(null))}>
          {items.map((i) => (
            <option key={i.id} value={i.id}>
              {i.place.name}
            </option>
          ))}
        </select>
      </label>
      <form onSubmit={changeOwner} class="inline">
        <label>
          {cw('newOwner')}
          <select name="item-owner" value={ownerId} onChange={(e) => setOwnerId(e.currentTarget.value)}>
            <option value="">—</option>
            {owners
              .filter((o) => o.id !== item.owner.id)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </select>
        </label>
        <button type="submit" data-action="change-owner">
          {cw('changeOwner')}
        </button>
      </form>
      {open.length > 0 && (
        <form onSubmit={move} class="inline">
          <label>
            {cw('moveMilestone')}
            <select name="move-milestone" value={code || open[0].code} onChange={(e) => setCode(e.currentTarget.value)}>
              {open.map((m) => (
                <option key={m.code} value={m.code}>
                  {m.name}（{when(m.dueAt)}）
                </option>
              ))}
            </select>
          </label>
          <label>
            {cw('newDue')}
            <input type="datetime-local" name="move-due" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
          </label>
          <label>
            {cw('moveReason')}
            <input name="move-reason" value={moveReason} onInput={(e) => setMoveReason(e.currentTarget.value)} />
          </label>
          <button type="submit" data-action="move-milestone">
            {cw('move')}
          </button>
        </form>
      )}
      <form onSubmit={withdraw} class="inline">
        <label>
          {cw('withdrawReason')}
          <input name="withdraw-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <button type="submit" class="danger" data-action="withdraw-item">
          {cw('withdraw')}
        </button>
      </form>
      <ErrorLine error={error} />
      <h3>{cw('history')}</h3>
      <ol class="item-history" data-testid="item-history">
        {history?.length === 0 && <li>{cw('noHistory')}</li>}
        {history?.map((h) => (
          <li key={h.id} data-kind={h.kind}>
            {when(h.at)} {h.by.name} · {cw(`h_${h.kind}` as CampaignWordKey)}
            {h.kind === 'milestone.moved' && ` ${when(h.before?.dueAt)} → ${when(h.after?.dueAt)}`}
            {h.kind === 'item.owner_changed' && ` ${(h.before?.owner as { name?: string })?.name ?? ''} → ${(h.after?.owner as { name?: string })?.name ?? ''}`}
            {h.reason && `（${h.reason}）`}
            {h.note && `：${h.note}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
