import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CatalogueService } from '@wangge/catalogue';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { CATEGORY_CODE_PATTERN } from '@wangge/domain';
import { discovery } from './discovery';
import type { Discovery, Service, ServiceDefinition } from './georeport';
import { toService, toServiceDefinition } from './georeport-mapping';
import type { GeoReportLocale } from './locale';
import { Open311Error } from './open311-error';

/** What the Open311 endpoint offers: discovery, and the active categories of the catalogue as services. */
@Injectable()
export class Open311ServicesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
  ) {}

  async discovery(endpointUrl: string): Promise<Discovery> {
    const [row]: { name: string; name_en: string | null }[] = await this.db.query(`SELECT name, name_en FROM district WHERE code = $1`, [
      this.config.districtCode,
    ]);
    const code = this.config.districtCode;
    return discovery(endpointUrl, { code, name: row?.name ?? code, nameEn: row?.name_en ?? null });
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
