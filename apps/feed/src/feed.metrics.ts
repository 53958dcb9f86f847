import { Inject, Injectable } from '@nestjs/common';
import { scrapedGauge } from '@wangge/operations';
import { FeedHub } from './hub/feed-hub.service';
import { FeedSource } from './source/feed-source.service';

/** Prometheus gauges of the feed, read when /metrics is scraped. */
@Injectable()
export class FeedMetrics {
  constructor(@Inject(FeedHub) hub: FeedHub, @Inject(FeedSource) source: FeedSource) {
    const gauge = scrapedGauge;
    gauge('wangge_feed_connections', 'Connected feed clients', () => hub.counters.connected);
    gauge('wangge_feed_refused_total', 'Feed handshakes refused (bad or expired token)', () => hub.counters.refused);
    gauge('wangge_feed_slow_consumers_total', 'Feed clients cut off for a full send buffer', () => hub.counters.slowConsumers);
    gauge('wangge_feed_replayed_events_total', 'Case events sent by resume replays', () => hub.counters.replayed);
    gauge('wangge_feed_resyncs_total', 'Resumes answered with feed.resync (position from another database, or ahead of it)', () => hub.counters.resyncs);
    gauge('wangge_feed_last_seq', 'Newest case-event seq this node has passed on', () => source.lastSeq);
    gauge('wangge_feed_events_total', 'Case events passed on by this node', () => source.counters.events);
    gauge('wangge_feed_filled_from_database_total', 'Case events read from PostgreSQL because the stream had not brought them', () => source.counters.filledFromDatabase);
  }
}
