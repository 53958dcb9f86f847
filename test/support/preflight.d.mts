/** Types of preflight.mjs (the first step of `npm test`), for its tests. */
export interface ServerFacts {
  host: string;
  port: number;
  /** On this machine (127.0.0.1, localhost, ::1): the preflight may start it and install for it. */
  local: boolean;
  /** Named by TEST_PG_URL / TEST_REDIS_URL rather than the default. */
  fromEnv: boolean;
  reachable: boolean;
  /** When not reachable: nothing listens (start it), as opposed to an answer that refused us. */
  down?: boolean;
  error?: string;
}
export interface PostgresFacts extends ServerFacts {
  /** Versions under /etc/postgresql, ascending. */
  clusters: string[];
  major?: string;
  postgis?: boolean;
}
export interface RedisFacts extends ServerFacts {
  serverInstalled: boolean;
}
export interface MachineFacts {
  debian: boolean;
  root: boolean;
  postgres: PostgresFacts;
  redis: RedisFacts;
  chromium: { path: string; custom: boolean; present: boolean };
  cjkFont: boolean;
}
export type Cure = 'postgres' | 'postgis' | 'redis' | 'redis-server' | 'chromium' | 'cjkFont';
export interface Step {
  say: string;
  commands: string[][];
  aptUpdate?: boolean;
  waitSeconds?: number;
  cures: Cure;
}
export type Decision = { ok: true; step?: undefined; stop?: undefined } | { step: Step; ok?: undefined; stop?: undefined } | { stop: string; ok?: undefined; step?: undefined };
export interface PreflightDeps {
  probe: () => Promise<MachineFacts>;
  /** Runs one command; resolves with a description of its failure, or undefined. */
  run: (command: string[]) => Promise<string | undefined>;
  log: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
}
export const DEFAULT_PG_URL: string;
export const DEFAULT_REDIS_URL: string;
export const DEFAULT_CHROMIUM: string;
export function decide(facts: MachineFacts): Decision;
export function cured(facts: MachineFacts, cures: Cure): boolean;
export function preflight(deps: PreflightDeps): Promise<0 | 1>;
export function probeMachine(env?: Record<string, string | undefined>): Promise<MachineFacts>;
