// Runs the benchmarks side by side with their peers, prints the figures and writes them into
// bench/README.md between `<!-- results:NAME:start -->` and `<!-- results:NAME:end -->`.
//
//   npm run bench                     every benchmark (builds first)
//   npm run bench -- up-down          one by name
//   npm run bench -- --runs 11        measured repetitions per scenario and tool (default 7, minimum 5)
//   npm run bench -- --no-write       print only; leave bench/README.md alone
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchModule, BenchResult, DetailTable, ScenarioSamples } from './types.js';

/** Every benchmark by name; each is `bench/NAME.ts`, loaded only when selected. */
const BENCHMARKS = ['up-down', 'edit-to-serving', 'router', 'tui', 'preview'] as const;
const DEFAULT_RUNS = 7;
const MIN_RUNS = 5;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const readmePath = fileURLToPath(new URL('README.md', import.meta.url));
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** A wrong argument: printed as one line, without a stack. */
class BenchUsageError extends Error {}

interface Options {
  names: string[];
  runs: number;
  write: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const names: string[] = [];
  let runs = Number(process.env.BENCH_RUNS ?? DEFAULT_RUNS);
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--runs') runs = Number(argv[++i]);
    else if (arg.startsWith('--runs=')) runs = Number(arg.slice('--runs='.length));
    else if (arg === '--no-write') write = false;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`usage: npm run bench -- [${BENCHMARKS.join('|')}]... [--runs N] [--no-write]\n`);
      process.exit(0);
    } else if ((BENCHMARKS as readonly string[]).includes(arg)) names.push(arg);
    else
      throw new BenchUsageError(`unknown benchmark or option: ${arg} (benchmarks: ${BENCHMARKS.join(', ')})`);
  }
  if (!Number.isInteger(runs) || runs < MIN_RUNS)
    throw new BenchUsageError(`--runs must be an integer ≥ ${MIN_RUNS}`);
  return { names: names.length > 0 ? names : [...BENCHMARKS], runs, write };
}

// ---------------------------------------------------------------------------------------------------
// Statistics and formatting

interface Summary {
  median: number;
  min: number;
  max: number;
}

function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

const ms = (value: number): string => `${Math.round(value)}`;
const ratio = (peer: number, devenv: number): string => `${(peer / devenv).toFixed(2)}×`;

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function scenarioRows(scenarios: readonly ScenarioSamples[]): { header: string[]; rows: string[][] } {
  const header = [
    'scenario',
    'devenv median',
    'devenv min–max',
    'compose median',
    'compose min–max',
    'compose / devenv',
  ];
  const rows = scenarios.map((scenario) => {
    const devenv = summarize(scenario.devenv);
    const peer = summarize(scenario.peer);
    return [
      scenario.name,
      `${ms(devenv.median)} ms`,
      `${ms(devenv.min)}–${ms(devenv.max)}`,
      `${ms(peer.median)} ms`,
      `${ms(peer.min)}–${ms(peer.max)}`,
      ratio(peer.median, devenv.median),
    ];
  });
  return { header, rows };
}

// ---------------------------------------------------------------------------------------------------
// The machine

const run = promisify(execFile);

async function output(command: string, args: string[]): Promise<string> {
  try {
    return (await run(command, args)).stdout.trim();
  } catch {
    return 'unknown';
  }
}

interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: string;
  kernel: string;
  engine: string;
  node: string;
  compose: string;
  load: string;
}

async function describeMachine(): Promise<Machine> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const engine = await output('docker', [
    'info',
    '--format',
    '{{.ServerVersion}} ({{.Driver}}, cgroup {{.CgroupVersion}}, {{.NCPU}} CPUs)',
  ]);
  return {
    date: new Date().toISOString(),
    cpu,
    cores: availableParallelism(),
    memoryGiB: (totalmem() / 2 ** 30).toFixed(1),
    kernel: `${type()} ${release()}`,
    engine: `Docker Engine ${engine}`,
    node: process.version,
    compose: await output('docker-compose', ['version', '--short']),
    load: loadavg()
      .map((value) => value.toFixed(2))
      .join(' '),
  };
}

function machineLines(machine: Machine, loadAfter: string): string[] {
  return [
    `- date: ${machine.date}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGiB} GiB`,
    `- kernel: ${machine.kernel}`,
    `- engine: ${machine.engine}`,
    `- Node ${machine.node}; docker-compose ${machine.compose}`,
    `- load average (1/5/15 min) before: ${machine.load}; after: ${loadAfter} (the engine is shared with other test runs)`,
  ];
}

// ---------------------------------------------------------------------------------------------------
// Report

function detailMarkdown(detail: DetailTable): string {
  return [
    `**${detail.title}**`,
    '',
    markdownTable(
      ['', ...detail.columns],
      detail.rows.map((row) => [row.label, ...row.cells]),
    ),
    ...detail.notes.flatMap((note) => ['', note]),
  ].join('\n');
}

function resultMarkdown(
  name: string,
  result: BenchResult,
  machine: Machine,
  loadAfter: string,
  runs: number,
): string {
  // A benchmark of rates and percentiles (router) has detail tables only, not timed scenarios.
  if (result.scenarios.length === 0) {
    return [
      `Generated by \`npm run bench -- ${name}\` (peer: ${result.peer}).`,
      '',
      ...machineLines(machine, loadAfter),
      '',
      ...result.details.map(detailMarkdown).join('\n\n').split('\n'),
    ].join('\n');
  }
  const { header, rows } = scenarioRows(result.scenarios);
  const raw = result.scenarios.map(
    (scenario) =>
      `- ${scenario.name}: devenv ${scenario.devenv.map(ms).join(', ')}; compose ${scenario.peer.map(ms).join(', ')}`,
  );
  return [
    `Generated by \`npm run bench -- ${name}\` (${runs} measured runs per scenario and tool, interleaved; peer: ${result.peer}).`,
    '',
    ...machineLines(machine, loadAfter),
    '',
    markdownTable(header, rows),
    '',
    'Ratio above 1: devenv is faster. Times in ms, wall clock from spawning the command.',
    '',
    ...result.details.flatMap((detail) => [detailMarkdown(detail), '']),
    '<details><summary>Every sample (ms, in run order)</summary>',
    '',
    ...raw,
    '',
    '</details>',
  ].join('\n');
}

async function writeReadme(name: string, markdown: string): Promise<void> {
  const start = `<!-- results:${name}:start -->`;
  const end = `<!-- results:${name}:end -->`;
  const current = await readFile(readmePath, 'utf8').catch(() => '# Benchmarks\n');
  const block = `${start}\n${markdown}\n${end}`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from !== -1 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n## Results: ${name}\n\n${block}\n`;
  await writeFile(readmePath, next);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const machine = await describeMachine();
  for (const name of options.names) {
    log(`bench: ${name} (${options.runs} runs per scenario and tool)`);
    // A computed specifier: Node loads the `.ts` file; tsc checks the shape through BenchModule.
    const specifier = new URL(`./${name}.ts`, import.meta.url).href;
    const bench = (await import(specifier)) as BenchModule;
    const result = await bench.run({ runs: options.runs, repoRoot, log });
    const loadAfter = loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');

    const { header, rows } = scenarioRows(result.scenarios);
    process.stdout.write(
      `\n${name}: ${bench.describe}\n${result.scenarios.length === 0 ? '' : `\n${textTable(header, rows)}\n`}`,
    );
    for (const detail of result.details) {
      process.stdout.write(
        `\n${detail.title}\n${textTable(
          ['', ...detail.columns],
          detail.rows.map((row) => [row.label, ...row.cells]),
        )}\n`,
      );
    }
    process.stdout.write(`\n${machineLines(machine, loadAfter).join('\n')}\n`);
    if (options.write) {
      await writeReadme(name, resultMarkdown(name, result, machine, loadAfter, options.runs));
      log(`bench: results written to ${readmePath}`);
    }
  }
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exitCode = 1;
});
