// A load-generating child of bench:feed: holds `count` feed connections over plain TCP sockets
// speaking WebSocket + engine.io + socket.io by hand, so that a client costs a few hundred
// nanoseconds per event (frame boundaries and the seq are read straight from the bytes) and the
// feed process, not its clients, is what is measured. Per received `case.event` it records the
// latency from the moment the event entered the Redis stream (fan-out: the stream entry id's time)
// and from the event's own time (end to end: its `at`), as millisecond histograms, and checks each
// connection's seqs: in order, no gap (every connection is district-wide, so it must get every
// event), no duplicate.
//
// Talks to its parent over IPC: { type: 'connect' } → { type: 'connected', connected, failed, ms };
// { type: 'measure', from } (events with `at` ≥ from are counted); { type: 'report', lastSeq } →
// waits until every connection has reached lastSeq (or 30 s), then sends the tallies and exits.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';

const [url, token, countText, redisUrl, concurrencyText, feedStream] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText ?? 100);
const { hostname, port } = new URL(url);
const nowMs = () => performance.timeOrigin + performance.now();

const BUCKETS = 20_000; // 1 ms buckets up to 20 s
const fanout = new Uint32Array(BUCKETS + 1);
const endToEnd = new Uint32Array(BUCKETS + 1);
let measureFrom = Infinity;
let counted = 0;
const streamTime = new Map(); // seq → [ms the relay appended it to the stream, the event's `at`]
const waiting = new Map(); // seq → arrival times of events seen before their stream entry was read
const clients = [];
const tally = { received: 0, gaps: 0, duplicates: 0, outOfOrder: 0, closings: {}, disconnected: 0, unmatched: 0 };
const bucket = (ms) => Math.min(BUCKETS, Math.max(0, Math.round(ms)));

function count1(seq, t) {
  const known = streamTime.get(seq);
  if (!known) {
    if (waiting.has(seq)) waiting.get(seq).push(t);
    else waiting.set(seq, [t]);
    return;
  }
  if (known[1] < measureFrom) return;
  counted++;
  fanout[bucket(t - known[0])]++;
  endToEnd[bucket(t - known[1])]++;
}

const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
redis.on('error', () => undefined);
let streamStop = false;
(async () => {
  let last = (await redis.xrevrange(feedStream, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
  while (!streamStop) {
    const answer = await redis.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', feedStream, last).catch(() => null);
    for (const [, entries] of answer ?? []) {
      for (const [id, fields] of entries) {
        last = id;
        const seq = Number(fields[fields.indexOf('seq') + 1]);
        if (!seq || streamTime.has(seq)) continue;
        const at = Date.parse(JSON.parse(fields[fields.indexOf('message') + 1]).at);
        streamTime.set(seq, [Number(id.split('-')[0]), at]);
        for (const t of waiting.get(seq) ?? []) count1(seq, t);
        waiting.delete(seq);
      }
    }
  }
})();

// The bytes every case.event frame's text starts with, and the key before its seq.
const EVENT_PREFIX = Buffer.from('42/feed,["case.event",');
const SEQ_KEY = Buffer.from('"seq":');

/** A client→server text frame (masked with a zero key, which leaves the payload as it is). */
function frame(text) {
  const payload = Buffer.from(text);
  const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  return Buffer.concat([head, Buffer.alloc(4), payload]);
}

function open() {
  return new Promise((resolve) => {
    const client = { socket: net.connect(Number(port), hostname), last: null, ready: false, pending: null, upgraded: false };
    const { socket } = client;
    socket.setNoDelay(true);
    const fail = () => {
      socket.destroy();
      resolve(null);
    };
    socket.once('error', fail);
    socket.on('connect', () => {
      socket.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const onText = (text) => {
      if (text === '2') return socket.write(frame('3')); // ping → pong
      if (text.startsWith('0{')) return socket.write(frame(`40/feed,${JSON.stringify({ token })}`));
      if (text.startsWith('44/feed')) return fail();
      if (text.startsWith('42/feed,["feed.ready"')) {
        client.last = Number(/"lastSeq":(\d+)/.exec(text)[1]);
        client.ready = true;
        socket.off('error', fail);
        socket.on('error', () => undefined);
        socket.on('close', () => tally.disconnected++);
        return resolve(client);
      }
      if (text.startsWith('42/feed,["feed.closing"')) {
        const reason = /"reason":"(\w+)"/.exec(text)?.[1] ?? '?';
        tally.closings[reason] = (tally.closings[reason] ?? 0) + 1;
      }
    };
    socket.on('data', (chunk) => {
      let buf = client.pending ? Buffer.concat([client.pending, chunk]) : chunk;
      let at = 0;
      if (!client.upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return void (client.pending = buf);
        if (!buf.subarray(0, 12).toString().includes('101')) return fail();
        client.upgraded = true;
        at = end + 4;
      }
      const t = nowMs();
      while (buf.length - at >= 2) {
        let len = buf[at + 1] & 127;
        let start = at + 2;
        if (len === 126) {
          if (buf.length - at < 4) break;
          len = buf.readUInt16BE(at + 2);
          start = at + 4;
        } else if (len === 127) {
          if (buf.length - at < 10) break;
          len = Number(buf.readBigUInt64BE(at + 2));
          start = at + 10;
        }
        if (buf.length < start + len) break;
        const opcode = buf[at] & 15;
        if (opcode === 1 && len > EVENT_PREFIX.length && buf.compare(EVENT_PREFIX, 0, EVENT_PREFIX.length, start, start + EVENT_PREFIX.length) === 0) {
          let seq = 0;
          const key = buf.indexOf(SEQ_KEY, start + EVENT_PREFIX.length);
          for (let i = key + SEQ_KEY.length; key >= 0 && i < start + len && buf[i] >= 48 && buf[i] <= 57; i++) seq = seq * 10 + buf[i] - 48;
          if (client.ready) {
            tally.received++;
            if (seq === client.last) tally.duplicates++;
            else if (seq < client.last) tally.outOfOrder++;
            else if (seq > client.last + 1) {
              tally.gaps += seq - client.last - 1;
            }
            client.last = seq;
            count1(seq, t);
          }
        } else if (opcode === 1) {
            onText(buf.toString('utf8', start, start + len));
        } else if (opcode === 8) {
          socket.end();
        }
        at = start + len;
      }
      client.pending = at < buf.length ? buf.subarray(at) : null;
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
    while (Date.now() < deadline && clients.some((c) => !c.socket.destroyed && c.last < msg.lastSeq)) await new Promise((r) => setTimeout(r, 100));
    const behind = clients.filter((c) => c.last < msg.lastSeq).length;
    await new Promise((r) => setTimeout(r, 600)); // the stream reader's last entries
    streamStop = true;
    tally.unmatched = [...waiting.values()].reduce((n, l) => n + l.length, 0);
    process.send({ type: 'report', tally: { ...tally, behind, counted }, fanout: [...fanout], endToEnd: [...endToEnd] });
    for (const c of clients) c.socket.destroy();
    redis.disconnect();
    setTimeout(() => process.exit(0), 100);
  }
});
process.send({ type: 'started' });
