import { DynamicModule, Module } from '@nestjs/common';
import { CatalogueModule } from '@wangge/catalogue';
import { GeoModule } from '@wangge/geo';
import { ChecklistService } from './checklist.service';
import { InspectionService } from './inspection.service';
import { PlaceService } from './place.service';
import { PlaceImportService } from './place-import.service';
import { DutyClockService } from './duty/duty-clock.service';
import { DutyService } from './duty/duty.service';
import { InspectionClockService } from './plans/inspection-clock.service';
import { InspectionEvaluationService } from './plans/inspection-evaluation.service';
import { FieldFormulaService } from './plans/field-formula.service';
import { InspectionPlanService } from './plans/inspection-plan.service';
import { PlanPlacesService } from './plans/plan-places.service';

/**
 * Places, checklists and inspections. Takes the process's own WorkflowModule and ReportsModule
 * (failed items are reported through the process's report intake): `PlacesModule.forRoot(workflow, reports)`.
 */
@Module({})
export class PlacesModule {
  static forRoot(workflow: DynamicModule, reports: DynamicModule): DynamicModule {
    return {
      module: PlacesModule,
      imports: [workflow, reports, GeoModule, CatalogueModule],
      providers: [PlaceService, PlaceImportService, ChecklistService, InspectionService, InspectionClockService, PlanPlacesService, InspectionPlanService, InspectionEvaluationService, FieldFormulaService, DutyService, DutyClockService],
      exports: [PlaceService, PlaceImportService, ChecklistService, InspectionService, InspectionClockService, PlanPlacesService, InspectionPlanService, InspectionEvaluationService, FieldFormulaService, DutyService, DutyClockService],
    };
  }
}
