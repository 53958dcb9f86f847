import { createHash } from 'node:crypto';
import { Client, type QueryConfig } from 'pg';

/**
 * The pg client of the platform's pools: every query with parameters goes as a named prepared
 * statement, named by a hash of its text. PostgreSQL then parses it once per connection, and after
 * a few executions plans it once too when a generic plan is as good as a custom one (its
 * `plan_cache_mode = auto`). node-pg sends parameterised queries unnamed by default: parsed and
 * planned at every execution, which was half of PostgreSQL's CPU on the dispatch path
 * (docs/performance.md). The statements are the application's fixed SQL texts, so each connection
 * holds a bounded set of them.
 */
export class PreparedStatementClient extends Client {
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const named: QueryConfig = { text: config, values, name: statementName(config) };
      return (super.query as (...a: unknown[]) => never)(named, callback);
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `w${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}
