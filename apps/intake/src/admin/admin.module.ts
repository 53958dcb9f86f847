import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@wangge/audit';
import { AuthModule } from '@wangge/auth';
import { CatalogueModule } from '@wangge/catalogue';
import { EvaluationModule } from '@wangge/evaluation';
import { HolidayCalendarModule, StageLimitModule } from '@wangge/workflow';
import { PeopleAdminModule } from '@wangge/people';
import { AuditController } from './audit.controller';
import { CalendarAdminController } from './calendar-admin.controller';
import { CatalogueAdminController } from './catalogue-admin.controller';
import { DepartmentsController } from './departments.controller';
import { FormulasAdminController } from './formulas-admin.controller';
import { StageLimitsAdminController } from './stage-limits-admin.controller';
import { UsersController } from './users.controller';

/**
 * The admin API (`/api/v1/admin/*`, domain.md section 7): people, reference data and the audit trail
 * every admin change writes to. One controller per line: add yours. (API keys and jobs are declared
 * in IntakeModule, beside the Open311 and workflow modules whose services they use.)
 */
@Module({
  imports: [AuthModule, AuditModule, CatalogueModule, HolidayCalendarModule, EvaluationModule],
  controllers: [
    AuditController,
    UsersController,
    CatalogueAdminController,
    CalendarAdminController,
    FormulasAdminController,
    StageLimitsAdminController,
    DepartmentsController,
  ],
})
export class AdminModule {
  /** With the intake's own WorkflowModule, whose outbox carries the people's feed notices (these imports add to the ones above). */
  static forRoot(workflow: DynamicModule): DynamicModule {
    return { module: AdminModule, imports: [PeopleAdminModule.forRoot(workflow), StageLimitModule.forRoot(workflow)] };
  }
}
