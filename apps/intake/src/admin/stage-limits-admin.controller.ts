import { Body, Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsInt, Max, Min } from 'class-validator';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { StageLimitService, type StageLimitsView } from '@wangge/workflow';
import { DistrictAdminGuard } from './district-admin.guard';

/** A week: no step of the command centre waits longer. */
const MAX_MINUTES = 7 * 24 * 60;

function Minutes(): PropertyDecorator {
  return (target, key) => {
    IsDefined({ message: `${String(key)} is required` })(target, key);
    IsInt({ message: `${String(key)} must be a whole number of minutes` })(target, key);
    Min(1, { message: `${String(key)} must be at least 1 minute` })(target, key);
    Max(MAX_MINUTES, { message: `${String(key)} must be at most ${MAX_MINUTES} minutes (a week)` })(target, key);
  };
}

export class StageLimitsDto {
  @ApiProperty({ example: 10, description: '受理立案 (register) limit, minutes' })
  @Minutes()
  register: number;

  @ApiProperty({ example: 15, description: '派遣 (dispatch) limit, minutes' })
  @Minutes()
  dispatch: number;

  @ApiProperty({ example: 30, description: '核查 (check) limit, minutes' })
  @Minutes()
  check: number;
}

/** The command centre's stage limits (issue 22 item 2), set per district; the environment's values are the defaults. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@UseGuards(DistrictAdminGuard)
@Controller('api/v1/admin/stage-limits')
export class StageLimitsAdminController {
  constructor(@Inject(StageLimitService) private readonly limits: StageLimitService) {}

  @Get()
  @ApiOperation({ summary: "The stage limits in force (the district's or the default) and every value set / 环节时限" })
  view(): Promise<StageLimitsView> {
    return this.limits.view();
  }

  @Put()
  @ApiOperation({ summary: 'Set the three limits from now on; open stages keep theirs / 设置环节时限' })
  set(@Body() body: StageLimitsDto, @CurrentUser() user: AuthUser): Promise<StageLimitsView> {
    return this.limits.set({ register: body.register, dispatch: body.dispatch, check: body.check }, user);
  }
}
