import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { ApiKeyService, type ApiKeyView, type CreatedApiKey } from '@wangge/open311';
import { ApiError } from '@wangge/operations';
import { NoHtml } from '../cases/no-html.validator';
import { DistrictAdminGuard } from './district-admin.guard';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'wechat-miniprogram', maxLength: 100, description: 'who the key is for; becomes the channel of their reports' })
  @IsString()
  @Length(1, 100)
  @NoHtml()
  name: string;
}

const keyId = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => ApiError.badInput([{ field: 'id', problem: 'id must be an API key id (UUID)' }]),
});

/** Open311 API keys (domain.md 4.3): the key is shown once, at creation; lists show its prefix. District admins only; issuing and revoking are audited. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@UseGuards(DistrictAdminGuard)
@Controller('api/v1/admin/api-keys')
export class ApiKeysController {
  constructor(@Inject(ApiKeyService) private readonly keys: ApiKeyService) {}

  @Post()
  @ApiOperation({ summary: 'Issue an Open311 API key (the key is in this answer only) / 签发 API 密钥' })
  @ApiCreatedResponse({ description: '{id, name, key, prefix, createdAt}' })
  create(@Body() body: CreateApiKeyDto, @CurrentUser() user: AuthUser): Promise<CreatedApiKey> {
    return this.keys.create(body.name, user);
  }

  @Get()
  @ApiOperation({ summary: 'API keys, newest first, without the keys / 密钥列表' })
  list(): Promise<ApiKeyView[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'revoked (again: nothing changes)' })
  @ApiOperation({ summary: 'Revoke an API key / 吊销密钥' })
  async revoke(@Param('id', keyId) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    if (!(await this.keys.revoke(id, user))) throw ApiError.notFound(`API key ${id}`);
  }
}
