import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '@wangge/config';
import { batchEngineWrites } from './hub/engine-batching';

/**
 * socket.io server options from configuration: WebSocket first with HTTP long-polling as the
 * fallback (several feed nodes behind a load balancer need sticky sessions for long-polling only,
 * see docs/feed.md), CORS for the console's origin, small client messages. socket.io's own
 * connection-state recovery stays off: `resume` is the guarantee.
 */
export class FeedIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    batchEngineWrites();
    const origins = this.config.feed.corsOrigins;
    return super.createIOServer(port, {
      ...options,
      path: options?.path ?? '/socket.io',
      transports: ['websocket', 'polling'],
      cors: { origin: origins === '*' ? true : origins, credentials: false },
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      perMessageDeflate: this.config.feed.perMessageDeflate,
    } as ServerOptions);
  }
}
