import type { AppConfig } from '@wangge/config';
import { formatLogLine, LOG_LEVELS, useColour } from '@wangge/startup';

export type TerminalLevel = 'info' | 'warn' | 'error';

/**
 * The launcher's own lines (starting the database, migrations, a process restarted), in the format
 * and at the level the apps use: `20:17:13 start      INFO  …` (pretty) or one JSON object a line
 * (LOG_FORMAT=json), so `npm start` reads as one log. The banner is not a log line: it is always shown.
 */
export class TerminalLog {
  private readonly threshold: number;
  private readonly colour: boolean;

  constructor(
    private readonly settings: Pick<AppConfig, 'logLevel' | 'logFormat' | 'logColor'>,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {
    this.threshold = LOG_LEVELS[settings.logLevel] ?? LOG_LEVELS.info;
    this.colour = settings.logFormat === 'pretty' && useColour(settings.logColor, out);
  }

  /** Before the configuration is read (or when it is wrong): info and up, readable. */
  static beforeConfig(): TerminalLog {
    return new TerminalLog({ logLevel: 'info', logFormat: 'pretty', logColor: 'auto' });
  }

  /** LOG_COLOR for the apps: they write into a pipe the launcher reads, so `auto` is decided here. */
  get childColour(): 'always' | 'never' {
    return this.colour ? 'always' : 'never';
  }

  info(source: string, message: string): void {
    this.write(source, 'info', message);
  }

  warn(source: string, message: string): void {
    this.write(source, 'warn', message);
  }

  error(source: string, message: string): void {
    this.write(source, 'error', message);
  }

  /** Why the launcher stops: an error line shown at every LOG_LEVEL (silent included). */
  fatal(source: string, message: string): void {
    this.write(source, 'error', message, true);
  }

  write(source: string, level: TerminalLevel, message: string, always = false): void {
    const value = LOG_LEVELS[level];
    if (value < this.threshold && !always) return;
    const time = new Date();
    const line =
      this.settings.logFormat === 'json'
        ? JSON.stringify({ level: value, time: time.toISOString(), service: source, msg: message })
        : formatLogLine({ time, name: source, level: value, message }, this.colour);
    this.out.write(`${line}\n`);
  }
}
