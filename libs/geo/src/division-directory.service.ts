import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { District, Street } from '@wangge/domain';

/** The district and its streets (街道) by code: names for views that show or count by division. */
@Injectable()
export class DivisionDirectory {
  private readonly districts: Repository<District>;
  private readonly streets: Repository<Street>;

  constructor(@InjectDataSource() db: DataSource) {
    this.districts = db.getRepository(District);
    this.streets = db.getRepository(Street);
  }

  /** A district's names; null when the database has no such district. */
  district(code: string): Promise<{ name: string; nameEn: string | null } | null> {
    return this.districts.findOne({ select: { code: true, name: true, nameEn: true }, where: { code } });
  }

  /** Every street's name by its code, in code order. */
  async streetNames(): Promise<Map<string, string>> {
    const rows = await this.streets.find({ select: { code: true, name: true }, order: { code: 'ASC' } });
    return new Map(rows.map((r) => [r.code, r.name]));
  }
}
