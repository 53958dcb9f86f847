import { Module, type DynamicModule } from '@nestjs/common';
import { PeopleModule } from '@wangge/auth';
import { CatalogueModule } from '@wangge/catalogue';
import { ChiefsModule } from '@wangge/chiefs';
import { GeoModule } from '@wangge/geo';
import { DepartmentAdminService } from './department-admin.service';
import { PeopleAdminService } from './people-admin.service';
import { PeopleImportService } from './people-import.service';

/**
 * People's administration. Takes the process's own WorkflowModule (its outbox relay sends the
 * notices that close a deactivated user's feed connections): `PeopleAdminModule.forRoot(workflow)`.
 */
@Module({})
export class PeopleAdminModule {
  static forRoot(workflow: DynamicModule): DynamicModule {
    return {
      module: PeopleAdminModule,
      imports: [workflow, PeopleModule, GeoModule, CatalogueModule, ChiefsModule],
      providers: [PeopleAdminService, PeopleImportService, DepartmentAdminService],
      exports: [PeopleAdminService, PeopleImportService, DepartmentAdminService],
    };
  }
}
