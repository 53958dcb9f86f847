import type { PublicCaseRow } from '@wangge/workflow';
import type { CategoryView } from '@wangge/catalogue';
import { CASE_STATUS_NAMES, CHIEF_TITLES, isChiefLevel, open311Status, type ClockType } from '@wangge/domain';
import type { Service, ServiceDefinition, ServiceRequest } from './georeport';
import { bilingual, type GeoReportLocale } from './locale';
import { formatLocalDateTime } from '@wangge/clock';

/** The one service attribute: which registration condition (立案条件) the report meets. */
export const CONDITION_ATTRIBUTE = 'condition';

const KIND_NAMES = {
  component: { zh: '部件', en: 'Component' },
  event: { zh: '事件', en: 'Event' },
} as const;

const CLOCK_NAMES: Record<ClockType, { zh: string; en: string }> = {
  urgent_hours: { zh: '小时', en: 'hours' },
  work_hours: { zh: '工作小时', en: 'work hours' },
  work_days: { zh: '工作日', en: 'work days' },
  natural_days: { zh: '自然日', en: 'calendar days' },
};

/** A category (部件/事件 小类) as an Open311 service; `service_code` is the category code. */
export function toService(category: CategoryView, locale: GeoReportLocale): Service {
  const kind = KIND_NAMES[category.kind];
  const { major, minor } = category;
  const keywords = locale === 'both'
    ? [category.code, minor.name, minor.nameEn, major.name, major.nameEn, kind.zh, kind.en]
    : [category.code, ...(locale === 'zh' ? [minor.name, major.name, kind.zh] : [minor.nameEn, major.nameEn, kind.en])];
  return {
    service_code: category.code,
    service_name: bilingual(minor.name, minor.nameEn, locale),
    description: bilingual(`${kind.zh}：${major.name} › ${minor.name}`, `${kind.en}: ${major.nameEn} › ${minor.nameEn}`, locale),
    metadata: (category.standard?.conditions.length ?? 0) > 0,
    type: 'realtime',
    keywords: keywords.join(', '),
    group: bilingual(major.name, major.nameEn, locale),
  };
}

/** The service definition: one optional single-value list, the registration conditions of the standard in force. */
export function toServiceDefinition(category: CategoryView, locale: GeoReportLocale): ServiceDefinition {
  const conditions = category.standard?.conditions ?? [];
  if (conditions.length === 0) return { service_code: category.code, attributes: [] };
  return {
    service_code: category.code,
    attributes: [
      {
        variable: true,
        code: CONDITION_ATTRIBUTE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: bilingual(
          `立案条件编号（第 ${category.standard!.version} 版标准），默认 1`,
          `number of the registration condition (standard version ${category.standard!.version}); default 1`,
          locale,
        ),
        order: 1,
        description: bilingual('符合哪一项立案条件？', 'Which registration condition does the problem meet?', locale),
        values: conditions.map((c) => {
          const clock = CLOCK_NAMES[c.timeLimit.clockType];
          return {
            key: String(c.no),
            name: bilingual(
              `${c.condition}（处置时限 ${c.timeLimit.value} ${clock.zh}）`,
              `${c.conditionEn} (time limit ${c.timeLimit.value} ${clock.en})`,
              locale,
            ),
          };
        }),
      },
    ],
  };
}

/** A case as the public may read it: no reporter, no routing internals. */
/** A case as the public may read it: the workflow's `PublicCaseQuery` reads it. */
export type { PublicCaseRow };

export interface RequestContext {
  locale: GeoReportLocale;
  timeZone: string;
  /** Scheme and host the client called, e.g. `https://wangge.example.cn`, for absolute media URLs. */
  baseUrl: string;
}

/**
 * A case as a GeoReport service request. `status` is the one open/closed mapping of
 * `open311Status`; a merged case is `closed` and its notes name the case it was merged into;
 * `address_id` is the grid cell (万米单元网格) code, the district's own addressing of places.
 */
export function toServiceRequest(row: PublicCaseRow, ctx: RequestContext): ServiceRequest {
  const { locale, timeZone } = ctx;
  const level = row.assignee_level;
  const statusName = CASE_STATUS_NAMES[row.status];
  const overdue = row.overdue && open311Status(row.status) === 'open';
  return {
    service_request_id: row.code,
    status: open311Status(row.status),
    status_notes:
      row.status === 'merged' && row.merged_into_code
        ? bilingual(`已合并至 ${row.merged_into_code}`, `merged into ${row.merged_into_code}`, locale)
        : row.public_note,
    service_name: bilingual(row.category_name, row.category_name_en, locale),
    service_code: row.category_code,
    description: row.description,
    agency_responsible: isChiefLevel(level) ? bilingual(CHIEF_TITLES[level].zh, CHIEF_TITLES[level].en, locale) : null,
    service_notice: bilingual(`${statusName.zh}${overdue ? '（已超期）' : ''}`, `${statusName.en}${overdue ? ' (overdue)' : ''}`, locale),
    requested_datetime: formatLocalDateTime(new Date(row.created_at), timeZone),
    updated_datetime: formatLocalDateTime(new Date(row.updated_at), timeZone),
    expected_datetime: row.deadline_at ? formatLocalDateTime(new Date(row.deadline_at), timeZone) : null,
    address: row.address,
    address_id: row.grid_cell_code,
    zipcode: null,
    lat: Number(row.lat),
    long: Number(row.lng),
    media_url: row.media_id ? `${ctx.baseUrl}/api/v1/media/${row.media_id}` : null,
  };
}
