import { Body, Controller, Get, HttpStatus, Inject, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, staffJurisdiction, type AuthUser } from '@wangge/auth';
import { ChiefRosterService } from '@wangge/chiefs';
import { ApiError, IdParamPipe } from '@wangge/operations';
import { ChiefQueryDto, UpdateChiefDto } from './chief.dto';

/**
 * Typed `unknown` on purpose: a `number` type would let the global pipe coerce "0x10" to 16 before
 * IdParamPipe sees the raw text. IdParamPipe returns the checked number.
 */
type ChiefId = unknown;

@ApiTags('road chiefs')
@ApiBearerAuth()
@Controller('api/v1/chiefs')
export class ChiefsController {
  constructor(@Inject(ChiefRosterService) private readonly roster: ChiefRosterService) {}

  @Get()
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Road chiefs with their scopes, availability and deputies (street staff: their street)' })
  list(@Query() q: ChiefQueryDto, @CurrentUser() user: AuthUser) {
    return this.roster.list({ level: q.level, available: q.available, streetCode: jurisdictionOf(user).streetCode ?? q.street });
  }

  @Get(':id')
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'One road chief (street staff: a chief of their street, else 404)' })
  get(@Param('id', new IdParamPipe()) id: ChiefId, @CurrentUser() user: AuthUser) {
    return this.roster.get(id as number, jurisdictionOf(user));
  }

  @Patch(':id')
  @Roles('operator', 'admin')
  @ApiOperation({ summary: 'Mark a chief on leave or back, and name the deputy (operator, admin; street staff: chiefs of their street); audited' })
  update(@Param('id', new IdParamPipe()) id: ChiefId, @Body() body: UpdateChiefDto, @CurrentUser() user: AuthUser) {
    return this.roster.update(id as number, body, { id: user.id, username: user.username, streetCode: jurisdictionOf(user).streetCode });
  }
}

/** The caller's jurisdiction in the access model (the roles above all hold one). */
function jurisdictionOf(user: AuthUser) {
  const jurisdiction = staffJurisdiction(user);
  if (!jurisdiction) throw new ApiError(HttpStatus.FORBIDDEN, 'forbidden', 'the road chiefs are for district and street staff / 仅区、街道人员可查看路长');
  return jurisdiction;
}
