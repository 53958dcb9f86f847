import type { CaseFilter } from '../../cases';
import type { FeedStats } from '../../contract';
import { t, useLang } from '../../i18n';

/** The feed's counts by street. */
export type Streets = FeedStats['byStreet'];

/** The feed's counters (open, overdue, closed today, 挂账 apart) and the same by street; a street's row filters by it. */
export function StatsPanel({ stats, filter, onFilter }: { stats: FeedStats | null; filter: CaseFilter; onFilter(f: CaseFilter): void }) {
  useLang();
  const streets: Streets = stats?.byStreet ?? [];
  return (
    <>
      <div class="counters" data-testid="counters">
        <div>
          <b data-testid="count-open">{stats?.open ?? '—'}</b>
          {t('open')}
        </div>
        <div class="overdue">
          <b data-testid="count-overdue">{stats?.overdue ?? '—'}</b>
          {t('overdue')}
        </div>
        <div>
          <b data-testid="count-closed">{stats?.closedToday ?? '—'}</b>
          {t('closedToday')}
        </div>
        <div class="suspended">
          <b data-testid="count-suspended">{stats?.suspended ?? '—'}</b>
          {t('suspendedCount')}
        </div>
      </div>
      <table class="streets">
        <thead>
          <tr>
            <th>{t('street')}</th>
            <th>{t('open')}</th>
            <th>{t('overdue')}</th>
            <th>{t('closedToday')}</th>
            <th>{t('suspendedCount')}</th>
          </tr>
        </thead>
        <tbody>
          {streets.map((s) => (
            <tr key={s.streetCode} class={filter.street === s.streetCode ? 'active' : ''} onClick={() => onFilter({ ...filter, street: filter.street === s.streetCode ? '' : s.streetCode })}>
              <td>{s.streetName}</td>
              <td>{s.open}</td>
              <td class={s.overdue ? 'overdue' : ''}>{s.overdue}</td>
              <td>{s.closedToday}</td>
              <td>{s.suspended}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
