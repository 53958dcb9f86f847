import { GEOREPORT_CHANGESET, GEOREPORT_CONTENT_TYPES, GEOREPORT_SPECIFICATION, type Discovery } from './georeport';

/** What a client needs to find this endpoint (`GET discovery`), for the district and the address it was called at. */
export function discovery(endpointUrl: string, district: { code: string; name: string; nameEn: string | null }): Discovery {
  return {
    changeset: GEOREPORT_CHANGESET,
    contact: `${district.name}城市管理指挥中心 / ${district.nameEn ?? district.code} city management command center (district ${district.code})`,
    key_service: 'API keys are issued by the district administrator (POST /api/v1/admin/api-keys) / API 密钥由区管理员签发',
    endpoints: [
      {
        specification: GEOREPORT_SPECIFICATION,
        url: endpointUrl,
        changeset: GEOREPORT_CHANGESET,
        type: 'production',
        formats: [GEOREPORT_CONTENT_TYPES.json.split(';')[0], GEOREPORT_CONTENT_TYPES.xml.split(';')[0]],
      },
    ],
  };
}
