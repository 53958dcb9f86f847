import { Body, Controller, Get, Inject, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { StaffDutyService } from '@wangge/workflow';
import { DutyDto } from './duty.dto';

/** The caller's own duty: wardens get check tasks while on duty (nearest first); leaders on duty are told of missed stages. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/me/duty')
export class DutyController {
  constructor(@Inject(StaffDutyService) private readonly duty: StaffDutyService) {}

  @Get()
  @Roles('warden', 'leader')
  @ApiOperation({ summary: 'Whether I am on duty, and my last known place / 我的在岗状态' })
  async get(@CurrentUser() user: AuthUser) {
    return this.duty.of(user.id);
  }

  @Patch()
  @Roles('warden', 'leader')
  @ApiOperation({ summary: 'Go on or off duty, with where I am / 上岗、下岗' })
  async set(@Body() body: DutyDto, @CurrentUser() user: AuthUser) {
    return this.duty.set(user.id, { onDuty: body.onDuty, location: body.location ? { lng: body.location.lng, lat: body.location.lat } : undefined });
  }
}
