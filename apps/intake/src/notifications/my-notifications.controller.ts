import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { STAFF_ROLES } from '@wangge/domain';
import { NotificationPreferenceService, type MyNotifications } from '@wangge/notifications';
import { MarkReadDto, MyNotificationsDto } from './notifications.dto';

/** The caller's own notifications ("我的通知"): their inbox and their preferences. Every staff role. */
@ApiTags('notifications')
@ApiBearerAuth()
@Roles(...STAFF_ROLES)
@Controller('api/v1/me/notifications')
export class MyNotificationsController {
  constructor(@Inject(NotificationPreferenceService) private readonly preferences: NotificationPreferenceService) {}

  @Get()
  @ApiOperation({ summary: 'My notifications and my preferences / 我的通知' })
  get(@CurrentUser() user: AuthUser): Promise<MyNotifications> {
    return this.preferences.mine(user.id);
  }

  @Patch()
  @ApiOperation({ summary: 'Change my preferences: events, quiet hours, email / 通知设置' })
  change(@Body() body: MyNotificationsDto, @CurrentUser() user: AuthUser): Promise<MyNotifications> {
    return this.preferences.change(user.id, body);
  }

  @Post('read')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Mark my notifications read (all, or those named) / 标为已读' })
  read(@Body() body: MarkReadDto, @CurrentUser() user: AuthUser): Promise<void> {
    return this.preferences.markRead(user.id, body.ids);
  }
}
