import { Global, Module } from '@nestjs/common';
import { GraphqlMetrics } from './graphql-metrics';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics.service';

/** Global: the audit log times its writes, and the GraphQL module counts requests. */
@Global()
@Module({
  providers: [Metrics, GraphqlMetrics],
  controllers: [MetricsController],
  exports: [Metrics, GraphqlMetrics],
})
export class MetricsModule {}
