import { Logger } from '@nestjs/common';
import { Gauge, register } from 'prom-client';

/** How long an asynchronous read may take before its gauge shows NaN for that scrape. */
export const SCRAPE_READ_TIMEOUT_MS = 2000;

export interface ScrapedGaugeOptions {
  /** Longest wait for an asynchronous read (default SCRAPE_READ_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface ScrapedLabelledGaugeOptions<L extends string> extends ScrapedGaugeOptions {
  /** Label sets shown from the start (NaN until a read gives their value), e.g. every queue and state. */
  labelSets?: readonly Record<L, string>[];
}

/** One sample of a labelled gauge. */
export interface LabelledValue<L extends string> {
  labels: Record<L, string>;
  value: number;
}

const logger = new Logger('metrics');
let lastWarned = 0;

/** A failed read shows NaN; say why at most once a minute (a scrape every few seconds must not flood the log). */
function warn(name: string, err: unknown): void {
  if (Date.now() - lastWarned < 60_000) return;
  lastWarned = Date.now();
  logger.warn(`metric ${name}: ${err instanceof Error ? err.message : String(err)} (shown as NaN)`);
}

/** The read's value, or a rejection if it throws, fails or has not answered within `ms`. */
function within<T>(read: () => T | Promise<T>, ms: number): T | Promise<T> {
  const value = read();
  if (!(value instanceof Promise)) return value;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A gauge read from `read()` whenever /metrics is scraped (registered again if the app is created
 * again, as tests do). `read` may be asynchronous (a query): a read that throws, rejects or takes
 * longer than the timeout shows NaN for that scrape, so one slow or broken source never holds or
 * fails the whole /metrics answer.
 */
export function scrapedGauge(name: string, help: string, read: () => number | Promise<number>, options: ScrapedGaugeOptions = {}): Gauge {
  const timeoutMs = options.timeoutMs ?? SCRAPE_READ_TIMEOUT_MS;
  register.removeSingleMetric(name);
  return new Gauge({
    name,
    help,
    collect() {
      const failed = (err: unknown) => {
        warn(name, err);
        this.set(NaN);
      };
      try {
        const value = within(read, timeoutMs);
        if (!(value instanceof Promise)) return void this.set(value);
        return value.then((v) => this.set(v), failed);
      } catch (err) {
        failed(err);
      }
    },
  });
}

/**
 * A gauge with labels, read like `scrapedGauge`: `read()` gives one value per label set. When a
 * read fails or times out, every label set the gauge shows (`labelSets` and those of earlier
 * reads) shows NaN.
 */
export function scrapedLabelledGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  read: () => readonly LabelledValue<L>[] | Promise<readonly LabelledValue<L>[]>,
  options: ScrapedLabelledGaugeOptions<L> = {},
): Gauge<L> {
  const timeoutMs = options.timeoutMs ?? SCRAPE_READ_TIMEOUT_MS;
  const shown = new Map<string, Partial<Record<L, string>>>();
  const key = (labels: Partial<Record<L, string>>) => labelNames.map((l) => labels[l] ?? '').join('\u0000');
  register.removeSingleMetric(name);
  const gauge = new Gauge<L>({
    name,
    help,
    labelNames,
    collect() {
      const apply = (values: readonly LabelledValue<L>[]) => {
        for (const { labels, value } of values) {
          shown.set(key(labels), labels);
          this.set(labels as Partial<Record<L, string>>, value);
        }
      };
      const failed = (err: unknown) => {
        warn(name, err);
        for (const labels of shown.values()) this.set(labels, NaN);
      };
      try {
        const values = within(read, timeoutMs);
        if (!(values instanceof Promise)) return void apply(values);
        return values.then(apply, failed);
      } catch (err) {
        failed(err);
      }
    },
  });
  for (const labels of options.labelSets ?? []) {
    shown.set(key(labels), labels);
    gauge.set(labels, NaN);
  }
  return gauge;
}

/**
 * Shares one asynchronous read among several gauges: prom-client starts every gauge's `collect()`
 * in the same tick of a scrape, so the gauges of one scrape get one read (one query) between them.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = null;
    }));
}

/** Unregisters gauges when their owner goes away, unless another app in this process has registered the name since. */
export function removeGauges(...gauges: Gauge<string>[]): void {
  for (const gauge of gauges) {
    const name = (gauge as unknown as { name: string }).name;
    if (register.getSingleMetric(name) === gauge) register.removeSingleMetric(name);
  }
}
