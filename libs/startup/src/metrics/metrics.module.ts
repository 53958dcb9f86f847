import { Controller, Get, Module, Res } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { makeHistogramProvider, PrometheusController, PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { PUBLIC_ROUTE } from '../health/public-route';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { HTTP_DURATION, HttpMetricsInterceptor } from './http-metrics.interceptor';

/** Prometheus text format at GET /metrics (no token: scrape from the private network). */
@ApiExcludeController()
@PUBLIC_ROUTE()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  override index(@Res({ passthrough: true }) response: FastifyReply) {
    return super.index(response);
  }
}

@Module({
  imports: [
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      defaultMetrics: { enabled: true },
      customMetricPrefix: 'wangge',
    }),
  ],
  providers: [
    makeHistogramProvider({
      name: HTTP_DURATION,
      help: 'HTTP request duration in seconds, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
    DatabasePoolMetrics,
  ],
})
export class MetricsModule {}
