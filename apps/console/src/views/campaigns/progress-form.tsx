import { useState } from 'preact/hooks';
import { api, errorText, uploadPhotos } from '../../api';
import { ErrorLine, PhotoInput } from '../../components/common';
import { useLang } from '../../i18n';
import { cw } from './campaign-i18n';
import type { CampaignItemView } from './campaign-types';

/** The owner's progress report on one of their items (a phone form): a milestone done, a percentage, a note, photos as evidence. */
export function ProgressForm({ campaignId, items, onSent }: { campaignId: string; items: CampaignItemView[]; onSent(): void }) {
  useLang();
  const [itemId, setItemId] = useState(items[0].id);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const [percent, setPercent] = useState('');
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const item = items.find((i) => i.id === itemId) ?? items[0];

  const submit = async (e: Event) => {
    e.preventDefault();
    if (note.trim() === '') return setError(cw('noteRequired'));
    setBusy(true);
    setError(null);
    try {
      const mediaIds = files.length > 0 ? await uploadPhotos(files) : [];
      await api.post(`/api/v1/campaigns/${campaignId}/items/${item.id}/progress`, {
        note: note.trim(),
        ...(code ? { milestoneCode: code, done } : {}),
        ...(percent !== '' ? { percent: Number(percent) } : {}),
        ...(mediaIds.length > 0 ? { mediaIds } : {}),
      });
      setSent(true);
      setNote('');
      setFiles([]);
      setDone(false);
      onSent();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="progress-form" data-testid="progress-form" onSubmit={submit}>
      <h2>{cw('report')}</h2>
      <label>
        {cw('myItems')}
        <select name="item" value={itemId} onChange={(e) => (setItemId(e.currentTarget.value), setCode(''), setSent(false))}>
          {items.map((i) => (
            <option key={i.id} value={i.id}>
              {i.place.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {cw('milestone')}
        <select name="milestone" value={code} onChange={(e) => setCode(e.currentTarget.value)}>
          <option value="">{cw('noMilestone')}</option>
          {item.milestones
            .filter((m) => m.state !== 'done')
            .map((m) => (
              <option key={m.code} value={m.code}>
                {m.name}
              </option>
            ))}
        </select>
      </label>
      {code && (
        <label class="check">
          <input type="checkbox" name="done" checked={done} onChange={(e) => setDone(e.currentTarget.checked)} /> {cw('milestoneDone')}
        </label>
      )}
      <label>
        {cw('percent')} (%)
        <input type="number" name="percent" min={0} max={100} value={percent} onInput={(e) => setPercent(e.currentTarget.value)} />
      </label>
      <label>
        {cw('note')}
        <textarea name="note" value={note} onInput={(e) => (setNote(e.currentTarget.value), setSent(false))} />
      </label>
      <PhotoInput files={files} onChange={setFiles} testid="progress-photos" />
      <ErrorLine error={error} />
      <button type="submit" disabled={busy} data-action="send-progress">
        {cw('send')}
      </button>
      {sent && (
        <span data-testid="progress-sent" role="status">
          {cw('sent')}
        </span>
      )}
    </form>
  );
}
