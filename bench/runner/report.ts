import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadRecord } from '../dataset/load';
import type { Phase } from './measure';

/** One operation's measurements: throughput (closed loop), latency (paced rate), and what each request cost. */
export interface OperationResult {
  name: string;
  closed: Phase;
  rate: Phase;
  /** Every round's phases, in the order they ran; `closed` and `rate` are the median round's. */
  rounds: Array<{ closed: Phase; rate: Phase }>;
  statementsPerRequest: number;
  auditRowsPerRequest: number;
  cpuMsPerRequest: number;
  peakMemoryMb: number;
}

export interface RunReport {
  scale: string;
  startedAt: string;
  note: string;
  settings: { connections: number; rate: number; seconds: number; rounds: number };
  dataset: LoadRecord;
  operations: OperationResult[];
  ratios: { 'child-read/ceiling': number; 'child-read/sql-baseline': number };
}

/** child-read's closed-loop throughput against the ceiling's and the SQL baseline's. */
export function ratios(operations: readonly OperationResult[]): RunReport['ratios'] {
  const rps = (name: string) => operations.find((operation) => operation.name === name)?.closed.perSecond ?? NaN;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    'child-read/ceiling': round(rps('child-read') / rps('ceiling')),
    'child-read/sql-baseline': round(rps('child-read') / rps('sql-baseline')),
  };
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function markdown(report: RunReport): string {
  const { settings } = report;
  const lines = [
    `# Benchmark: ${report.scale}, ${report.startedAt}`,
    '',
    report.note,
    '',
    `child-read / ceiling: **${report.ratios['child-read/ceiling']}**; child-read / sql-baseline: **${report.ratios['child-read/sql-baseline']}**`,
    '',
    `| operation | req/s (${settings.connections} conn.) | rounds' req/s | p50 | p95 | p99 | p99 paced at ${settings.rate}/s | errors | SQL/req | audit rows/req | CPU ms/req | peak MB |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const o of report.operations) {
    lines.push(
      `| ${o.name} | ${fixed(o.closed.perSecond)} | ${o.rounds.map((r) => fixed(r.closed.perSecond)).join(', ')} | ${fixed(o.closed.p50)} ms | ${fixed(o.closed.p95)} ms | ` +
        `${fixed(o.closed.p99)} ms | ${fixed(o.rate.p99)} ms | ${o.closed.errors + o.rate.errors} | ` +
        `${fixed(o.statementsPerRequest, 1)} | ${fixed(o.auditRowsPerRequest, 2)} | ${fixed(o.cpuMsPerRequest, 1)} | ${fixed(o.peakMemoryMb)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const SCALE_ORDER = ['small', 'medium', 'national'];

/** The newest report of each scale in `folder`. */
function latestByScale(folder: string): RunReport[] {
  const latest = new Map<string, RunReport>();
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const report = JSON.parse(readFileSync(join(folder, file), 'utf8')) as RunReport;
    latest.set(report.scale, report);
  }
  return SCALE_ORDER.flatMap((scale) => latest.get(scale) ?? []);
}

/**
 * Two bar charts side by side, throughput and fixed-rate p99 per operation, one bar per scale: how the cost
 * grows from `small` to `national`. Each chart has its own linear axis from zero.
 */
function chart(reports: readonly RunReport[]): string {
  const names = reports[0]?.operations.map((operation) => operation.name) ?? [];
  const colours = ['#4e79a7', '#f28e2b', '#e15759'];
  const width = 360;
  const row = 14 * Math.max(1, reports.length) + 8;
  const height = 40 + names.length * row + 30;
  const panel = (x0: number, title: string, value: (o: OperationResult) => number, unit: string) => {
    const max = Math.max(1, ...reports.flatMap((r) => r.operations.map(value).filter(Number.isFinite)));
    const parts = [`<text x="${x0}" y="20" font-weight="bold">${title}</text>`];
    names.forEach((name, i) => {
      const y = 36 + i * row;
      parts.push(`<text x="${x0}" y="${y + 10}">${name}</text>`);
      reports.forEach((report, j) => {
        const v = value(report.operations.find((o) => o.name === name) ?? report.operations[0]);
        const w = Number.isFinite(v) ? (v / max) * (width - 130) : 0;
        parts.push(
          `<rect x="${x0 + 110}" y="${y + j * 14}" width="${w.toFixed(1)}" height="12" fill="${colours[j % 3]}"/>`,
          `<text x="${x0 + 114 + w}" y="${y + j * 14 + 10}">${fixed(v)} ${unit}</text>`,
        );
      });
    });
    return parts.join('');
  };
  const legend = reports
    .map(
      (r, j) =>
        `<rect x="${10 + j * 110}" y="${height - 18}" width="12" height="12" fill="${colours[j % 3]}"/>` +
        `<text x="${26 + j * 110}" y="${height - 8}">${r.scale}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * width + 20}" height="${height}" font-family="sans-serif" font-size="10">` +
    panel(10, 'throughput, req/s (closed loop)', (o) => o.closed.perSecond, '') +
    panel(width + 10, 'p99 at a paced rate, ms', (o) => o.rate.p99, 'ms') +
    legend +
    '</svg>\n'
  );
}

/** Writes the run's JSON and Markdown, and redraws the chart over the newest run of each scale. */
export function writeReport(folder: string, report: RunReport): string {
  mkdirSync(folder, { recursive: true });
  const stem = join(folder, `${report.startedAt.replace(/[:.]/g, '-')}-${report.scale}`);
  writeFileSync(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${stem}.md`, markdown(report));
  writeFileSync(join(folder, 'chart.svg'), chart(latestByScale(folder)));
  return stem;
}
