import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { Street } from '@wangge/domain';

/** The district's streets (街道) by code: names for views that count by street. */
@Injectable()
export class StreetDirectory {
  private readonly streets: Repository<Street>;

  constructor(@InjectDataSource() db: DataSource) {
    this.streets = db.getRepository(Street);
  }

  /** Every street's name by its code, in code order. */
  async names(): Promise<Map<string, string>> {
    const rows = await this.streets.find({ select: { code: true, name: true }, order: { code: 'ASC' } });
    return new Map(rows.map((r) => [r.code, r.name]));
  }
}
