import { SetMetadata } from '@nestjs/common';

/**
 * Marks an operations route (health, metrics) as needing no token. Same metadata key as
 * `@Public()` of @wangge/auth, which sits above this lib and cannot be imported here.
 */
export const PUBLIC_ROUTE = () => SetMetadata('wangge:public', true);
