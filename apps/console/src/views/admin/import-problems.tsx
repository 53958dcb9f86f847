import { useState } from 'preact/hooks';
import { download, errorText } from '../../api';
import { ErrorLine } from '../../components/common';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { moreThanShown, type ProblemGroup } from './import-report';

const w = words({
  problem: ['问题', 'Problem'],
  count: ['条数', 'Records'],
  examples: ['示例', 'Examples'],
  download: ['下载完整列表（CSV）', 'Download the full list (CSV)'],
});

/**
 * An import's problems grouped by kind: the problem, how many records have it, the first few of them,
 * and the full list as CSV (the same request checked again, `?format=csv`, nothing written).
 */
export function ProblemGroups({ groups, request }: { groups: readonly ProblemGroup[]; request: Record<string, unknown> }) {
  const lang = useLang();
  const [error, setError] = useState<string | null>(null);
  const total = groups.reduce((n, g) => n + g.count, 0);
  const zh = lang === 'zh';
  return (
    <div data-testid="import-problems">
      <p class="muted" data-testid="import-problems-summary">
        {zh ? `${groups.length} 类问题，共 ${total} 条记录` : `${groups.length} kind${groups.length === 1 ? '' : 's'} of problem, ${total} record${total === 1 ? '' : 's'}`}
      </p>
      <table class="admin-table" data-testid="import-groups">
        <thead>
          <tr>
            <th>{w('problem')}</th>
            <th class="nowrap">{w('count')}</th>
            <th>{w('examples')}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.problem} data-testid="import-group">
              <td>{g.problem}</td>
              <td data-testid="import-group-count">{g.count}</td>
              <td>
                <ul class="import-examples">
                  {g.examples.map((e, i) => (
                    <li key={i}>
                      {`${e.file} · ${e.feature}`}
                      {/* The record's own words only where they say more than the group's (a code, a name). */}
                      {e.problem !== g.problem && <span class="muted">{` ${e.problem}`}</span>}
                    </li>
                  ))}
                  {moreThanShown(g) > 0 && <li class="muted">{zh ? `另有 ${moreThanShown(g)} 条` : `… and ${moreThanShown(g)} more`}</li>}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button
          type="button"
          data-testid="import-download"
          onClick={() => {
            setError(null);
            download('/api/v1/admin/import?format=csv', 'import-problems.csv', { ...request, dryRun: true }).catch((e: unknown) => setError(errorText(e)));
          }}
        >
          {w('download')}
        </button>
      </p>
      <ErrorLine error={error} />
    </div>
  );
}
