import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The check of docs/data-ownership.md: which module touches which table, found in the source. SQL
 * is found by its keywords (FROM, JOIN, INTO, UPDATE, TABLE, USING, TRUNCATE, with comma lists
 * after FROM), TypeORM by the entity classes of libs/domain (getRepository, Repository<…>,
 * InjectRepository and the query builder's joins and from). Comments are left out.
 */

/** A module: `libs/<name>` or `apps/<name>`. */
export type ModuleName = string;

/** Who owns a table: the modules of the doc's "Owner" column. */
export type Ownership = ReadonlyMap<string, readonly ModuleName[]>;

export interface SourceFile {
  /** Relative to the repository, with forward slashes (`libs/geo/src/x.ts`). */
  path: string;
  text: string;
}

export interface TableUse {
  path: string;
  module: ModuleName;
  table: string;
  /** 1-based line of the use. */
  line: number;
  how: 'sql' | 'entity';
}

/** Uses that must stay outside the owner, with the reason: any of `tables` in any of `paths`. */
export interface AllowedUse {
  paths: readonly string[];
  tables: readonly string[];
  reason: string;
}

export function moduleOf(path: string): ModuleName | null {
  const m = /^(libs|apps)\/([^/]+)\//.exec(path);
  return m ? `${m[1]}/${m[2]}` : null;
}

/** The owners of each table, from the doc's table: every backticked table of the first column, every `libs/…` of the second. */
export function ownershipFromDoc(markdown: string): Map<string, ModuleName[]> {
  const owners = new Map<string, ModuleName[]>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith('`')) continue;
    const tables = [...cells[1].matchAll(/`([a-z_][a-z0-9_]*)`/g)].map((m) => m[1]);
    const libs = [...new Set([...cells[2].matchAll(/`(libs\/[a-z0-9-]+)`/g)].map((m) => m[1]))];
    for (const t of tables) owners.set(t, libs);
  }
  return owners;
}

/** The entity classes of libs/domain and their tables (`@Entity('table') export class Name`). */
export function entityTables(files: readonly SourceFile[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of files) {
    for (const m of f.text.matchAll(/@Entity\(\s*'([a-z_][a-z0-9_]*)'\s*\)\s*export\s+class\s+(\w+)/g)) map.set(m[2], m[1]);
  }
  return map;
}

/** The text with comments blanked (line numbers kept): block comments, and lines that are only a `//` comment. */
export function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((l) => (/^\s*\/\//.test(l) ? '' : l))
    .join('\n');
}

const RELATION_KEYWORD = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|USING|TRUNCATE)\s+(?:ONLY\s+)?/gi;
const NOT_AN_ALIAS = /^(?:WHERE|JOIN|ON|LEFT|RIGHT|INNER|OUTER|CROSS|FULL|NATURAL|LATERAL|GROUP|ORDER|LIMIT|OFFSET|SET|RETURNING|VALUES|USING|HAVING|WINDOW|UNION|EXCEPT|INTERSECT|FOR|AND|OR|AS|DEFAULT|SELECT|WITH)$/i;

/** The relations a piece of SQL names after its keywords (`FROM a x, b y JOIN c` → a, b, c). */
export function relationsIn(text: string): { name: string; index: number }[] {
  const found: { name: string; index: number }[] = [];
  for (const k of text.matchAll(RELATION_KEYWORD)) {
    let at = k.index! + k[0].length;
    for (;;) {
      const id = /^"?([a-z_][a-z0-9_]*)"?(?![\w.(])/i.exec(text.slice(at));
      if (!id) break;
      found.push({ name: id[1].toLowerCase(), index: at });
      at += id[0].length;
      const alias = /^\s+(?:AS\s+)?([a-z_][a-z0-9_]*)\b/i.exec(text.slice(at));
      if (alias && !NOT_AN_ALIAS.test(alias[1])) at += alias[0].length;
      const comma = /^\s*,\s*/.exec(text.slice(at));
      if (!comma) break;
      at += comma[0].length;
    }
  }
  return found;
}

const ENTITY_USE = /\b(?:getRepository|InjectRepository|leftJoin|innerJoin|leftJoinAndSelect|innerJoinAndSelect|from)\(\s*(\w+)\b|\bRepository<\s*(\w+)\s*>/g;

/** Every use of a table of `tables` in the files, by SQL or by its entity. */
export function tableUses(files: readonly SourceFile[], tables: ReadonlySet<string>, entities: ReadonlyMap<string, string>): TableUse[] {
  const uses: TableUse[] = [];
  for (const f of files) {
    const module = moduleOf(f.path);
    if (!module) continue;
    const text = withoutComments(f.text);
    const lineAt = (index: number) => text.slice(0, index).split('\n').length;
    for (const r of relationsIn(text)) {
      if (tables.has(r.name)) uses.push({ path: f.path, module, table: r.name, line: lineAt(r.index), how: 'sql' });
    }
    for (const m of text.matchAll(ENTITY_USE)) {
      const table = entities.get(m[1] ?? m[2]);
      if (table && tables.has(table)) uses.push({ path: f.path, module, table, line: lineAt(m.index!), how: 'entity' });
    }
  }
  return uses;
}

/** The uses outside the owners that no allowlist entry names (file and table). */
export function violations(uses: readonly TableUse[], owners: Ownership, allowed: readonly AllowedUse[]): TableUse[] {
  return uses.filter((u) => !(owners.get(u.table) ?? []).includes(u.module) && !allowed.some((a) => a.paths.includes(u.path) && a.tables.includes(u.table)));
}

/** What the allowlist names but nothing needs: a path that uses none of its entry's tables outside their owner, a table no path of the entry uses. */
export function staleAllowances(uses: readonly TableUse[], owners: Ownership, allowed: readonly AllowedUse[]): string[] {
  const outside = uses.filter((u) => !(owners.get(u.table) ?? []).includes(u.module));
  return allowed.flatMap((a) => [
    ...a.paths.filter((p) => !outside.some((u) => u.path === p && a.tables.includes(u.table))).map((p) => `${p} uses none of ${a.tables.join(', ')}`),
    ...a.tables.filter((t) => !outside.some((u) => u.table === t && a.paths.includes(u.path))).map((t) => `no path of the entry uses ${t}`),
  ]);
}

/** The source of libs and apps that runs: no tests, fixtures, declarations or migrations (the database's schema). */
export function sourceFiles(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'migrations') walk(full);
      } else if (/\.tsx?$/.test(e.name) && !/\.(spec|int-spec|e2e-spec|browser-spec|test|fixtures?)\.tsx?$|\.d\.ts$/.test(e.name)) {
        out.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  // apps/console is the browser's code: it reaches data through the API only, and its markup (`<table class="…">`) reads as SQL.
  for (const top of ['libs', 'apps']) {
    for (const m of readdirSync(join(root, top), { withFileTypes: true })) if (m.isDirectory() && `${top}/${m.name}` !== 'apps/console') walk(join(root, top, m.name));
  }
  return out;
}
