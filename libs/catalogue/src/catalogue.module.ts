import { Module } from '@nestjs/common';
import { AuditModule } from '@wangge/audit';
import { CatalogueEditor } from './catalogue-editor.service';
import { CatalogueService } from './catalogue.service';

@Module({ imports: [AuditModule], providers: [CatalogueService, CatalogueEditor], exports: [CatalogueService, CatalogueEditor] })
export class CatalogueModule {}
