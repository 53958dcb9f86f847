import type { Category } from '../../api';
import { ALL_STATUSES, type CaseFilter } from '../../cases';
import { statusName, t, useLang } from '../../i18n';
import { LIGHT_COLOURS, lightTitle, type TrafficLight } from '../../lights';
import { STATUS_COLOURS } from '../../map';
import type { Streets } from './stats-panel';

/** The filters of the map and the case list (status, category, street, overdue only), and the colours' legend (markers of timed cases take their traffic light). */
export function CaseFilters(props: { filter: CaseFilter; onFilter(f: CaseFilter): void; categories: readonly Category[]; streets: Streets }) {
  const { filter, onFilter: setFilter, categories, streets } = props;
  const lang = useLang();
  return (
    <>
      <div class="filters">
        <label>
          {t('status')}
          <select data-testid="filter-status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.currentTarget.value })}>
            <option value="">{t('open')}</option>
            <option value="all">{t('all')}</option>
            {ALL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusName(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('category')}
          <select value={filter.category} onChange={(e) => setFilter({ ...filter, category: e.currentTarget.value })}>
            <option value="">{t('all')}</option>
            {categories.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} {lang === 'zh' ? c.minor.name : c.minor.nameEn}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('street')}
          <select value={filter.street} onChange={(e) => setFilter({ ...filter, street: e.currentTarget.value })}>
            <option value="">{t('all')}</option>
            {streets.map((s) => (
              <option key={s.streetCode} value={s.streetCode}>
                {s.streetName}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={filter.overdueOnly} onChange={(e) => setFilter({ ...filter, overdueOnly: e.currentTarget.checked })} />
          {t('onlyOverdue')}
        </label>
        <label class="check">
          <input type="checkbox" data-testid="filter-suspended" checked={!!filter.suspendedOnly} onChange={(e) => setFilter({ ...filter, suspendedOnly: e.currentTarget.checked })} />
          {t('onlySuspended')}
        </label>
      </div>
      <ul class="legend">
        {Object.entries(STATUS_COLOURS)
          .filter(([s]) => s !== 'merged' && s !== 'cancelled')
          .map(([s, c]) => (
            <li key={s}>
              <span class="swatch" style={{ background: c }} />
              {statusName(s)}
            </li>
          ))}
      </ul>
      <ul class="legend" data-testid="light-legend">
        {(Object.entries(LIGHT_COLOURS) as [TrafficLight, string][]).map(([light, c]) => (
          <li key={light}>
            <span class="light-dot" style={{ background: c }} />
            {lightTitle(light, null)}
          </li>
        ))}
      </ul>
    </>
  );
}
