import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  body: Record<string, unknown> | unknown[] | null;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Sends a body of `bytes` bytes (a JSON string value, or a form field, once read whole) in 64 KiB
 * pieces, with its Content-Length or chunked, and resolves with the answer (which may come, and
 * the connection close, before all of it is sent).
 */
export function sendBody(
  baseUrl: string,
  path: string,
  options: { bytes: number; chunked?: boolean; form?: boolean; headers?: Record<string, string>; /** Declare the length, send only the first bytes and wait. */ declareOnly?: boolean },
): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const head = Buffer.from(options.form ? 'description=' : '{"description":"');
  const tail = Buffer.from(options.form ? '' : '"}');
  const total = head.length + options.bytes + tail.length;
  const piece = Buffer.alloc(64 * 1024, 'a');
  const headers: Record<string, string> = {
    'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json',
    ...(options.chunked ? {} : { 'content-length': String(total) }),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: RawAnswer['body'] = null;
        try {
          body = JSON.parse(text) as RawAnswer['body'];
        } catch {
          body = null;
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    // The server may answer and close before it has read the whole body: the answer counts.
    req.on('error', (err) => setTimeout(() => (answered ? undefined : reject(err)), 200));
    const pump = () => {
      if (options.declareOnly) return void req.write(head);
      if (sent === 0 && !req.write(head)) return void req.once('drain', pump);
      while (sent < options.bytes && !answered && !req.destroyed) {
        const n = Math.min(piece.length, options.bytes - sent);
        sent += n;
        if (!req.write(n === piece.length ? piece : piece.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end(tail);
    };
    req.on('socket', pump);
  });
}
