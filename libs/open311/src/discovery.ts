import { GEOREPORT_CHANGESET, GEOREPORT_CONTENT_TYPES, GEOREPORT_SPECIFICATION, type Discovery } from './georeport';

/** Where this district's GeoReport v2 endpoints are: production, and a test deployment's when there is one. */
export interface EndpointUrls {
  production: string;
  test: string | null;
}

/**
 * What a client needs to find the endpoints (`GET discovery`), as the specification's example
 * lists them: the production endpoint and a test one. The URLs come from configuration
 * (PUBLIC_BASE_URL, OPEN311_TEST_URL), never from the request.
 */
export function discovery(urls: EndpointUrls, district: { code: string; name: string; nameEn: string | null }): Discovery {
  const endpoint = (url: string, type: 'production' | 'test') => ({
    specification: GEOREPORT_SPECIFICATION,
    url,
    changeset: GEOREPORT_CHANGESET,
    type,
    formats: [GEOREPORT_CONTENT_TYPES.json, GEOREPORT_CONTENT_TYPES.xml],
  });
  return {
    changeset: GEOREPORT_CHANGESET,
    contact: `${district.name}城市管理指挥中心 / ${district.nameEn ?? district.code} city management command center (district ${district.code})`,
    key_service: 'API keys are issued by the district administrator (POST /api/v1/admin/api-keys) / API 密钥由区管理员签发',
    endpoints: [endpoint(urls.production, 'production'), ...(urls.test ? [endpoint(urls.test, 'test')] : [])],
  };
}
