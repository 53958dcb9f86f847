import { Gauge, register } from 'prom-client';

/** A gauge read from `read()` whenever /metrics is scraped (registered again if the app is created again, as tests do). */
export function scrapedGauge(name: string, help: string, read: () => number): Gauge {
  register.removeSingleMetric(name);
  return new Gauge({
    name,
    help,
    collect() {
      this.set(read());
    },
  });
}
