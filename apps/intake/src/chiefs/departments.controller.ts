import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Roles } from '@wangge/auth';
import { DepartmentDirectory, type CaseDepartment } from '@wangge/chiefs';

export class DepartmentQueryDto {
  @ApiPropertyOptional({ example: 'E0403', description: 'only the departments that handle this category / 处置该类别的部门' })
  @IsOptional()
  @Matches(/^[CE]\d{4}$/, { message: 'category must be a category code, e.g. E0403' })
  category?: string;
}

/** The departments a case can be dispatched to by hand (domain.md 9), for the command center's staff. */
@ApiTags('road chiefs')
@ApiBearerAuth()
@Controller('api/v1/departments')
export class DepartmentsReadController {
  constructor(@Inject(DepartmentDirectory) private readonly departments: DepartmentDirectory) {}

  @Get()
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Active departments (code, name), optionally those handling a category: the targets of a dispatch by hand / 可派遣的部门' })
  list(@Query() q: DepartmentQueryDto): Promise<CaseDepartment[]> {
    return this.departments.handlersOf(q.category);
  }
}
