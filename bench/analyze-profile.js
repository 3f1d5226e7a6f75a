#!/usr/bin/env node
// Where the time goes in a V8 .cpuprofile (node --cpu-prof): self time per function, time per
// package, and inclusive time of the functions on the request and dispatch paths.
//
//   node bench/analyze-profile.js <file.cpuprofile> [--from <us>] [--to <us>] [--top 25] [--json]
//
// --from/--to keep the samples within a window, in the profile's own clock (process.hrtime in µs;
// bench/profile.js passes the load window).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

/** Which package (or runtime bucket) a frame belongs to. */
export function packageOf(frame) {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program: native, not JS)';
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node (core modules)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return name === 'nestjs-amity-webhook' ? 'nestjs-amity-webhook (library)' : name;
  }
  // Every file of the library is named amity-*.js, wherever the build lives (dist, a snapshot, /tmp).
  if (/\/amity-[^/]+\.js$/.test(url)) return 'nestjs-amity-webhook (library)';
  if (url.includes('/bench/')) return 'bench (servers, listeners)';
  return url;
}

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const lib = url.lastIndexOf('/dist/');
  if (lib >= 0 && /\/amity-[^/]+\.js$/.test(url)) return `nestjs-amity-webhook${url.slice(lib)}`;
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return url.slice(bench + 1);
  return url.replace(/^file:\/\//, '');
}

const keyOf = (f) => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;

/**
 * @param {object} profile parsed .cpuprofile
 * @param {{ from?: number, to?: number }} window µs, profile clock
 */
export function analyze(profile, { from = -Infinity, to = Infinity } = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map();
  const inclusive = new Map();
  const byPackage = new Map();
  let t = profile.startTime;
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < from || t > to) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0; // the sample's share: time until the next one
    const node = nodes.get(profile.samples[i]);
    const frame = node.callFrame;
    total += dt;
    if (frame.functionName === '(idle)') {
      idle += dt;
      continue;
    }
    const key = keyOf(frame);
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const f = nodes.get(id).callFrame;
      if (f.functionName === '(root)') continue;
      const k = keyOf(f);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const busy = total - idle;
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { totalUs: total, idleUs: idle, busyUs: busy, self: sorted(self), inclusive: sorted(inclusive), byPackage: sorted(byPackage) };
}

/** Inclusive time of the functions that matter for the webhook path, when present. */
const INTERESTING = [
  /^handle .*request-handler/,
  /^process .*request-handler/,
  /^verifyAmitySignature /,
  /^parse .*secure-json-parse/,
  /^claimAndEnqueue /,
  /^claim .*idempotency/,
  /^enqueue .*dispatcher/,
  /^dispatch .*dispatcher/,
  /^runListener /,
  /^reportFailure /,
  /^emitMeta /,
  /^validateAmityEventData /,
  /^plainToInstance /,
  /^validateSync /,
  /^transform .*class-transformer/,
  /^execute .*ValidationExecutor/,
  /^error .*logger/i,
  /^printMessages .*console-logger/,
  /^writeSync /,
  /^canActivate /,
  /^transform .*validation\.pipe/,
  /^emit .*eventemitter2/,
  /^createHmac /,
  /^digest /,
  /^send .*reply/,
  /^onSendEnd /,
  /^parseOnSock|^parserOnHeadersComplete|^parserOnBody|^parserOnMessageComplete/,
];

export function report(result, { top = 25 } = {}) {
  const pct = (us) => `${((100 * us) / result.busyUs).toFixed(1).padStart(5)}%`;
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const lines = [];
  lines.push(`window ${(result.totalUs / 1e6).toFixed(2)} s, busy ${(result.busyUs / 1e6).toFixed(2)} s (${((100 * result.busyUs) / result.totalUs).toFixed(0)}% of the window), idle ${(result.idleUs / 1e6).toFixed(2)} s; shares below are of busy time`);
  lines.push('', 'by package (self time):');
  for (const [name, us] of result.byPackage.slice(0, 15)) lines.push(`  ${pct(us)} ${ms(us)}  ${name}`);
  lines.push('', `top ${top} functions by self time:`);
  for (const [name, us] of result.self.slice(0, top)) lines.push(`  ${pct(us)} ${ms(us)}  ${name}`);
  lines.push('', 'inclusive time of request/dispatch path functions:');
  for (const pattern of INTERESTING) {
    for (const [name, us] of result.inclusive.filter(([k]) => pattern.test(k)).slice(0, 2)) lines.push(`  ${pct(us)} ${ms(us)}  ${name}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, top: { type: 'string', default: '25' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) {
    console.error('usage: node bench/analyze-profile.js <file.cpuprofile> [--from us] [--to us] [--top n] [--json]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
  const result = analyze(profile, { from: values.from ? Number(values.from) : undefined, to: values.to ? Number(values.to) : undefined });
  if (values.json) console.log(JSON.stringify({ ...result, self: result.self.slice(0, 100), inclusive: result.inclusive.slice(0, 200) }));
  else console.log(report(result, { top: Number(values.top) }));
}
