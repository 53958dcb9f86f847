import { Module } from '@nestjs/common';
import { ImportController } from './import.controller';

/** `POST /api/v1/admin/import`: the admin's way to load real grid cells, roads and chiefs. */
@Module({ controllers: [ImportController] })
export class ImportModule {}
