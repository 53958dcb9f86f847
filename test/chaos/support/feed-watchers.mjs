// Feed clients of a failure scenario. A FeedWatcher is a socket.io-client connection that records
// every case.event seq it receives and, when its connection ends (node killed, cut off as slow),
// reconnects as a client behind a load balancer would: the same node first, the next one when that
// refuses, and resumes after the last seq it received, either with `auth.afterSeq` in the handshake
// or with a `resume {afterSeq}` message right after connecting (the two ways docs/feed.md gives).
// SlowPollingClient speaks engine.io long-polling by hand so that it can stop reading.
import { io } from 'socket.io-client';
import { sleep } from '../../bench/support/processes.mjs';

export class FeedWatcher {
  /**
   * @param {{ name: string, urls: string[], token: string, mode: 'auth' | 'resume', scope: { kind: 'district' } | { kind: 'cells', cells: string[] }, afterSeq?: number }} options
   */
  constructor(options) {
    this.options = options;
    this.name = options.name;
    this.scope = options.scope;
    this.received = [];
    /** The seq the client's view starts after (its first feed.ready, or the afterSeq it was given). */
    this.from = options.afterSeq ?? null;
    this.connections = 0;
    this.reconnects = 0;
    this.refused = 0;
    this.closings = {};
    this.nodes = new Set();
    this.stopped = false;
    this.socket = null;
    this.index = 0;
  }

  /** Connects to its first node; resolves once the feed has accepted it. */
  start() {
    return new Promise((resolve, reject) => {
      this.onReady = resolve;
      setTimeout(() => reject(new Error(`${this.name}: no feed.ready in 15 s`)), 15_000).unref();
      this.connect();
    });
  }

  last() {
    return this.received.length > 0 ? this.received[this.received.length - 1] : this.from;
  }

  connect() {
    if (this.stopped) return;
    const { urls, token, mode } = this.options;
    const url = urls[this.index % urls.length];
    const after = this.from === null ? undefined : this.last();
    const auth = { token, ...(mode === 'auth' && after !== undefined ? { afterSeq: after } : {}) };
    const socket = io(`${url}/feed`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5000 });
    this.socket = socket;
    // Events still arriving from a closed connection would be emitted after the next connect: the
    // replay brings them again, in order, so drop them when the new transport opens.
    socket.io.on('open', () => {
      socket.receiveBuffer = [];
    });
    socket.on('connect', () => {
      this.connections++;
      this.nodes.add(url);
      if (mode === 'resume' && after !== undefined) socket.emit('resume', { afterSeq: after });
    });
    socket.on('feed.ready', (ready) => {
      if (this.from === null) this.from = ready.lastSeq;
      this.onReady?.();
      this.onReady = null;
    });
    socket.on('case.event', (e) => this.received.push(e.seq));
    socket.on('feed.closing', (c) => (this.closings[c.reason] = (this.closings[c.reason] ?? 0) + 1));
    socket.on('connect_error', () => {
      this.refused++;
      socket.close();
      if (this.stopped || this.socket !== socket) return;
      this.index++; // a load balancer sends the next attempt elsewhere
      setTimeout(() => this.connect(), 200);
    });
    socket.on('disconnect', () => {
      if (this.stopped || this.socket !== socket) return;
      this.reconnects++;
      setTimeout(() => this.connect(), 100);
    });
  }

  /** Waits until it has received `seq` (or `timeoutMs`). */
  async reach(seq, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while ((this.last() ?? 0) < seq && Date.now() < deadline) await sleep(50);
  }

  stop() {
    this.stopped = true;
    this.socket?.close();
  }
}

/**
 * A staff client on engine.io long-polling that reads a while, then stops reading (its events pile
 * up on the server) until the feed cuts it off; `seen` is what it had read by then.
 */
export class SlowPollingClient {
  constructor(url, token) {
    this.base = `${url}/socket.io/?EIO=4&transport=polling`;
    this.token = token;
    this.seen = [];
    this.from = null;
    this.closing = null;
    this.closedByServer = false;
  }

  async open() {
    const opened = await (await fetch(this.base)).text();
    this.sid = JSON.parse(opened.slice(1)).sid;
    await this.post(`40/feed,${JSON.stringify({ token: this.token })}`);
    const deadline = Date.now() + 10_000;
    while (this.from === null && Date.now() < deadline) await this.poll();
    if (this.from === null) throw new Error('slow client: no feed.ready');
  }

  post(body) {
    return fetch(`${this.base}&sid=${this.sid}`, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  }

  /** One long-poll: reads what the server has queued (or waits for it). */
  async poll() {
    const text = await (await fetch(`${this.base}&sid=${this.sid}`)).text();
    for (const packet of text.split('\x1e')) {
      if (packet === '2') await this.post('3');
      else if (packet.startsWith('42/feed,')) {
        const [name, body] = JSON.parse(packet.slice('42/feed,'.length));
        if (name === 'feed.ready' && this.from === null) this.from = body.lastSeq;
        else if (name === 'case.event' && this.closing === null) this.seen.push(body.seq);
        else if (name === 'feed.closing') this.closing = body;
      } else if (packet.startsWith('41/feed') || packet === '1') this.closedByServer = true;
    }
  }

  async readFor(ms) {
    const until = Date.now() + ms;
    while (Date.now() < until) await this.poll();
  }

  last() {
    return this.seen.length > 0 ? this.seen[this.seen.length - 1] : this.from;
  }
}

/**
 * What a client received against what it should have: every event of its view in (from, upTo]
 * exactly once, in order. `expected` is that list from case_event.
 */
export function compareSeqs(received, expected, from, upTo) {
  const got = received.filter((s) => s > from && s <= upTo);
  const want = new Set(expected);
  const seen = new Set();
  let duplicates = 0;
  let outOfOrder = 0;
  let foreign = 0;
  for (let i = 0; i < got.length; i++) {
    if (seen.has(got[i])) duplicates++;
    else if (i > 0 && got[i] < got[i - 1]) outOfOrder++;
    if (!want.has(got[i])) foreign++;
    seen.add(got[i]);
  }
  const gaps = expected.filter((s) => !seen.has(s)).length;
  return { received: got.length, expected: expected.length, gaps, duplicates, outOfOrder, foreign };
}
