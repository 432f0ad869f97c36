// `devenv preview up` of examples/quickstart on this machine's engine: time to create a new branch's
// preview with every image cached, time to update one after a one-file change, and memory per preview
// (measured with 3 previews running at once, then extrapolated to the machine). No peer runs here:
// the peers are hosted services; their published figures (shared/docs/peers.md) are quoted beside ours.
import { execFile, spawn } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchContext, BenchResult } from './types.js';

export const describe =
  'Previews of examples/quickstart: create (images cached), update after a one-file change, memory per preview';

const exec = promisify(execFile);

interface Timed {
  ms: number;
  stdout: string;
  stderr: string;
}

function devenv(context: BenchContext, dir: string, env: NodeJS.ProcessEnv, args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [join(context.repoRoot, 'bin/devenv.js'), ...args], {
      cwd: dir,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms, stdout, stderr });
      else reject(new Error(`devenv ${args.join(' ')} exited ${code}:\n${stderr}`));
    });
  });
}

/** Resident memory of the preview's containers, from the engine's stats (MiB). */
async function previewMemoryMiB(id: string): Promise<number> {
  const { stdout: ids } = await exec('docker', ['ps', '-q', '--filter', `label=devenv.preview=${id}`]);
  const list = ids.split('\n').filter(Boolean);
  if (list.length === 0) return 0;
  const { stdout } = await exec('docker', ['stats', '--no-stream', '--format', '{{.MemUsage}}', ...list]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => toMiB(line.split('/')[0]?.trim() ?? '0'))
    .reduce((a, b) => a + b, 0);
}

function toMiB(text: string): number {
  const match = /^([\d.]+)\s*([KMG]i?B|B)$/.exec(text);
  if (!match) return 0;
  const value = Number(match[1]);
  const unit = match[2] ?? 'B';
  if (unit.startsWith('G')) return value * 1024;
  if (unit.startsWith('M')) return value;
  if (unit.startsWith('K')) return value / 1024;
  return value / 1024 / 1024;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export async function run(context: BenchContext): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'devenv-bench-preview-'));
  const state = await mkdtemp(join(tmpdir(), 'devenv-bench-preview-state-'));
  const env = { ...process.env, DEVENV_STATE_DIR: state, NO_COLOR: '1' };
  const project = `bench-preview-${process.pid}`;
  const branches: string[] = [];
  const up = async (branch: string) => {
    if (!branches.includes(branch)) branches.push(branch);
    return devenv(context, dir, env, ['preview', 'up', '--branch', branch]);
  };
  try {
    await cp(join(context.repoRoot, 'examples/quickstart'), dir, { recursive: true });
    await exec('sed', ['-i', `s/^name: quickstart$/name: ${project}/`, join(dir, 'devenv.yaml')]);
    context.log('preview: npm ci in a copy of examples/quickstart (its node_modules go into the image)');
    await exec('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });

    context.log('preview: warm-up (pulls and builds once)');
    await up('bench/warm-up');
    await devenv(context, dir, env, ['preview', 'down', '--branch', 'bench/warm-up']);

    const create: number[] = [];
    for (let i = 0; i < context.runs; i++) {
      const branch = `bench/create-${i}`;
      create.push((await up(branch)).ms);
      context.log(`preview: create ${i + 1}/${context.runs}: ${seconds(create.at(-1) ?? 0)}`);
      await devenv(context, dir, env, ['preview', 'down', '--branch', branch]);
    }

    await up('bench/update');
    const update: number[] = [];
    for (let i = 0; i < context.runs; i++) {
      await appendFile(join(dir, 'src/server.js'), `// edit ${i}\n`);
      update.push((await up('bench/update')).ms);
      context.log(`preview: update ${i + 1}/${context.runs}: ${seconds(update.at(-1) ?? 0)}`);
    }

    // Memory: three previews side by side, once they have served a request (idle afterwards).
    await up('bench/m1');
    await up('bench/m2');
    const list = JSON.parse((await devenv(context, dir, env, ['preview', 'ls', '--json'])).stdout) as {
      id: string;
      branch: string;
    }[];
    const measured = list.filter((p) => ['bench/update', 'bench/m1', 'bench/m2'].includes(p.branch));
    const perPreview = await Promise.all(measured.map((p) => previewMemoryMiB(p.id)));
    const meanMiB = perPreview.reduce((a, b) => a + b, 0) / Math.max(1, perPreview.length);
    const totalGiB = totalmem() / 2 ** 30;
    const freeGiB = freemem() / 2 ** 30;
    // Keep 2 GiB for the host and the engine itself; the rest is for previews.
    const fit = Math.floor(((totalGiB - 2) * 1024) / meanMiB);

    return {
      peer: 'published figures (shared/docs/peers.md)',
      scenarios: [],
      details: [
        {
          title:
            'Time to a ready preview (quickstart: postgres:17, redis:8, the Node API built from node:24)',
          columns: ['devenv median', 'devenv min–max', 'runs', 'goal', 'peers (published)'],
          rows: [
            {
              label: 'create a new branch’s preview, images cached',
              cells: [
                seconds(median(create)),
                `${seconds(Math.min(...create))}–${seconds(Math.max(...create))}`,
                String(create.length),
                '< 15 s',
                'Uffizzi 33 s – 1 min 39 s; Okteto up to 5 min; Heroku review apps up to 10 min',
              ],
            },
            {
              label: 'update after a one-file change (rebuild + blue-green swap)',
              cells: [
                seconds(median(update)),
                `${seconds(Math.min(...update))}–${seconds(Math.max(...update))}`,
                String(update.length),
                '< 5 s',
                'none published',
              ],
            },
          ],
          notes: [
            'Wall clock of `devenv preview up` until it exits (every dependency and service ready, old service containers removed).',
          ],
        },
        {
          title: 'Memory per preview and how many fit',
          columns: ['value'],
          rows: [
            { label: 'previews measured at once', cells: [String(perPreview.length)] },
            {
              label: 'memory per preview (sum of its containers, engine stats)',
              cells: [`${meanMiB.toFixed(0)} MiB (${perPreview.map((v) => v.toFixed(0)).join(', ')})`],
            },
            {
              label: 'machine memory / free during the measure',
              cells: [`${totalGiB.toFixed(1)} / ${freeGiB.toFixed(1)} GiB`],
            },
            {
              label: 'previews that fit (extrapolated: (total − 2 GiB) / per preview)',
              cells: [String(fit)],
            },
          ],
          notes: [
            'Extrapolated from 3 idle previews, not measured at that count; with 2 cores, CPU (builds, Postgres start) bounds how many can be *created at once* long before memory bounds how many can *run*. No vendor publishes this figure (shared/docs/peers.md).',
          ],
        },
      ],
    };
  } finally {
    for (const branch of branches) {
      await devenv(context, dir, env, ['preview', 'down', '--branch', branch]).catch((error: Error) =>
        context.log(`preview: cleanup of ${branch} failed: ${error.message}`),
      );
    }
    await rm(dir, { recursive: true, force: true });
    await rm(state, { recursive: true, force: true });
  }
}
