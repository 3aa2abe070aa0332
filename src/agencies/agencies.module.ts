import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesResolver, InvitationResolver, MembershipResolver } from './agencies.resolver';
import { AgenciesRepository } from './agencies.repository';
import { AgenciesService } from './agencies.service';
import { AgencyEntity } from './agency.entity';
import { InvitationEntity } from './invitation.entity';
import { MembershipEntity } from './membership.entity';
import { PeopleResolver } from './people.resolver';
import { PeopleService } from './people.service';
import { UserEntity } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([AgencyEntity, UserEntity, MembershipEntity, InvitationEntity])],
  providers: [
    AgenciesRepository,
    AgenciesService,
    PeopleService,
    AgenciesResolver,
    MembershipResolver,
    InvitationResolver,
    PeopleResolver,
  ],
  exports: [AgenciesRepository, AgenciesService, PeopleService],
})
export class AgenciesModule {}
