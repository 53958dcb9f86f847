import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { NotificationChannelService, NotificationDeliveryService, type ChannelView, type DeliveryView } from '@wangge/notifications';
import { ApiError } from '@wangge/operations';
import { DistrictAdminGuard } from '../admin/district-admin.guard';
import { CreateChannelDto, DeliveryQueryDto, UpdateChannelDto } from './notifications.dto';

const channelId = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => ApiError.badInput([{ field: 'id', problem: 'id must be a notification channel id (UUID)' }]),
});

const deliveryId = (id: string): string => {
  if (!/^[0-9]{1,18}$/.test(id)) throw ApiError.badInput([{ field: 'id', problem: 'id must be a delivery id (a number)' }]);
  return id;
};

/** Notification channels (domain.md 9): district admins; changes audited, secrets never shown. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@UseGuards(DistrictAdminGuard)
@Controller('api/v1/admin/notification-channels')
export class NotificationChannelsController {
  constructor(@Inject(NotificationChannelService) private readonly channels: NotificationChannelService) {}

  @Post()
  @ApiOperation({ summary: 'Add a channel (webhook, WeCom, DingTalk, email) / 新增通知渠道' })
  create(@Body() body: CreateChannelDto, @CurrentUser() user: AuthUser): Promise<ChannelView> {
    return this.channels.create(body, user);
  }

  @Get()
  @ApiOperation({ summary: 'Channels, without secrets / 通知渠道列表' })
  list(): Promise<ChannelView[]> {
    return this.channels.list();
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a channel / 修改通知渠道' })
  update(@Param('id', channelId) id: string, @Body() body: UpdateChannelDto, @CurrentUser() user: AuthUser): Promise<ChannelView> {
    return this.channels.update(id, body, user);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a channel / 删除通知渠道' })
  remove(@Param('id', channelId) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.channels.remove(id, user);
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a test message through the channel / 发送测试消息' })
  async test(@Param('id', channelId) id: string, @CurrentUser() user: AuthUser): Promise<{ deliveryId: string }> {
    return { deliveryId: await this.channels.testSend(id, user) };
  }
}

/** The deliveries of notifications: the dead-letter list and its retry. District admins. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@UseGuards(DistrictAdminGuard)
@Controller('api/v1/admin/notifications')
export class NotificationDeliveriesController {
  constructor(@Inject(NotificationDeliveryService) private readonly deliveries: NotificationDeliveryService) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries, newest first (?status=failed: failed and dead) / 通知投递记录' })
  list(@Query() query: DeliveryQueryDto): Promise<DeliveryView[]> {
    return this.deliveries.list({ status: query.status, channelId: query.channel, limit: query.limit });
  }

  @Post(':id/retry')
  @ApiOperation({ summary: 'Send a failed or dead delivery again (audited) / 重试投递' })
  retry(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<DeliveryView> {
    return this.deliveries.retry(deliveryId(id), user);
  }
}
