// A load-generating child of bench:feed: holds `count` feed connections over raw WebSockets
// (the engine.io / socket.io wire protocol, written by hand so that the clients cost little CPU
// next to the feed process being measured), and records, per received `case.event`, the latency
// from the moment the event entered the Redis stream (fan-out) and from the event's own time
// (end to end), as millisecond histograms. Checks each connection's seqs: in order, no gap
// (every connection is district-wide, so it must get every event), no duplicate.
//
// Talks to its parent over IPC: { type: 'connect' } → { type: 'connected', connected, failed, ms };
// { type: 'measure', from } (events with `at` ≥ from are counted); { type: 'report', lastSeq } →
// waits until every connection has reached lastSeq (or 30 s), then sends the tallies and exits.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import WebSocket from 'ws';

const [url, token, countText, redisUrl, concurrencyText] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText ?? 100);
const wsUrl = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
const nowMs = () => performance.timeOrigin + performance.now();

const BUCKETS = 20_000; // 1 ms buckets up to 20 s
const fanout = new Uint32Array(BUCKETS + 1);
const endToEnd = new Uint32Array(BUCKETS + 1);
let measureFrom = Infinity;
let counted = 0;
const streamTime = new Map(); // seq → ms at which the relay appended it to the stream
const waitingForStream = new Map(); // seq → arrival times of events this process saw before reading their stream entry
const clients = [];
const tally = { received: 0, gaps: 0, duplicates: 0, outOfOrder: 0, closings: {}, disconnected: 0, unmatched: 0 };

// The stream's entry ids are `<ms>-<n>`: the time the relay appended each event.
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
redis.on('error', () => undefined);
let streamStop = false;
(async () => {
  let last = (await redis.xrevrange('wangge:feed', '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
  while (!streamStop) {
    const answer = await redis.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', 'wangge:feed', last).catch(() => null);
    for (const [, entries] of answer ?? []) {
      for (const [id, fields] of entries) {
        last = id;
        const seq = Number(fields[fields.indexOf('seq') + 1]);
        if (streamTime.has(seq)) continue;
        const added = Number(id.split('-')[0]);
        streamTime.set(seq, added);
        for (const t of waitingForStream.get(seq) ?? []) fanout[Math.min(BUCKETS, Math.max(0, Math.round(t - added)))]++;
        waitingForStream.delete(seq);
      }
    }
  }
})();

const SEQ = /"seq":(\d+)/;
const AT = /"at":"([^"]+)"/;

function record(client, text) {
  // 42/feed,["case.event",{...}]
  if (!text.startsWith('42/feed,["case.event"')) {
    if (text.startsWith('42/feed,["feed.closing"')) {
      const reason = /"reason":"(\w+)"/.exec(text)?.[1] ?? '?';
      tally.closings[reason] = (tally.closings[reason] ?? 0) + 1;
    }
    return;
  }
  const t = nowMs();
  const seq = Number(SEQ.exec(text)[1]);
  tally.received++;
  if (client.last !== null) {
    if (seq === client.last) tally.duplicates++;
    else if (seq < client.last) tally.outOfOrder++;
    else if (seq > client.last + 1) tally.gaps += seq - client.last - 1;
  }
  client.last = seq;
  const at = Date.parse(AT.exec(text)[1]);
  if (at < measureFrom) return;
  counted++;
  endToEnd[Math.min(BUCKETS, Math.max(0, Math.round(t - at)))]++;
  const added = streamTime.get(seq);
  if (added !== undefined) fanout[Math.min(BUCKETS, Math.max(0, Math.round(t - added)))]++;
  else if (waitingForStream.has(seq)) waitingForStream.get(seq).push(t);
  else waitingForStream.set(seq, [t]);
}

function open() {
  return new Promise((resolve) => {
    const client = { ws: new WebSocket(wsUrl, { perMessageDeflate: false }), last: null, ready: false };
    const fail = () => resolve(null);
    client.ws.on('error', fail);
    client.ws.on('message', (data, binary) => {
      const text = binary ? '' : data.toString();
      if (text === '2') return client.ws.send('3'); // ping → pong
      if (text.startsWith('0')) return client.ws.send(`40/feed,${JSON.stringify({ token })}`);
      if (text.startsWith('44/feed')) return fail();
      if (text.startsWith('42/feed,["feed.ready"')) {
        client.last = Number(/"lastSeq":(\d+)/.exec(text)[1]);
        client.ready = true;
        client.ws.off('error', fail);
        client.ws.on('close', () => tally.disconnected++);
        return resolve(client);
      }
      if (client.ready) record(client, text);
    });
  });
}

async function connectAll() {
  const t0 = nowMs();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next++;
        const c = await open();
        if (c) clients.push(c);
        else failed++;
      }
    }),
  );
  return { connected: clients.length, failed, ms: Math.round(nowMs() - t0) };
}

process.on('message', async (msg) => {
  if (msg.type === 'connect') process.send({ type: 'connected', ...(await connectAll()) });
  if (msg.type === 'measure') measureFrom = msg.from;
  if (msg.type === 'report') {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && clients.some((c) => c.ws.readyState === WebSocket.OPEN && c.last < msg.lastSeq)) await new Promise((r) => setTimeout(r, 100));
    const behind = clients.filter((c) => c.last < msg.lastSeq).length;
    await new Promise((r) => setTimeout(r, 600)); // the stream reader's last entries
    tally.unmatched = [...waitingForStream.values()].reduce((n, l) => n + l.length, 0);
    streamStop = true;
    process.send({ type: 'report', tally: { ...tally, behind, counted }, fanout: [...fanout], endToEnd: [...endToEnd] });
    for (const c of clients) c.ws.terminate();
    redis.disconnect();
    setTimeout(() => process.exit(0), 100);
  }
});
process.send({ type: 'started' });
