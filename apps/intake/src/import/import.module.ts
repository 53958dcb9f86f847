import { DynamicModule, Module } from '@nestjs/common';
import { ImportController } from './import.controller';

/**
 * `POST /api/v1/admin/import`: the admin's way to load real grid cells, roads and chiefs. Takes the
 * intake's own WorkflowModule (the open cases are located again when the layers change):
 * `imports: [workflow, ImportModule.forRoot(workflow)]`.
 */
@Module({})
export class ImportModule {
  static forRoot(workflow: DynamicModule): DynamicModule {
    return { module: ImportModule, imports: [workflow], controllers: [ImportController] };
  }
}
