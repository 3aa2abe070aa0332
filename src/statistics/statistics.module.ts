import { Module } from '@nestjs/common';
import { StatisticsRepository } from './statistics.repository';
import { StatisticsResolver } from './statistics.resolver';
import { StatisticsService } from './statistics.service';

/** Anonymised statistics of concerns, under disclosure control (DESIGN §1). */
@Module({ providers: [StatisticsService, StatisticsRepository, StatisticsResolver] })
export class StatisticsModule {}
