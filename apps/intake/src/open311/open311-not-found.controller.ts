import { All, Controller, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '@wangge/auth';
import { Open311Error } from '@wangge/open311';
import { requestPath } from '@wangge/operations';

/** Any other path or method under /open311: 404 in the GeoReport error format rather than the platform's. */
@ApiExcludeController()
@Public()
@Controller('open311')
export class Open311NotFoundController {
  @All(['', '*'])
  notFound(@Req() req: FastifyRequest): never {
    throw Open311Error.notFound(`no such resource: ${req.method} ${requestPath(req)}; see /open311/v2/discovery.json`);
  }
}
