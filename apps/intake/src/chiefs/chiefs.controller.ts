import { Body, Controller, Get, Inject, Param, ParseIntPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { ChiefRosterService } from '@wangge/chiefs';
import { ChiefQueryDto, UpdateChiefDto } from './chief.dto';

@ApiTags('road chiefs')
@ApiBearerAuth()
@Controller('api/v1/chiefs')
export class ChiefsController {
  constructor(@Inject(ChiefRosterService) private readonly roster: ChiefRosterService) {}

  @Get()
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Road chiefs with their scopes, availability and deputies (street staff: their street)' })
  list(@Query() q: ChiefQueryDto, @CurrentUser() user: AuthUser) {
    return this.roster.list({ level: q.level, available: q.available, streetCode: user.streetCode ?? q.street });
  }

  @Get(':id')
  @Roles('operator', 'leader', 'admin')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.roster.get(id);
  }

  @Patch(':id')
  @Roles('operator', 'admin')
  @ApiOperation({ summary: 'Mark a chief on leave or back, and name the deputy (operator, admin)' })
  update(@Param('id', ParseIntPipe) id: number, @Body() body: UpdateChiefDto) {
    return this.roster.update(id, body);
  }
}
