import { describe, expect, it } from 'vitest';
import type { CategoryView } from '@wangge/catalogue';
import type { GeoReportDocument } from './georeport';
import { toService, toServiceDefinition, toServiceRequest, type PublicCaseRow } from './georeport-mapping';
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

const row: PublicCaseRow = {
  id: '0b7c4c6e-8d2f-4a51-9b3e-2f1d5a6c7e80',
  code: '410104-20261129-000007',
  status: 'merged',
  category_code: 'E0102',
  category_name: '暴露垃圾',
  category_name_en: 'Exposed garbage',
  description: 'bags <of> rubbish & more',
  address: null,
  grid_cell_code: '410104001001001',
  lng: 113.68,
  lat: 34.74,
  assignee_level: 3,
  deadline_at: null,
  overdue: false,
  public_note: null,
  merged_into_code: '410104-20261129-000002',
  media_id: 'a1b2c3d4-0000-4000-8000-000000000001',
  created_at: new Date('2026-11-29T05:05:00Z'),
  updated_at: new Date('2026-11-29T06:00:00Z'),
};

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
    const r = toServiceRequest(row, { locale: 'en', timeZone: 'Asia/Shanghai', baseUrl: 'https://x.example' });
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

  it('XML is built by the library (escaped) and parses back to the JSON content', () => {
    const record = toServiceRequest(row, { locale: 'both', timeZone: 'Asia/Shanghai', baseUrl: 'https://x.example' });
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
});
