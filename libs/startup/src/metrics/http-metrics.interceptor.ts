import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Histogram } from 'prom-client';
import { Observable, tap } from 'rxjs';
import { AppError } from '@wangge/operations';

export const HTTP_DURATION = 'http_request_duration_seconds';

/** Times every HTTP request by route template (never the raw URL, so ids don't explode the labels). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(@InjectMetric(HTTP_DURATION) private readonly histogram: Histogram<string>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const end = this.histogram.startTimer();
    const route = req.routeOptions?.url ?? 'unmatched';
    return next.handle().pipe(
      tap({
        next: () => end({ method: req.method, route, status: String(http.getResponse<FastifyReply>().statusCode) }),
        error: (err: unknown) => end({ method: req.method, route, status: String(err instanceof HttpException ? err.getStatus() : err instanceof AppError ? err.status : 500) }),
      }),
    );
  }
}
