import { io, type Socket } from 'socket.io-client';
import type { CampaignEventPayload } from '@wangge/events';

/** A feed connection that keeps every `campaign.event` it receives. */
export function campaignListener(url: string, token: string): { socket: Socket; events: CampaignEventPayload[]; ready: Promise<void> } {
  const socket = io(`${url}/feed`, { auth: { token: token.replace(/^Bearer /, '') }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: CampaignEventPayload[] = [];
  socket.on('campaign.event', (e: CampaignEventPayload) => events.push(e));
  // Live once the (empty) replay is done: the rooms are joined then.
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('feed.ready', () => setTimeout(resolve, 300));
  });
  return { socket, events, ready };
}
