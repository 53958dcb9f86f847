import { useState } from 'preact/hooks';
import { api, errorText, uploadPhotos, type CaseView, type FeedbackAnswer } from '../api';
import { ErrorLine } from '../components/common';
import { t, useLang } from '../i18n';

const fmt = (iso: string, lang: string) => new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');
const tracked = (path: string, token: string) => `${path}?trackingToken=${encodeURIComponent(token)}`;

/**
 * The reporter's follow-up on the tracking page (domain.md 9): satisfied or "not fixed" after close
 * (once per close), an update with photos (shown once an operator approves it), and the approved updates.
 */
export function CitizenFollowUp({ view, token, onChanged }: { view: CaseView; token: string; onChanged(v: CaseView): void }) {
  const lang = useLang();
  const follow = view.followUp;
  // Kept here: the form goes once the feedback is given (and the case may be reopened).
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div class="card follow-up" data-testid="follow-up">
      <h3>{t('followUpTitle')}</h3>
      {follow?.feedback && (
        <p data-testid="feedback-given">
          {t('feedbackGiven')}: <b>{follow.feedback.satisfied ? t('satisfied') : t('notFixed')}</b> · {fmt(follow.feedback.at, lang)}
        </p>
      )}
      {follow?.canGiveFeedback && <FeedbackForm view={view} token={token} reopens={follow.notFixedReopens} onNotice={setNotice} onChanged={onChanged} />}
      {notice && <p data-testid="feedback-notice">{notice}</p>}
      <UpdateForm view={view} token={token} />
      {(view.updates ?? []).length > 0 && (
        <ul class="updates" data-testid="public-updates">
          {(view.updates ?? []).map((u) => (
            <li key={u.id}>
              <time>{fmt(u.at, lang)}</time> {u.note}
              <div class="photos">
                {u.media.map((m) => (
                  <img key={m.id} src={m.url} alt="" loading="lazy" />
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function FeedbackForm({
  view,
  token,
  reopens,
  onNotice,
  onChanged,
}: {
  view: CaseView;
  token: string;
  reopens: boolean;
  onNotice(text: string | null): void;
  onChanged(v: CaseView): void;
}) {
  useLang();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function give(satisfied: boolean) {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<FeedbackAnswer>(tracked(`/api/v1/cases/${view.id}/feedback`, token), { satisfied, ...(comment.trim() ? { comment } : {}) }, { anonymous: true });
      onNotice(answer.reopened ? t('reopenedNotice') : satisfied ? null : t('notReopenedNotice'));
      onChanged(answer.case);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="feedback" data-form="feedback">
      {reopens && <p class="muted">{t('reopenHint')}</p>}
      <label>
        {t('feedbackComment')}
        <textarea name="comment" value={comment} maxLength={500} onInput={(e) => setComment(e.currentTarget.value)} />
      </label>
      <div class="row">
        <button class="primary" data-feedback="satisfied" disabled={busy} onClick={() => void give(true)}>
          {t('satisfied')}
        </button>
        <button class="danger" data-feedback="not-fixed" disabled={busy} onClick={() => void give(false)}>
          {t('notFixed')}
        </button>
      </div>
      <ErrorLine error={error} />
    </div>
  );
}

function UpdateForm({ view, token }: { view: CaseView; token: string }) {
  useLang();
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (['merged', 'cancelled', 'rejected'].includes(view.status)) return null;

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const mediaIds = files.length ? await uploadPhotos(files, { anonymous: true }) : undefined;
      await api.post(tracked(`/api/v1/cases/${view.id}/updates`, token), { note, ...(mediaIds ? { mediaIds } : {}) }, { anonymous: true });
      setSent(true);
      setNote('');
      setFiles([]);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="update-form" onSubmit={submit} data-form="citizen-update">
      <h4>{t('addUpdate')}</h4>
      <label>
        {t('updateNote')}
        <textarea name="note" value={note} maxLength={1000} required onInput={(e) => (setNote(e.currentTarget.value), setSent(false))} />
      </label>
      <label>
        {t('addPhotos')}
        <input type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple onChange={(e) => setFiles([...(e.currentTarget.files ?? [])].slice(0, 6))} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? t('uploading') : t('submit')}
      </button>
      {sent && <p data-testid="update-sent">{t('updateSent')}</p>}
      <ErrorLine error={error} />
    </form>
  );
}
