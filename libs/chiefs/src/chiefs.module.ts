import { Module } from '@nestjs/common';
import { ChiefRosterService } from './chief-roster.service';
import { DepartmentDirectory } from './department-directory.service';

@Module({ providers: [ChiefRosterService, DepartmentDirectory], exports: [ChiefRosterService, DepartmentDirectory] })
export class ChiefsModule {}
