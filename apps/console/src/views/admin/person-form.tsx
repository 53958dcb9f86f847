import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { useAdminMe } from './admin-me';
import { CellPicker } from './cell-picker';
import { OneTimePassword } from './one-time-password';
import { PersonFieldsGrid } from './person-fields';
import { createBody, fieldsOf, patchBody, type PersonDetail, type PersonFields, type StreetChoice } from './people-model';
import { ErrorLine } from '../../components/common';

const w = words({
  create: ['新建人员', 'New person'],
  edit: ['编辑人员', 'Edit person'],
  cells: ['负责网格', 'Cells'],
  save: ['保存', 'Save'],
  saved: ['已保存', 'Saved'],
  close: ['关闭', 'Close'],
  deactivate: ['停用', 'Deactivate'],
  reactivate: ['启用', 'Reactivate'],
  reset: ['重置密码', 'Reset password'],
  confirmDeactivate: ['停用后该账号的所有登录和实时连接将立即失效。确定停用？', 'All sessions and live connections of this account end at once. Deactivate?'],
  confirmReset: ['重置后该账号当前的登录将立即失效。确定重置？', 'The account is signed out everywhere at once. Reset the password?'],
  inactive: ['已停用', 'Deactivated'],
  chiefPost: ['路长岗位', 'Road-chief post'],
  chiefHint: ['路长账号来自路长导入（chiefs.csv）；换人请用接口 POST /admin/users 并给出 chiefId。', 'Road chiefs come from the chiefs import (chiefs.csv); to hand a post over use POST /admin/users with chiefId.'],
  streetFirst: ['请先选择街道，再在地图上点选网格', 'Choose the street first, then click cells on the map'],
});

interface PersonFormProps {
  /** null: a new person. */
  personId: string | null;
  streets: StreetChoice[];
  onChanged(): void;
  onClose(): void;
}

/** Create or edit one person; a warden's cells are picked on the map. Deactivate, reactivate, reset password. */
export function PersonForm({ personId, streets, onChanged, onClose }: PersonFormProps) {
  useLang();
  const me = useAdminMe();
  const [person, setPerson] = useState<PersonDetail | null>(null);
  const [fields, setFields] = useState<PersonFields>(fieldsOf(null, me));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);

  async function load(id: string) {
    try {
      const p = await api.get<PersonDetail>(`/api/v1/admin/users/${id}`);
      setPerson(p);
      setFields(fieldsOf(p, me));
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => {
    setError(null);
    setSaved(false);
    setSecret(null);
    if (personId) void load(personId);
    else {
      setPerson(null);
      setFields(fieldsOf(null, me));
    }
  }, [personId]);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!person) {
        const created = await api.post<{ id: string; username: string; initialPassword: string }>('/api/v1/admin/users', createBody(fields));
        setSecret({ username: created.username, password: created.initialPassword });
        await load(created.id);
      } else {
        const patch = patchBody(person, fields);
        if (Object.keys(patch).length) await api.patch(`/api/v1/admin/users/${person.id}`, patch);
        await load(person.id);
        setSaved(true);
      }
      onChanged();
    });
  };

  const setActive = (active: boolean) =>
    run(async () => {
      if (!person || (!active && !confirm(w('confirmDeactivate')))) return;
      await api.patch(`/api/v1/admin/users/${person.id}`, { active });
      await load(person.id);
      onChanged();
    });

  const reset = () =>
    run(async () => {
      if (!person || !confirm(w('confirmReset'))) return;
      const answer = await api.post<{ initialPassword: string }>(`/api/v1/admin/users/${person.id}/reset-password`);
      setSecret({ username: person.username, password: answer.initialPassword });
      onChanged();
    });

  const street = streets.find((s) => s.code === fields.streetCode) ?? null;
  const isChief = person?.chiefId != null;
  return (
    <div class="card person-form" data-testid="person-form">
      <div class="row">
        <h3>{person ? `${w('edit')} · ${person.username}` : w('create')}</h3>
        {person && !person.active && <span class="badge overdue">{w('inactive')}</span>}
        <button type="button" onClick={onClose} aria-label={w('close')}>
          ✕
        </button>
      </div>
      {secret && <OneTimePassword username={secret.username} password={secret.password} onClose={() => setSecret(null)} />}
      <form onSubmit={save}>
        <PersonFieldsGrid fields={fields} onChange={setFields} streets={streets} editing={!!person} isChief={isChief} />
        {isChief && (
          <p class="muted">
            {w('chiefPost')} #{person!.chiefId}. {w('chiefHint')}
          </p>
        )}
        {fields.role === 'warden' && (
          <fieldset class="cells">
            <legend>{w('cells')}</legend>
            {fields.streetCode ? (
              <CellPicker
                streetCode={fields.streetCode}
                bbox={(person && fields.streetCode === person.streetCode ? person.cellsBbox : null) ?? street?.bbox ?? null}
                cells={fields.cells}
                onChange={(cells) => setFields((f) => ({ ...f, cells }))}
              />
            ) : (
              <p class="muted">{w('streetFirst')}</p>
            )}
          </fieldset>
        )}
        <ErrorLine error={error} />
        {saved && <p class="muted" role="status">{w('saved')}</p>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy} data-testid="person-save">
            {w('save')}
          </button>
          {person && (
            <>
              <button type="button" disabled={busy} onClick={() => void reset()} data-testid="person-reset">
                {w('reset')}
              </button>
              {person.active ? (
                <button type="button" class="danger" disabled={busy || person.id === me.id} onClick={() => void setActive(false)} data-testid="person-deactivate">
                  {w('deactivate')}
                </button>
              ) : (
                <button type="button" disabled={busy} onClick={() => void setActive(true)} data-testid="person-reactivate">
                  {w('reactivate')}
                </button>
              )}
            </>
          )}
        </div>
      </form>
    </div>
  );
}
