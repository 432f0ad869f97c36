import { readFile } from 'node:fs/promises';
import { ExternalError } from '../errors/devenv-error.js';
import type { ResolvedSeed } from '../model/resolved-environment.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';

/** psql in the dependency's container as its configured user and database (the official image's env). */
const PSQL = [
  'sh',
  '-c',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: `${…}` is the container shell's, not JavaScript's.
  'psql -v ON_ERROR_STOP=1 -q -U "${POSTGRES_USER:-postgres}" -d "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"',
];

/** Runs a new preview's seed in its target's (oldest running) container; fails with the seed's output. */
export async function runSeed(
  runtime: ContainerRuntime,
  options: { project: string; env: string; seed: ResolvedSeed; signal: AbortSignal },
): Promise<void> {
  const { seed } = options;
  const containers = (
    await runtime.listContainers({
      'devenv.project': options.project,
      'devenv.env': options.env,
      'devenv.name': seed.target,
    })
  )
    .filter((container) => container.state === 'running')
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const container = containers[0];
  if (container === undefined)
    throw new ExternalError(
      'PREVIEW_SEED_FAILED',
      `Cannot seed: ${seed.target} is not running in the preview.`,
    );
  const result =
    seed.kind === 'command'
      ? await runtime.exec(container.id, seed.command, { signal: options.signal })
      : await runtime.exec(container.id, PSQL, { stdin: await readFile(seed.file), signal: options.signal });
  if (result.exitCode !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new ExternalError(
      'PREVIEW_SEED_FAILED',
      `The preview's seed failed in ${seed.target} (exit ${result.exitCode}).${output ? `\n${output}` : ''}`,
      {
        hint: 'Fix the seed in devenv.yaml (preview.seed), then `devenv preview down` and `devenv preview up` to seed afresh.',
      },
    );
  }
}
