import { Inject } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import { FEED_NAMESPACE, type FeedAck } from '@wangge/events';
import type { FeedSocket } from './hub/feed-client';
import { FeedConnectError, FeedHub } from './hub/feed-hub.service';
import { FeedLimits } from './hub/feed-limits';

type AckFn<T> = ((answer: FeedAck<T>) => void) | undefined;

/** The live feed (domain.md 4.5): thin; the hub decides everything. */
@WebSocketGateway({ namespace: FEED_NAMESPACE })
export class FeedGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    @Inject(FeedHub) private readonly hub: FeedHub,
    @Inject(FeedLimits) private readonly limits: FeedLimits,
  ) {}

  afterInit(nsp: Namespace): void {
    nsp.use((socket, next) => {
      const refuse = (refusal: FeedConnectError) => {
        this.hub.counters.refused++;
        next(Object.assign(new Error(refusal.message), { data: refusal.data }));
      };
      this.hub.authenticate(socket as FeedSocket).then(
        () => {
          // Anonymous trackers are counted per address; staff are known by their token.
          const overLimit = socket.data.user ? null : this.limits.admit(socket as FeedSocket);
          if (overLimit) return refuse(new FeedConnectError(overLimit));
          next();
        },
        (err: unknown) => refuse(err instanceof FeedConnectError ? err : new FeedConnectError({ code: 'unavailable', message: 'the feed cannot check the token now; retry / 暂时无法验证令牌，请重试' })),
      );
    });
    this.hub.attach(nsp);
  }

  handleConnection(socket: FeedSocket): void {
    this.limits.meter(socket, () => this.hub.rateLimited(socket));
    this.hub.connected(socket);
  }

  handleDisconnect(socket: FeedSocket): void {
    this.hub.disconnected(socket);
  }

  @SubscribeMessage('resume')
  resume(@ConnectedSocket() socket: FeedSocket, @MessageBody() body: unknown, @Ack() ack: AckFn<{ afterSeq: number }>): void {
    this.hub.resume(socket, body, ack);
  }

  @SubscribeMessage('track')
  async track(@ConnectedSocket() socket: FeedSocket, @MessageBody() body: unknown, @Ack() ack: AckFn<{ caseId: string }>): Promise<void> {
    await this.hub.track(socket, body, ack);
  }

  @SubscribeMessage('untrack')
  untrack(@ConnectedSocket() socket: FeedSocket, @MessageBody() body: unknown, @Ack() ack: AckFn<{ caseId: string }>): void {
    this.hub.untrack(socket, body, ack);
  }
}
