// Benchmark: GET /api/v1/locate on the demo district (20,000 cells), 1,000 random points inside it:
// bench:routing at the demo district's size only (test/bench/routing.bench.mjs with scale 1; its
// header says what is measured). Prints one JSON line.
//
//   usage: node test/bench/locate.bench.mjs [points]     (default 1000)
process.argv.splice(2, Infinity, process.argv[2] ?? process.env.BENCH_POINTS ?? '1000', '1');
await import('./routing.bench.mjs');
