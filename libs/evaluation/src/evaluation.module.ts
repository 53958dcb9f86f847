import { DynamicModule, Module } from '@nestjs/common';
import { CLOCK, SYSTEM_CLOCK, type Clock } from '@wangge/clock';
import { DepartmentDirectory } from '@wangge/chiefs';
import { CaseAppeals } from '@wangge/workflow';
import { AppealService } from './appeals/appeal.service';
import { EvaluationService } from './evaluation.service';
import { EvaluationFactsService } from './facts/evaluation-facts.service';
import { EvaluationTrendsService } from './trends/evaluation-trends.service';

const PROVIDERS = [EvaluationFactsService, EvaluationService, EvaluationTrendsService, AppealService];
/** The workflow's side of an appeal and the departments' leaders (DataSource only, so provided here without their modules). */
const CASE_SIDE = [CaseAppeals, DepartmentDirectory];

/**
 * The evaluation engine for any process (intake API, dispatcher bulletins). Needs the TypeORM
 * connection and APP_CONFIG of the process. `forRoot({ clock })` injects a clock (tests).
 */
@Module({ providers: [{ provide: CLOCK, useValue: SYSTEM_CLOCK }, ...CASE_SIDE, ...PROVIDERS], exports: PROVIDERS })
export class EvaluationModule {
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: EvaluationModule,
      providers: [{ provide: CLOCK, useValue: options.clock ?? SYSTEM_CLOCK }, ...CASE_SIDE, ...PROVIDERS],
      exports: PROVIDERS,
    };
  }
}
