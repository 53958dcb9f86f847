import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  entityTables,
  ownershipFromDoc,
  relationsIn,
  sourceFiles,
  staleAllowances,
  tableUses,
  violations,
  type AllowedUse,
  type SourceFile,
} from './data-ownership';

/**
 * docs/data-ownership.md, enforced: a table of the doc's table is read or written (in SQL, or through
 * its TypeORM entity) only by its owner (the "Owner" column), apart from the uses below, each with
 * its reason. A new read of another aggregate's table fails here: call the owner instead.
 */
const ROOT = resolve(__dirname, '../..');

/** What must stay outside the owner (docs/data-ownership.md, "What item 3 has left"). */
const ALLOWED: readonly AllowedUse[] = [
  {
    paths: [
      'libs/workflow/src/case-row.ts',
      'libs/workflow/src/case-workflow.service.ts',
      'libs/workflow/src/citizens/follow-up.sql.ts',
      'libs/workflow/src/reads/overdue-cases.query.ts',
      'libs/workflow/src/reads/recurrence-hotspots.query.ts',
      'libs/evaluation/src/evaluation.sql.ts',
      'libs/evaluation/src/appeals/appeal.service.ts',
      'libs/chiefs/src/chief-roster.service.ts',
      'libs/places/src/places.sql.ts',
    ],
    tables: ['category', 'street', 'community', 'road', 'road_segment', 'road_chief', 'app_user', 'department'],
    reason:
      'joins for names (category, street, community, road, chief, department, who acted) in reads and reports: one statement per list; asking each owner would be a round trip per name',
  },
  {
    paths: ['libs/chiefs/src/department-directory.service.ts'],
    tables: ['app_user'],
    reason: 'a department lists its leader by name and counts its members, and checks that a leader is an active member, in the statement of the read or change',
  },
  {
    paths: ['libs/workflow/src/stages/case-stages.sql.ts', 'libs/workflow/src/reads/case-relations.sql.ts'],
    tables: ['app_user', 'warden_cell'],
    reason:
      'check tasks go to the nearest warden on duty of the case cell and missed stages to the leaders on duty (roles, cells, names), in the statement that picks them under the case lock; the stage log names the person a stage counts for',
  },
  {
    paths: ['libs/geo/src/locate.service.ts', 'libs/geo/src/map-layers.service.ts'],
    tables: ['road_chief_scope', 'road_chief', 'app_user'],
    reason: 'the chiefs of a place (routing, the roads layer and tiles): spatial and hot path, in the same statement as the roads; chiefs (floor 3) is beside geo',
  },
  {
    paths: ['libs/workflow/src/case-clock.service.ts'],
    tables: ['road_chief'],
    reason: 'the case clock picks a chief (availability, deputy, level) in the transaction that escalates the case',
  },
  {
    paths: ['libs/workflow/src/case-query.service.ts', 'libs/workflow/src/reads/public-case.query.ts'],
    tables: ['media'],
    reason: "a case lists its media in upload order, with their content types, in the case's read (one statement)",
  },
  {
    paths: ['libs/media/src/orphan-media.purger.ts'],
    tables: ['case_media', 'campaign_progress'],
    reason: 'the orphan purge deletes an upload only if no case (and no campaign progress report) holds it, checked in the deleting statement (rows an attach has locked are skipped)',
  },
  {
    paths: ['libs/campaigns/src/campaigns.sql.ts', 'libs/campaigns/src/milestone-clock.service.ts'],
    tables: ['app_user', 'street'],
    reason:
      "campaign owners' names and whether an owner is active staff, the leaders over a street an overdue milestone is escalated to (under the milestone's lock), street names in the evaluation: one statement each",
  },
  {
    paths: ['libs/workflow/src/report-store.sql.ts', 'libs/workflow/src/standard-in-force.ts', 'libs/workflow/src/reads/case-relations.sql.ts'],
    tables: ['category', 'category_standard'],
    reason: "the category and standard in force of a report, in the report's one statement (hot path); the standard's clock type beside the case for evaluation",
  },
  {
    paths: ['libs/auth/src/people/user-directory.service.ts'],
    tables: ['road_chief'],
    reason: "a user's chief id, read with the user in one statement at every sign-in and token check (auth, floor 2, is below chiefs)",
  },
  {
    paths: ['libs/demo/src/seed-demo.ts'],
    tables: ['app_user', 'warden_cell', 'road_chief', 'category', 'holiday', 'street', 'community', 'grid_cell', 'road', 'road_segment'],
    reason:
      "the demo seed makes the people of a new database (accounts, wardens' cells) in one transaction, before any owner runs, and counts what it wrote (geography through import's writers, catalogue and calendar through their owners')",
  },
  {
    paths: ['libs/demo/src/history/history-people.ts'],
    tables: ['app_user', 'warden_cell', 'road_chief'],
    reason:
      "the demo's history reads the people the seed just made (wardens with their cells, chiefs with their accounts, the command centre's posts) as the actors of its simulated cases, in the history's transaction",
  },
  {
    paths: ['libs/import/src/chiefs.importer.ts'],
    tables: ['app_user', 'road_chief', 'road_chief_scope'],
    reason: "importing chiefs creates their accounts, roster and scopes in the import's transaction",
  },
  {
    paths: ['libs/import/src/orphaned-scopes.ts', 'libs/import/src/cells.importer.ts'],
    tables: ['road_chief_scope', 'road_chief', 'app_user', 'warden_cell'],
    reason:
      "re-zoning, in the import's transaction: lists the chiefs' scopes left without a live segment or cell, and gives the wardens of retired cells the live cells on the same ground",
  },
];

const owners = ownershipFromDoc(readFileSync(resolve(ROOT, 'docs/data-ownership.md'), 'utf8'));
const tables = new Set(owners.keys());

describe('data ownership (docs/data-ownership.md), in the source of libs and apps', () => {
  const files = sourceFiles(ROOT);
  const entities = entityTables(files.filter((f) => f.path.startsWith('libs/domain/')));
  const uses = tableUses(files, tables, entities);

  it("reads the doc's table: every table has an owning lib, every entity a table of the doc", () => {
    expect(tables.size).toBeGreaterThan(25);
    for (const [table, libs] of owners) expect(libs.length, table).toBeGreaterThan(0);
    expect(owners.get('case_file')).toEqual(['libs/workflow']);
    expect(owners.get('api_key')).toEqual(['libs/open311']);
    for (const [entity, table] of entities) expect(tables.has(table), `${entity} → ${table}`).toBe(true);
  });

  it('no table is read or written outside its owner, apart from the allowlist', () => {
    expect(uses.length).toBeGreaterThan(50);
    expect(violations(uses, owners, ALLOWED).map((u) => `${u.path}:${u.line} ${u.table} (${u.how})`)).toEqual([]);
  });

  it('no app holds SQL or a repository of a table', () => {
    expect(uses.filter((u) => u.module.startsWith('apps/'))).toEqual([]);
  });

  it('every allowlist entry is still needed, and says why', () => {
    expect(staleAllowances(uses, owners, ALLOWED)).toEqual([]);
    for (const a of ALLOWED) expect(a.reason.length).toBeGreaterThan(20);
  });
});

describe('the check fails where it should (fixtures)', () => {
  const entities = new Map([['User', 'app_user']]);
  const check = (...files: SourceFile[]) => violations(tableUses(files, tables, entities), owners, ALLOWED).map((u) => `${u.path}:${u.line} ${u.table} (${u.how})`);

  it('a read of case_file in libs/geo fails; the same in libs/workflow passes', () => {
    const sql = "export const SQL = `SELECT k.id\n  FROM case_file k WHERE k.status = 'closed'`;\n";
    expect(check({ path: 'libs/geo/src/x.ts', text: sql })).toEqual(['libs/geo/src/x.ts:2 case_file (sql)']);
    expect(check({ path: 'libs/workflow/src/x.ts', text: sql })).toEqual([]);
  });

  it('writes fail too, and SQL in an app', () => {
    expect(check({ path: 'libs/bulletins/src/x.ts', text: 'q(`INSERT INTO outbox (kind) VALUES ($1)`); q(`UPDATE case_event SET note = 1`); q(`DELETE FROM appeal`);' })).toEqual([
      'libs/bulletins/src/x.ts:1 outbox (sql)',
      'libs/bulletins/src/x.ts:1 case_event (sql)',
      'libs/bulletins/src/x.ts:1 appeal (sql)',
    ]);
    expect(check({ path: 'apps/intake/src/x.ts', text: 'db.query(`SELECT * FROM bulletin`)' })).toEqual(['apps/intake/src/x.ts:1 bulletin (sql)']);
  });

  it('finds tables in comma lists and joins, through an entity, and not in comments', () => {
    expect(relationsIn('SELECT 1 FROM street s, case_file c JOIN category k ON true')).toMatchObject([{ name: 'street' }, { name: 'case_file' }, { name: 'category' }]);
    expect(check({ path: 'libs/geo/src/x.ts', text: 'const a = `SELECT 1 FROM grid_cell g, case_event e`;' })).toEqual(['libs/geo/src/x.ts:1 case_event (sql)']);
    expect(check({ path: 'libs/geo/src/x.ts', text: 'const users = db.getRepository(User);' })).toEqual(['libs/geo/src/x.ts:1 app_user (entity)']);
    expect(check({ path: 'libs/geo/src/x.ts', text: '/** reads FROM case_file */\n// JOIN case_event\nconst x = 1;' })).toEqual([]);
    // a column or a function named like a table is not a table
    expect(check({ path: 'libs/geo/src/x.ts', text: 'const a = `SELECT extract(epoch FROM media.at), x FROM media_of(1)`;' })).toEqual([]);
  });

  it('an allowlist entry covers its paths and tables only; one nothing needs is reported', () => {
    const geo = { path: 'libs/geo/src/locate.service.ts', text: 'const a = `SELECT 1 FROM road_chief_scope sc JOIN case_file c ON true`;' };
    expect(check(geo)).toEqual(['libs/geo/src/locate.service.ts:1 case_file (sql)']);
    const unused: AllowedUse = { paths: ['libs/geo/src/gone.ts'], tables: ['case_file'], reason: 'a use that was moved to its owner' };
    expect(staleAllowances([], owners, [unused])).toEqual(['libs/geo/src/gone.ts uses none of case_file', 'no path of the entry uses case_file']);
  });
});
