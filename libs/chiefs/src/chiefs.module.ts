import { Module } from '@nestjs/common';
import { ChiefRosterService } from './chief-roster.service';

@Module({ providers: [ChiefRosterService], exports: [ChiefRosterService] })
export class ChiefsModule {}
