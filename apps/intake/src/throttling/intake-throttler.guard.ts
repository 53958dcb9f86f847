import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import { RATE_LIMITS, type RateLimitName } from './rate-limit.decorator';

/** The signed-in caller the auth guard found (it runs first), if any. */
export function callerOf(req: Record<string, unknown>): string | null {
  const user = req.user as { id?: string } | undefined;
  return user?.id ?? null;
}

/**
 * The one throttle of intake (a global guard, after the auth guard): each route counts against
 * the limits it names with `@RateLimit`, and only those. Per caller: a signed-in user by their id,
 * anyone else by their address (`req.ip`: the client behind loopback and TRUST_PROXY's proxies).
 */
@Injectable()
export class IntakeThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const user = callerOf(req);
    return user ? `user:${user}` : `ip:${await super.getTracker(req)}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = request;
    const names = this.reflector.getAllAndOverride<RateLimitName[] | undefined>(RATE_LIMITS, [context.getHandler(), context.getClass()]) ?? [];
    if (!names.includes(throttler.name as RateLimitName)) return true;
    // Reads are limited for anonymous callers only.
    if (throttler.name === 'reads' && callerOf(context.switchToHttp().getRequest())) return true;
    return super.handleRequest(request);
  }

  /** The standard Retry-After too (the library names it per limit: Retry-After-reports…). */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    this.setResponseHeader(context.switchToHttp().getResponse(), 'Retry-After', Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
