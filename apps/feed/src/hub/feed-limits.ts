import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { FeedErrorPayload } from '@wangge/events';
import { clientAddressOf, trustFunction, type TrustFunction } from '@wangge/startup';
import type { FeedSocket } from './feed-client';

const RELEASED = Symbol('feed limits: released');

/**
 * What one client may take of a feed node: FEED_MAX_CONNECTIONS_PER_IP anonymous connections at
 * once (the address found as intake finds it: loopback and TRUST_PROXY's proxies are believed; staff,
 * known by their token, are not counted, so a command center behind one NAT is never refused), and
 * FEED_MAX_MESSAGES_PER_SECOND messages per connection, anyone's. Counted per node.
 */
@Injectable()
export class FeedLimits {
  private readonly perAddress = new Map<string, number>();
  private trust: TrustFunction | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The client's address, by the proxy rule of this process's HTTP server. */
  addressOf(socket: FeedSocket): string {
    this.trust ??= trustFunction(this.config);
    return clientAddressOf(socket.request, this.trust);
  }

  /**
   * Counts a new connection against its address, or says why it is refused. A counted connection
   * is given back once, when its transport closes.
   */
  admit(socket: FeedSocket): FeedErrorPayload | null {
    const address = this.addressOf(socket);
    const held = this.perAddress.get(address) ?? 0;
    const max = this.config.feed.maxConnectionsPerIp;
    if (held >= max) {
      return { code: 'too_many_connections', message: `at most ${max} feed connections from one address; close one and retry / 同一地址最多 ${max} 个推送连接` };
    }
    // Gone while its token was checked: nothing to count (its close has passed).
    if (socket.conn.readyState === 'closed') return null;
    this.perAddress.set(address, held + 1);
    socket.conn.once('close', () => this.giveBack(socket, address));
    return null;
  }

  private giveBack(socket: FeedSocket, address: string): void {
    const holder = socket as unknown as Record<symbol, boolean>;
    if (holder[RELEASED]) return;
    holder[RELEASED] = true;
    const held = (this.perAddress.get(address) ?? 1) - 1;
    if (held <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, held);
  }

  /** Calls `over` when the connection sends more messages in one second than it may; the message is not handled. */
  meter(socket: FeedSocket, over: () => void): void {
    const max = this.config.feed.maxMessagesPerSecond;
    let windowStart = 0;
    let count = 0;
    socket.use((_packet, next) => {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        count = 0;
      }
      if (++count > max) return over();
      next();
    });
  }
}
