import { Module } from '@nestjs/common';
import { UserDirectory } from './user-directory.service';

/** The people's tables behind {@link UserDirectory}: import where users or wardens' cells are read. */
@Module({ providers: [UserDirectory], exports: [UserDirectory] })
export class PeopleModule {}
