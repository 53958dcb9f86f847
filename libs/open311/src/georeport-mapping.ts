import type { PublicCase } from '@wangge/auth';
import type { CategoryView } from '@wangge/catalogue';
import { open311Status, type ClockType } from '@wangge/domain';
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

export interface RequestContext {
  locale: GeoReportLocale;
  timeZone: string;
  /** Scheme and host the client called, e.g. `https://wangge.example.cn`, for absolute media URLs. */
  baseUrl: string;
}

/**
 * A case as a GeoReport service request, from its public view (@wangge/auth `publicCaseOf`, the one
 * allow-list of what the public sees): nothing that view leaves out can reach Open311. `status` is
 * the one open/closed mapping of `open311Status`; a merged case is `closed` and its notes name the
 * case it was merged into; `address_id` is the one the client gave, else the grid cell (万米单元网格)
 * code, the district's own addressing of places; `lat`/`long` are left out while a case reported
 * by address only waits for an operator to place it.
 */
export function toServiceRequest(c: PublicCase, ctx: RequestContext): ServiceRequest {
  const { locale, timeZone } = ctx;
  const overdue = c.overdue && open311Status(c.status) === 'open';
  const photo = c.media[0];
  return {
    service_request_id: c.code,
    status: open311Status(c.status),
    status_notes:
      c.status === 'merged' && c.mergedInto ? bilingual(`已合并至 ${c.mergedInto.code}`, `merged into ${c.mergedInto.code}`, locale) : c.publicNote,
    service_name: bilingual(c.category.name, c.category.nameEn, locale),
    service_code: c.category.code,
    description: c.description,
    agency_responsible: c.responsible ? bilingual(c.responsible.title, c.responsible.titleEn, locale) : null,
    service_notice: bilingual(`${c.statusName.zh}${overdue ? '（已超期）' : ''}`, `${c.statusName.en}${overdue ? ' (overdue)' : ''}`, locale),
    requested_datetime: formatLocalDateTime(new Date(c.createdAt), timeZone),
    updated_datetime: formatLocalDateTime(new Date(c.updatedAt), timeZone),
    expected_datetime: c.deadlineAt ? formatLocalDateTime(new Date(c.deadlineAt), timeZone) : null,
    address: c.address,
    address_id: c.addressId ?? c.gridCell?.code ?? null,
    zipcode: null,
    ...(c.location ? { lat: c.location.lat, long: c.location.lng } : {}),
    media_url: photo ? `${ctx.baseUrl}${photo.url}` : null,
  };
}
