import { Injectable, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import {
  GEOREPORT_CONTENT_TYPES,
  isGeoReportFormat,
  toGeoReportJson,
  toGeoReportXml,
  type GeoReportDocument,
  type GeoReportFormat,
} from '@wangge/open311';

/** The format a request asked for by its extension (`services.xml`); JSON when it named none. */
export function formatOf(req: FastifyRequest): GeoReportFormat {
  const format: unknown = (req.params as Record<string, unknown> | undefined)?.format;
  return isGeoReportFormat(format) ? format : 'json';
}

/**
 * A document as the body of the response, in its format, with the content type validators check:
 * bytes, so that the server does not append `; charset=utf-8` to it as it does to a string.
 */
export function serializeGeoReport(res: FastifyReply, format: GeoReportFormat, doc: GeoReportDocument): Buffer {
  res.header('Content-Type', GEOREPORT_CONTENT_TYPES[format]);
  return Buffer.from(format === 'xml' ? toGeoReportXml(doc) : JSON.stringify(toGeoReportJson(doc)), 'utf8');
}

/** Writes what an Open311 handler returns (a GeoReport document) as JSON or XML. */
@Injectable()
export class Open311FormatInterceptor implements NestInterceptor<GeoReportDocument, StreamableFile> {
  intercept(context: ExecutionContext, next: CallHandler<GeoReportDocument>): Observable<StreamableFile> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const res = http.getResponse<FastifyReply>();
    // A StreamableFile: Nest sends its bytes as they are, under the content type already set.
    return next.handle().pipe(
      map((doc) => {
        const body = serializeGeoReport(res, formatOf(req), doc);
        return new StreamableFile(body, { length: body.length });
      }),
    );
  }
}
