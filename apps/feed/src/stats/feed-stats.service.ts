import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { principalRooms } from '@wangge/auth';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { OutageLog } from '@wangge/operations';
import type { CaseEventMessage, FeedStats, StreetCounts } from '@wangge/events';
import { DivisionDirectory } from '@wangge/geo';
import { CaseCountsQuery } from '@wangge/workflow';
import type { FeedClient } from '../hub/feed-client';
import { FeedHub } from '../hub/feed-hub.service';
import { roomsOf, type FeedScope } from '../scope/feed-scope';
import { FeedSource } from '../source/feed-source.service';

/** One key per distinct view: connections whose staff rooms are the same share their stats. */
export function statsKey(scope: FeedScope): string {
  return principalRooms(scope.principal, 'staff').sort().join(' ');
}

interface ScopeEntry {
  scope: FeedScope;
  /** The staff rooms of the scope: an event into any of them may change its counts. */
  rooms: string[];
  clients: Set<FeedClient>;
  last: string | null;
}

/**
 * `stats` for each connected scope: open, overdue and closed-today counts per street, from
 * the case aggregate's counts. Sent on connect; afterwards recomputed only for scopes an event touched (and for all
 * when the local day turns), at most once per FEED_STATS_INTERVAL_MS, and pushed only when changed.
 */
@Injectable()
export class FeedStatsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('feed-stats');
  /** PostgreSQL out of reach: logged when it goes and when it is back, not at every tick. */
  private readonly database = new OutageLog(this.logger, 'PostgreSQL (feed stats)');
  private readonly scopes = new Map<string, ScopeEntry>();
  private readonly dirty = new Set<string>();
  /** The rooms of the events since the last tick. */
  private readonly dirtyRooms = new Set<string>();
  private streetNames = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private day = '';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CaseCountsQuery) private readonly counts: CaseCountsQuery,
    @Inject(DivisionDirectory) private readonly divisions: DivisionDirectory,
    @Inject(FeedHub) private readonly hub: FeedHub,
    @Inject(FeedSource) source: FeedSource,
  ) {
    hub.onConnection((client, connected) => (connected ? this.join(client) : this.leave(client)));
    source.listen({ onCaseEvent: (message) => this.touch(message) });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.streetNames = await this.divisions.streetNames();
    this.timer = setInterval(() => void this.tick(), this.config.feed.statsIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private join(client: FeedClient): void {
    if (client.scope.kind === 'tracker' || !client.user) return;
    const key = statsKey(client.scope);
    let entry = this.scopes.get(key);
    if (!entry) {
      entry = { scope: client.scope, rooms: principalRooms(client.scope.principal, 'staff'), clients: new Set(), last: null };
      this.scopes.set(key, entry);
    }
    entry.clients.add(client);
    const known = entry.last;
    if (known) client.socket.emit('stats', JSON.parse(known) as FeedStats);
    else this.dirty.add(key);
    // A new scope gets its first stats now rather than at the next tick.
    if (!known) void this.refresh([key]).catch((err) => this.failed(err));
  }

  private leave(client: FeedClient): void {
    if (client.scope.kind === 'tracker' || !client.user) return;
    const key = statsKey(client.scope);
    const entry = this.scopes.get(key);
    if (!entry) return;
    entry.clients.delete(client);
    if (entry.clients.size === 0) this.scopes.delete(key);
  }

  private touch(message: CaseEventMessage): void {
    for (const room of roomsOf(message)) this.dirtyRooms.add(room);
  }

  private async tick(): Promise<void> {
    if (this.running || this.scopes.size === 0) return;
    this.running = true;
    try {
      const today = await this.localDay();
      const dayTurned = this.day !== '' && today !== this.day;
      this.day = today;
      for (const [key, entry] of this.scopes) if (dayTurned || entry.rooms.some((r) => this.dirtyRooms.has(r))) this.dirty.add(key);
      this.dirtyRooms.clear();
      if (this.dirty.size > 0) await this.refresh([...this.dirty]);
      this.database.succeeded();
    } catch (err) {
      this.failed(err);
    } finally {
      this.running = false;
    }
  }

  private failed(err: unknown): void {
    if (!this.database.failed(err)) this.logger.warn(`stats: ${String(err)}`);
  }

  private async refresh(keys: string[]): Promise<void> {
    for (const key of keys) {
      this.dirty.delete(key);
      const entry = this.scopes.get(key);
      if (!entry) continue;
      const stats = await this.compute(entry.scope);
      const text = JSON.stringify({ ...stats, at: '' });
      if (text === entry.last) continue;
      entry.last = text;
      // One broadcast to the scope's connections (by their own rooms): encoded once, not once per connection.
      const [first] = entry.clients;
      first?.socket.nsp.to([...entry.clients].map((c) => c.socket.id)).emit('stats', stats);
    }
  }

  /** The counts of one scope, per street; closed today by the local day in TIME_ZONE. */
  async compute(scope: FeedScope): Promise<FeedStats> {
    const rows = await this.counts.byStreet(scope.principal, this.config.timeZone);
    const byStreet: StreetCounts[] = rows.map((r) => ({
      streetCode: r.street_code,
      streetName: this.streetNames.get(r.street_code) ?? r.street_code,
      open: Number(r.open),
      overdue: Number(r.overdue),
      closedToday: Number(r.closed_today),
      suspended: Number(r.suspended),
    }));
    const { streetCode } = scope.principal;
    if (scope.kind === 'district' || (scope.kind === 'street' && streetCode !== null)) {
      // Every street of the view, with zeros where nothing is open, so a wall screen keeps its rows.
      const codes = streetCode === null ? [...this.streetNames.keys()] : [streetCode];
      for (const code of codes) {
        if (!byStreet.some((s) => s.streetCode === code)) byStreet.push({ streetCode: code, streetName: this.streetNames.get(code) ?? code, open: 0, overdue: 0, closedToday: 0, suspended: 0 });
      }
      byStreet.sort((a, b) => a.streetCode.localeCompare(b.streetCode));
    }
    const sum = (f: 'open' | 'overdue' | 'closedToday' | 'suspended') => byStreet.reduce((n, s) => n + s[f], 0);
    return {
      scope: scope.kind,
      open: sum('open'),
      overdue: sum('overdue'),
      closedToday: sum('closedToday'),
      suspended: sum('suspended'),
      byStreet,
      day: rows[0]?.day ?? (await this.localDay()),
      at: new Date().toISOString(),
    };
  }

  private async localDay(): Promise<string> {
    return this.counts.localDay(this.config.timeZone);
  }
}
