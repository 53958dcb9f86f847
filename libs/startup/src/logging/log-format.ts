import type { AppConfig } from '@wangge/config';

/** pino's level numbers, by name; `silent` lets nothing through. */
export const LOG_LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * Nest's own start-up lines (a line per module, controller and route: 150 for the three apps). Details
 * for a person at a terminal: the pretty format shows them from LOG_LEVEL=debug on.
 */
const NEST_BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication', 'WebSocketsController']);

const ANSI = { reset: '\x1b[0m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', green: '\x1b[32m', cyan: '\x1b[36m', magenta: '\x1b[35m' };
const LEVEL_COLOURS: Record<number, string> = { 10: ANSI.dim, 20: ANSI.dim, 30: ANSI.green, 40: ANSI.yellow, 50: ANSI.red, 60: ANSI.magenta };

/** Width of the process-name column: the longest name the launcher shows ("dispatcher"). */
const NAME_WIDTH = 10;

/** What a readable line says: when, which process, how grave, what. */
export interface LogLine {
  time: Date;
  name: string;
  /** pino's level number (30 info, 40 warn, 50 error). */
  level: number;
  message: string;
}

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** `20:17:13 intake     INFO  intake listening on http://localhost:3000`, coloured when asked. */
export function formatLogLine(line: LogLine, colour: boolean): string {
  const time = `${twoDigits(line.time.getHours())}:${twoDigits(line.time.getMinutes())}:${twoDigits(line.time.getSeconds())}`;
  const level = (LEVEL_NAMES[line.level] ?? String(line.level)).padEnd(5);
  const name = line.name.padEnd(NAME_WIDTH);
  if (!colour) return `${time} ${name} ${level} ${line.message}`;
  const paint = LEVEL_COLOURS[line.level] ?? '';
  const message = line.level >= 40 ? `${paint}${line.message}${ANSI.reset}` : line.message;
  return `${ANSI.dim}${time}${ANSI.reset} ${ANSI.cyan}${name}${ANSI.reset} ${paint}${level}${ANSI.reset} ${message}`;
}

/** Whether pretty lines are coloured: LOG_COLOR, or for `auto` whether the output is a terminal. */
export function useColour(setting: AppConfig['logColor'], out: { isTTY?: boolean }): boolean {
  return setting === 'always' || (setting === 'auto' && out.isTTY === true);
}

/** A pino line as the pretty format reads it (the fields our logging module writes). */
interface PinoEntry {
  level: number;
  time?: string | number;
  service?: string;
  context?: string;
  msg?: string;
  err?: { message?: string; stack?: string };
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/**
 * The level a line counts at for a person: Nest's start-up details and answered requests (pino-http's
 * "request completed" at info) are debug; refused and failed requests keep their warn and error.
 */
function personLevel(entry: PinoEntry): number {
  if (entry.level !== LOG_LEVELS.info) return entry.level;
  if (entry.context && NEST_BOOT_CONTEXTS.has(entry.context)) return LOG_LEVELS.debug;
  if (entry.req && entry.res) return LOG_LEVELS.debug;
  return entry.level;
}

function messageOf(entry: PinoEntry, service: string): string {
  let message = entry.msg ?? '';
  if (entry.req && entry.res) {
    const took = entry.responseTime === undefined ? '' : ` (${entry.responseTime} ms)`;
    message = `${entry.req.method ?? ''} ${entry.req.url ?? ''} → ${entry.res.statusCode ?? ''}${took}`;
  }
  if (entry.context && entry.context !== service && !NEST_BOOT_CONTEXTS.has(entry.context)) message = `[${entry.context}] ${message}`;
  const err = entry.err;
  if (err?.message && !message.includes(err.message)) message = `${message}: ${err.message}`;
  // An error's stack tells where; a warning's would only repeat its message.
  if (err?.stack && entry.level >= LOG_LEVELS.error) message = `${message}\n${err.stack.replace(/^/gm, '    ')}`;
  return message;
}

/**
 * A pino destination that writes one readable line per notable event instead of JSON: the level
 * filter applies to {@link personLevel}, so LOG_LEVEL=info shows the processes starting, warnings
 * and errors, and LOG_LEVEL=debug everything pino was given.
 */
export class PrettyLogStream {
  private readonly threshold: number;

  constructor(
    private readonly service: string,
    level: string,
    private readonly colour: boolean,
    private readonly out: { write(text: string): unknown } = process.stdout,
  ) {
    this.threshold = LOG_LEVELS[level] ?? LOG_LEVELS.info;
  }

  write(chunk: string): void {
    let entry: PinoEntry;
    try {
      entry = JSON.parse(chunk) as PinoEntry;
    } catch {
      this.out.write(chunk);
      return;
    }
    const level = personLevel(entry);
    if (level < this.threshold) return;
    const time = entry.time === undefined ? new Date() : new Date(entry.time);
    this.out.write(`${formatLogLine({ time, name: entry.service ?? this.service, level: entry.level, message: messageOf(entry, this.service) }, this.colour)}\n`);
  }
}

const SECRET_QUERY_KEY = /token|password|secret|signature|api[-_]?key/i;
/** Path segments that are a secret themselves: Open311's `GET /open311/v2/tokens/<token>`. */
const SECRET_PATH = /(\/tokens\/)[^/?#.]+/gi;

/**
 * A request's URL as logs keep it: tracking tokens (`?trackingToken=…`, Open311's `/tokens/<token>`),
 * passwords and keys in the query replaced by `[redacted]`. Anyone who reads the logs could
 * otherwise follow an anonymous reporter's case.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  const path = (query < 0 ? url : url.slice(0, query)).replace(SECRET_PATH, '$1[redacted]');
  if (query < 0) return path;
  const params = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let key = pair.slice(0, eq);
      try {
        key = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the key as written.
      }
      return SECRET_QUERY_KEY.test(key) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    });
  return `${path}?${params.join('&')}`;
}
