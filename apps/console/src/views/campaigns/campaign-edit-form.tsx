import { useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { cw } from './campaign-i18n';
import type { CampaignDetail, CampaignState, OwnerChoice } from './campaign-types';

/** Local calendar day of an instant, for a date input. */
const localDay = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * Edit the campaign (district staff, its owner): name, end day (the end of that local day), owner,
 * or end it as completed or cancelled with a note (PATCH /api/v1/campaigns/:id).
 */
export function CampaignEditForm({ detail, owners, onSaved }: { detail: CampaignDetail; owners: OwnerChoice[]; onSaved(): void }) {
  useLang();
  const [name, setName] = useState(detail.name);
  const [to, setTo] = useState(localDay(detail.to));
  const [ownerId, setOwnerId] = useState(detail.owner.id);
  const [state, setState] = useState<CampaignState>('active');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (state !== 'active' && note.trim() === '') return setError(cw('endNoteRequired'));
    setError(null);
    const end = new Date(`${to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    const body = {
      ...(name.trim() !== detail.name ? { name: name.trim() } : {}),
      ...(to !== localDay(detail.to) ? { to: end.toISOString() } : {}),
      ...(ownerId !== detail.owner.id ? { ownerId } : {}),
      ...(state !== 'active' ? { state, note: note.trim() } : {}),
    };
    try {
      await api.patch(`/api/v1/campaigns/${detail.id}`, body);
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const choices = owners.some((o) => o.id === detail.owner.id) ? owners : [{ id: detail.owner.id, name: detail.owner.name, role: '' }, ...owners];
  return (
    <form class="campaign-edit" data-testid="campaign-edit" onSubmit={submit}>
      <h2>{cw('edit')}</h2>
      <label>
        {cw('name')}
        <input name="name" value={name} maxLength={200} onInput={(e) => (setName(e.currentTarget.value), setSaved(false))} />
      </label>
      <label>
        {cw('to')}
        <input type="date" name="to" value={to} onInput={(e) => (setTo(e.currentTarget.value), setSaved(false))} />
      </label>
      <label>
        {cw('owner')}
        <select name="owner" value={ownerId} onChange={(e) => setOwnerId(e.currentTarget.value)}>
          {choices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {cw('endAs')}
        <select name="state" value={state} onChange={(e) => setState(e.currentTarget.value as CampaignState)}>
          <option value="active">{cw('keepActive')}</option>
          <option value="completed">{cw('c_completed')}</option>
          <option value="cancelled">{cw('c_cancelled')}</option>
        </select>
      </label>
      {state !== 'active' && (
        <label>
          {cw('endNote')}
          <textarea name="end-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
      )}
      <ErrorLine error={error} />
      <button type="submit" data-action="save-campaign">
        {cw('save')}
      </button>
      {saved && (
        <span role="status" data-testid="campaign-saved">
          {cw('saved')}
        </span>
      )}
    </form>
  );
}
