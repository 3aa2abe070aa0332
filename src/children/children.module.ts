import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { ChildIdentifierEntity } from './child-identifier.entity';
import { ChildMatchingService } from './child-matching.service';
import { ChildEntity } from './child.entity';
import { ChildMatchResolver, ChildResolver, InvolvementResolver } from './children.resolver';
import { ChildrenRepository } from './children.repository';
import { ChildrenService } from './children.service';
import { InvolvementEntity } from './involvement.entity';
import { InvolvementRequestEntity } from './involvement-request.entity';
import { InvolvementRequestResolver } from './involvement-requests.resolver';
import { InvolvementRequestsRepository } from './involvement-requests.repository';
import { InvolvementRequestsService } from './involvement-requests.service';

/** The child record: identity, identifiers, involvements, matching and involvement requests (DESIGN §2, §4). */
@Module({
  imports: [
    TypeOrmModule.forFeature([ChildEntity, ChildIdentifierEntity, InvolvementEntity, InvolvementRequestEntity]),
    AgenciesModule,
  ],
  providers: [
    ChildrenRepository,
    ChildrenService,
    ChildMatchingService,
    ChildResolver,
    InvolvementResolver,
    ChildMatchResolver,
    InvolvementRequestsRepository,
    InvolvementRequestsService,
    InvolvementRequestResolver,
  ],
  exports: [ChildrenService],
})
export class ChildrenModule {}
