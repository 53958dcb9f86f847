import { useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { ErrorLine } from '../../components/common';

const w = words({
  title: ['批量导入', 'Import from CSV'],
  hint: [
    '列：username,name,phone,role,street,cells[,department]（网格用分号或空格分隔；department 为部门人员所属部门编码）。有任何一行有误则整个文件不导入，并列出每行的问题。',
    'Columns: username,name,phone,role,street,cells[,department] (cells separated by ; or spaces; department: a department member’s department code). Any bad row refuses the whole file, each row’s problems listed.',
  ],
  file: ['选择文件', 'Choose a file'],
  refused: ['文件未导入：', 'The file was not imported:'],
  created: ['已导入，以下一次性密码仅显示这一次：', 'Imported; these one-time passwords are shown this once:'],
});

interface Imported {
  username: string;
  name: string;
  initialPassword: string;
}

/** Upload a people CSV: all rows or none; the one-time passwords of the new accounts, once. */
export function PeopleImport({ onImported }: { onImported(): void }) {
  useLang();
  const [problems, setProblems] = useState<{ field: string; problem: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Imported[] | null>(null);

  async function upload(file: File) {
    setProblems(null);
    setError(null);
    setCreated(null);
    try {
      const answer = await api.post<{ created: Imported[] }>('/api/v1/admin/users/import', { content: await file.text() });
      setCreated(answer.created);
      onImported();
    } catch (e) {
      if (e instanceof ApiError && e.details.length) setProblems(e.details);
      else setError(errorText(e));
    }
  }

  return (
    <details class="card" data-testid="people-import">
      <summary>{w('title')}</summary>
      <p class="muted">{w('hint')}</p>
      <label>
        {w('file')}{' '}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0];
            if (f) void upload(f);
          }}
        />
      </label>
      <ErrorLine error={error} />
      {problems && (
        <div class="error" role="alert">
          {w('refused')}
          <ul>
            {problems.map((p) => (
              <li key={p.field + p.problem}>
                {p.field}: {p.problem}
              </li>
            ))}
          </ul>
        </div>
      )}
      {created && (
        <div class="card notice">
          {w('created')}
          <ul>
            {created.map((c) => (
              <li key={c.username}>
                {c.username} ({c.name}): <code>{c.initialPassword}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
