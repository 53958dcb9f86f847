import { describe, expect, it } from 'vitest';
import type { CategoryView } from '@wangge/catalogue';
import type { GeoReportDocument } from './georeport';
import { publicCaseOf } from '@wangge/auth';
import { toService, toServiceDefinition, toServiceRequest } from './georeport-mapping';
import { parseGeoReportXml, toGeoReportXml } from './georeport-xml';

const category: CategoryView = {
  code: 'C0101',
  kind: 'component',
  major: { code: '01', name: '公用设施', nameEn: 'Public facilities' },
  minor: { code: '01', name: '上水井盖', nameEn: 'Water supply manhole cover' },
  autoRegister: true,
  standard: {
    version: 1,
    effectiveFrom: '2026-01-01',
    conditions: [
      { id: 1, no: 1, condition: '上水井盖缺失', conditionEn: 'cover missing', timeLimit: { value: 2, clockType: 'urgent_hours' }, closingCondition: '', closingConditionEn: '' },
      { id: 2, no: 2, condition: '上水井盖破损', conditionEn: 'cover broken', timeLimit: { value: 8, clockType: 'work_hours' }, closingCondition: '', closingConditionEn: '' },
    ],
  },
};

/** A merged case as staff see it, internal fields and all: Open311 gets only its public view. */
const staffView = {
  id: '0b7c4c6e-8d2f-4a51-9b3e-2f1d5a6c7e80',
  code: '410104-20261129-000007',
  status: 'merged' as const,
  statusName: { zh: '已合并', en: 'Merged' },
  category: { code: 'E0102', kind: 'event' as const, name: '暴露垃圾', nameEn: 'Exposed garbage' },
  description: 'bags <of> rubbish & more',
  location: { lng: 113.68, lat: 34.74 },
  address: null,
  addressId: null,
  gridCell: { code: '410104001001001' },
  street: { code: '410104001', name: '北下街街道' },
  community: { code: '410104001001', name: '社区一' },
  road: { id: 3, name: '文治路' },
  assignee: { id: 7, name: '张三', level: 3, title: '路段长', titleEn: 'segment road chief' },
  routingReason: 'road 文治路 segment 3 at 12 m → level-3 chief 张三',
  routingReasonZh: '文治路 3 段 12 米 → 路段长 张三',
  reporter: { name: '李四', phone: '13800000000', email: 'li@example.cn' },
  deadlineAt: null,
  overdue: false,
  mergedInto: { id: '0b7c4c6e-8d2f-4a51-9b3e-2f1d5a6c7e81', code: '410104-20261129-000002', status: 'dispatched' as const },
  publicNote: null,
  media: [{ id: 'a1b2c3d4-0000-4000-8000-000000000001', url: '/api/v1/media/a1b2c3d4-0000-4000-8000-000000000001', contentType: 'image/jpeg' }],
  createdAt: '2026-11-29T05:05:00.000Z',
  updatedAt: '2026-11-29T06:00:00.000Z',
  closedAt: '2026-11-29T06:00:00.000Z',
};
const row = publicCaseOf(staffView);
const ctx = (locale: 'en' | 'both') => ({ locale, timeZone: 'Asia/Shanghai', baseUrl: 'https://x.example' });

describe('GeoReport documents', () => {
  it('a category is a service, in both languages or one', () => {
    expect(toService(category, 'both')).toMatchObject({ service_code: 'C0101', service_name: '上水井盖 / Water supply manhole cover', metadata: true, type: 'realtime', group: '公用设施 / Public facilities' });
    expect(toService(category, 'en')).toMatchObject({ service_name: 'Water supply manhole cover', group: 'Public facilities' });
    expect(toService(category, 'zh').keywords).toBe('C0101, 上水井盖, 公用设施, 部件');
    expect(toService({ ...category, standard: null }, 'both').metadata).toBe(false);
  });

  it('the registration conditions are the values of the attribute `condition`', () => {
    const def = toServiceDefinition(category, 'en');
    expect(def.attributes).toHaveLength(1);
    expect(def.attributes[0]).toMatchObject({ code: 'condition', datatype: 'singlevaluelist', required: false, order: 1, variable: true });
    expect(def.attributes[0].values).toEqual([
      { key: '1', name: 'cover missing (time limit 2 hours)' },
      { key: '2', name: 'cover broken (time limit 8 work hours)' },
    ]);
  });

  it('a merged case is closed and points at the case it joined', () => {
    const r = toServiceRequest(row, ctx('en'));
    expect(r).toMatchObject({
      service_request_id: '410104-20261129-000007',
      status: 'closed',
      status_notes: 'merged into 410104-20261129-000002',
      agency_responsible: 'segment road chief',
      requested_datetime: '2026-11-29T13:05:00+08:00',
      expected_datetime: null,
      address_id: '410104001001001',
      lat: 34.74,
      long: 113.68,
      media_url: 'https://x.example/api/v1/media/a1b2c3d4-0000-4000-8000-000000000001',
    });
  });

  it('a case a reporter reopened ("not fixed") is open again, with the reopen’s public note and its new deadline', () => {
    const reopened = publicCaseOf({
      ...staffView,
      status: 'in_progress',
      statusName: { zh: '处置中', en: 'In progress' },
      mergedInto: null,
      closedAt: null,
      deadlineAt: '2026-12-02T06:00:00.000Z',
      publicNote: '市民反馈问题未解决，已重新办理 / reopened: the reporter says it is not fixed',
    });
    expect(toServiceRequest(reopened, ctx('en'))).toMatchObject({
      status: 'open',
      status_notes: '市民反馈问题未解决，已重新办理 / reopened: the reporter says it is not fixed',
      expected_datetime: '2026-12-02T14:00:00+08:00',
    });
  });

  it('XML is built by the library (escaped) and parses back to the JSON content', () => {
    const record = toServiceRequest(row, ctx('both'));
    const doc: GeoReportDocument = { kind: 'service_requests', body: [record] };
    const xml = toGeoReportXml(doc);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?><service_requests><request><service_request_id>')).toBe(true);
    expect(xml).toContain('bags &lt;of&gt; rubbish &amp; more');
    const parsed = parseGeoReportXml(xml) as { service_requests: { request: Record<string, string>[] } };
    const back = parsed.service_requests.request[0];
    for (const [k, v] of Object.entries(record)) expect(back[k], k).toBe(v === null ? '' : String(v));
  });

  it('empty lists, errors and nested lists', () => {
    expect(parseGeoReportXml(toGeoReportXml({ kind: 'services', body: [] }))).toEqual({ services: '' });
    const errors = parseGeoReportXml(toGeoReportXml({ kind: 'errors', body: [{ code: 404, description: 'no' }] }));
    expect(errors).toEqual({ errors: { error: [{ code: '404', description: 'no' }] } });
    const def = parseGeoReportXml(toGeoReportXml({ kind: 'service_definition', body: toServiceDefinition(category, 'zh') })) as {
      service_definition: { attributes: { attribute: { values: { value: { key: string }[] } }[] } };
    };
    expect(def.service_definition.attributes.attribute[0].values.value.map((v) => v.key)).toEqual(['1', '2']);
  });

  it('a request is built from the public view only: what it leaves out (staff names, routing, the reporter) never reaches Open311', () => {
    const json = JSON.stringify(toServiceRequest(row, ctx('both')));
    for (const secret of ['张三', 'routing', '12 m', '李四', '13800000000', 'li@example.cn', '文治路']) expect(json).not.toContain(secret);
    // The public view decides: a field it drops is gone from Open311 too, whatever the staff view holds.
    const withoutPhotos = toServiceRequest(publicCaseOf({ ...staffView, media: [] }), ctx('en'));
    expect(withoutPhotos.media_url).toBeNull();
    const noResponsible = toServiceRequest(publicCaseOf({ ...staffView, assignee: null }), ctx('en'));
    expect(noResponsible.agency_responsible).toBeNull();
  });

  it('a request located by its address only has no lat/long (JSON or XML) and keeps the address and address_id given', () => {
    const unplaced = publicCaseOf({
      ...staffView,
      status: 'reported',
      statusName: { zh: '已上报', en: 'Reported' },
      mergedInto: null,
      location: null,
      gridCell: null,
      street: null,
      community: null,
      road: null,
      assignee: null,
      address: '金水路 12 号',
      addressId: 'ADDR-77',
    });
    const r = toServiceRequest(unplaced, ctx('en'));
    expect(r).toMatchObject({ status: 'open', address: '金水路 12 号', address_id: 'ADDR-77' });
    expect('lat' in r || 'long' in r).toBe(false);
    const xml = toGeoReportXml({ kind: 'service_requests', body: [r] });
    expect(xml).not.toMatch(/<lat>|<long>/);
    expect(xml).toContain('<address_id>ADDR-77</address_id>');
  });
});
