// bench-compare-microdiff.mjs: the JavaScript library microdiff on bench-compare's two
// snapshots, the yardstick for sp_version_compare (DESIGN.md §10). Not part of the suite.
//
// Node.js and microdiff are not build dependencies; on the benchmark machine they were
// installed by hand with:
//   apt-get install nodejs npm          (Debian 12; here Node.js 20 and npm were already present)
//   mkdir -p /tmp/microdiff-bench && cd /tmp/microdiff-bench && npm install microdiff   (1.6.0)
// Run:
//   SP_BENCH_COMPARE_DUMP=/tmp/compare-dump _build/tests/bench/bench-compare
//   MICRODIFF_DIR=/tmp/microdiff-bench node tests/bench/bench-compare-microdiff.mjs /tmp/compare-dump
// SP_BENCH_ROUNDS (50) as for bench-compare.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dumpDir = process.argv[2] ?? '/tmp/compare-dump';
const moduleDir = process.env.MICRODIFF_DIR ?? process.cwd();
const rounds = Number(process.env.SP_BENCH_ROUNDS ?? 50);

const require = createRequire(join(moduleDir, 'package.json'));
const { default: diff } = await import(pathToFileURL(require.resolve('microdiff')).href
  .replace(/index\.cjs$/, 'index.js'));

const oldText = readFileSync(join(dumpDir, 'old.json'), 'utf8');
const newText = readFileSync(join(dumpDir, 'new.json'), 'utf8');
const oldSnapshot = JSON.parse(oldText);
const newSnapshot = JSON.parse(newText);

// The leaves of a snapshot, as sp_version_compare counts them (an empty object
// or array is a leaf), for the record.
function countLeaves (value) {
  if (value === null || typeof value !== 'object')
    return 1;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.length === 0 ? 1 : children.reduce((n, child) => n + countLeaves(child), 0);
}

// SP_BENCH_CPU_TIME=1: the process's CPU time (µs resolution) rather than the wall clock.
const cpuTime = process.env.SP_BENCH_CPU_TIME !== undefined;

function measure (what, fn) {
  const times = [];
  let result;
  for (let round = 0; round < 5; round++)
    fn();   // warm-up (and JIT)
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    result = fn();
    const cpu = process.cpuUsage(startCpu);
    times.push(cpuTime ? (cpu.user + cpu.system) / 1e3 : Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)];
  const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 95 / 100))];
  console.log(`${what.padEnd(40)} p50 ${p50.toFixed(3).padStart(8)} ms   p95 ${p95.toFixed(3).padStart(8)} ms   min ${times[0].toFixed(3).padStart(8)} ms`);
  return result;
}

console.log(`microdiff on ${countLeaves(oldSnapshot)} + ${countLeaves(newSnapshot)} leaves; ${rounds} rounds; node ${process.version}; ${cpuTime ? 'CPU time' : 'wall clock'}`);
const changes = measure('microdiff', () => diff(oldSnapshot, newSnapshot));
const counts = {};
for (const change of changes)
  counts[change.type] = (counts[change.type] ?? 0) + 1;
console.log(`microdiff lists ${changes.length} differences (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}), not the unchanged fields`);
measure('microdiff + JSON.stringify', () => JSON.stringify(diff(oldSnapshot, newSnapshot)));
// From the texts, as bench-compare's "read" + "compare" rows.
measure('JSON.parse (both) + microdiff', () => diff(JSON.parse(oldText), JSON.parse(newText)));
