import { Module } from '@nestjs/common';
import { RecentSessions } from './recent-sessions';
import { UserDirectory } from './user-directory.service';

/** The people's tables behind {@link UserDirectory}: import where users or wardens' cells are read. */
@Module({ providers: [UserDirectory, RecentSessions], exports: [UserDirectory, RecentSessions] })
export class PeopleModule {}
