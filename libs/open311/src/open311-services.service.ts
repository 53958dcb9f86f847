import { Inject, Injectable } from '@nestjs/common';
import { CatalogueService } from '@wangge/catalogue';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { CATEGORY_CODE_PATTERN } from '@wangge/domain';
import { DivisionDirectory } from '@wangge/geo';
import { discovery } from './discovery';
import type { Discovery, Service, ServiceDefinition } from './georeport';
import { toService, toServiceDefinition } from './georeport-mapping';
import type { GeoReportLocale } from './locale';
import { Open311Error } from './open311-error';

/** What the Open311 endpoint offers: discovery, and the active categories of the catalogue as services. */
@Injectable()
export class Open311ServicesService {
  constructor(
    @Inject(DivisionDirectory) private readonly divisions: DivisionDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
  ) {}

  /** Discovery, with the endpoint at `path` under PUBLIC_BASE_URL and the test deployment's (OPEN311_TEST_URL). */
  async discovery(path: string): Promise<Discovery> {
    const code = this.config.districtCode;
    const district = await this.divisions.district(code);
    const urls = { production: `${this.config.publicBaseUrl}/${path}`, test: this.config.open311TestUrl };
    return discovery(urls, { code, name: district?.name ?? code, nameEn: district?.nameEn ?? null });
  }

  async list(locale: GeoReportLocale): Promise<Service[]> {
    return (await this.catalogue.list()).map((c) => toService(c, locale));
  }

  /** The service definition of one active category; 404 otherwise. */
  async definition(serviceCode: string, locale: GeoReportLocale): Promise<ServiceDefinition> {
    const category = CATEGORY_CODE_PATTERN.test(serviceCode) ? (await this.catalogue.list()).find((c) => c.code === serviceCode) : undefined;
    if (!category) throw Open311Error.notFound(`no service ${serviceCode}: see services.json / 无此服务类别`);
    return toServiceDefinition(category, locale);
  }
}
