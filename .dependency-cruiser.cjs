/**
 * The floors of docs/architecture.md, enforced (`npm run lint`, part of `npm test`).
 *
 * Every lib stands on a floor and imports only libs on lower floors: two libs on one floor never
 * import each other, so no cycle between libs can form. `startup` (process start-up) is imported by
 * apps only; no lib imports an app, no app another app. Imports of a lib go through its index
 * (`@wangge/<lib>`), never into its files. Type-only imports count like any other.
 */
const FLOORS = [
  ['domain', 'config', 'operations'], // 0: leaves: the domain's words, the environment, errors
  ['clock', 'events', 'jobs', 'audit'], // 1: pure time, the contracts, the audit trail
  ['database', 'auth'], // 2: the DataSource (its identity names the Redis keys of jobs); who the caller is
  ['geo', 'catalogue', 'chiefs', 'import', 'media'], // 3: places, reference data, files
  ['workflow'], // 4: the case and its closed loop
  ['reports', 'notifications'], // 5: reports in (batches, Idempotency-Keys, photos), written through the workflow's case store; notifications (raised into the workflow's outbox, derived from case events)
  ['evaluation', 'open311', 'demo', 'people'], // 5: built on cases; the demo, written through the owners; people's administration (its feed notices go through the workflow's outbox)
  ['bulletins', 'places'], // 6: built on evaluation; places, checklists and inspections (failed items reported through report intake)
  ['campaigns'], // 8: campaigns over places (items are places; read through places' service); figures offered to bulletins through their contributor interface
];
/** Start-up of a process: above every lib, below the apps. */
const APP_ONLY = ['startup'];

const libs = (names) => `^libs/(${names.join('|')})/`;

const floorRules = FLOORS.flatMap((floor, level) =>
  floor.map((lib) => ({
    name: `floor-${lib}`,
    comment: `libs/${lib} (floor ${level}) may import only libs below floor ${level}: ${FLOORS.slice(0, level).flat().join(', ') || 'none'}`,
    severity: 'error',
    from: { path: `^libs/${lib}/` },
    to: { path: libs([...FLOORS.slice(level).flat().filter((other) => other !== lib), ...APP_ONLY]) },
  })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...floorRules,
    {
      name: 'startup-only-in-apps',
      comment: 'libs/startup starts processes: only apps import it',
      severity: 'error',
      from: { path: '^libs/', pathNot: '^libs/startup/' },
      to: { path: '^libs/startup/' },
    },
    {
      name: 'no-lib-imports-an-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-app-imports-another-app',
      comment: 'apps share code through libs (the console takes the feed contract from libs/events)',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-through-its-index',
      comment: 'import a lib as @wangge/<lib> (its src/index.ts), not a file inside it',
      severity: 'error',
      from: { path: '^(libs|apps)/([^/]+)/', pathNot: '^apps/console/' },
      to: { path: '^libs/', pathNot: ['^libs/$2/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'unfloored-lib-imports',
      comment: 'a new lib gets its floor in .dependency-cruiser.cjs and docs/architecture.md',
      severity: 'error',
      from: { path: '^libs/', pathNot: libs([...FLOORS.flat(), ...APP_ONLY]) },
      to: {},
    },
    {
      name: 'unfloored-lib-imported',
      comment: 'a new lib gets its floor in .dependency-cruiser.cjs and docs/architecture.md',
      severity: 'error',
      from: {},
      to: { path: '^libs/', pathNot: libs([...FLOORS.flat(), ...APP_ONLY]) },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles, inside a lib either',
      severity: 'error',
      from: { path: '^(libs|apps)/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^(libs|apps)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
