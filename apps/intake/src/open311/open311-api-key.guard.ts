import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiKeyService, Open311Error, type ApiKeyHolder } from '@wangge/open311';

interface KeyedRequest {
  body?: unknown;
  open311Client?: ApiKeyHolder;
}

/** `POST requests` needs an active `api_key` (form field): 403 otherwise, before the body is judged. */
@Injectable()
export class Open311ApiKeyGuard implements CanActivate {
  constructor(@Inject(ApiKeyService) private readonly keys: ApiKeyService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<KeyedRequest>();
    const body = req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const raw = Array.isArray(body.api_key) ? body.api_key[0] : body.api_key;
    if (typeof raw !== 'string' || raw === '') throw Open311Error.forbidden('api_key is required: ask the district administrator for one / 缺少 API 密钥');
    const holder = await this.keys.verify(raw);
    if (!holder) throw Open311Error.forbidden('api_key is not an active key / API 密钥无效或已吊销');
    req.open311Client = holder;
    return true;
  }
}

/** The client whose key {@link Open311ApiKeyGuard} accepted. */
export const Open311Client = createParamDecorator((_data: unknown, ctx: ExecutionContext): ApiKeyHolder => {
  return ctx.switchToHttp().getRequest<KeyedRequest>().open311Client!;
});
