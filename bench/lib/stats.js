// Small statistics, formatting and machine-load helpers.
import { readFileSync } from 'node:fs';

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const fmtMs = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const fmtMiB = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(1)} MiB` : 'n/a');
export const fmtRatio = (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
export const fmtPct = (n) => (Number.isFinite(n) ? `${Math.round(n * 100)}%` : 'n/a');

/** A plain-text table: `columns` are `[header, align]`, rows arrays of strings. */
export function table(columns, rows) {
  const widths = columns.map(([h], i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const cell = (text, i) => (columns[i][1] === 'left' ? String(text).padEnd(widths[i]) : String(text).padStart(widths[i]));
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (columns[i][1] === 'left' ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(columns.map(([h]) => h)), rule, ...rows.map(line)].join('\n');
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** Machine-wide CPU counters (seconds), or undefined off Linux. */
export function machineCpu() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
    return {
      busy: (user + nice + system + irq + softirq) / CLOCK_TICKS,
      idle: (idle + iowait) / CLOCK_TICKS,
      steal: (steal ?? 0) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU (in cores) used on the machine between two `machineCpu()` readings by anything other than
 * `ownCpuS` seconds of our own processes: other people's builds and tests, mostly.
 */
export function foreignCores(before, after, elapsedS, ownCpuS) {
  if (!before || !after || elapsedS <= 0) return NaN;
  return Math.max(0, (after.busy - before.busy - ownCpuS) / elapsedS);
}

export function stealCores(before, after, elapsedS) {
  if (!before || !after || elapsedS <= 0) return NaN;
  return (after.steal - before.steal) / elapsedS;
}

/** Waits until the machine is nearly idle (other processes below `maxCores`), up to `maxWaitMs`. */
export async function waitForQuiet({ maxCores = 0.2, maxWaitMs = 20_000, windowMs = 500 } = {}) {
  const started = performance.now();
  let load = NaN;
  for (;;) {
    const a = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const b = machineCpu();
    if (!a || !b) return { waitedMs: 0, load: NaN };
    load = (b.busy - a.busy) / (windowMs / 1000);
    const waitedMs = performance.now() - started;
    if (load <= maxCores || waitedMs >= maxWaitMs) return { waitedMs, load };
  }
}
