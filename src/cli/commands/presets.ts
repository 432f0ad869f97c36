// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { loadPresets } from '../../config/load-presets.js';
import type { Preset } from '../../config/schema/preset-schema.js';
import { UsageError } from '../../errors/devenv-error.js';
import { closestMatch } from '../../util/closest-match.js';
import { defineCommand } from '../command.js';

export const presetsCommand = defineCommand({
  command: 'presets [name]',
  describe: 'List dependency presets, or show one',
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', describe: 'Preset to show' })
      .option('json', { type: 'boolean', default: false, describe: 'Print as JSON' }),
  run: async (args, { io }) => {
    const catalog = loadPresets(undefined, args.cwd);
    if (args.name === undefined) {
      const presets = [...catalog.values()];
      if (args.json) {
        io.stdout(
          `${JSON.stringify(
            presets.map((p) => ({ name: p.name, image: p.image, description: p.description })),
            null,
            2,
          )}\n`,
        );
      } else {
        const width = Math.max(...presets.map((p) => p.name.length));
        const imageWidth = Math.max(...presets.map((p) => p.image.length));
        for (const p of presets)
          io.stdout(`${p.name.padEnd(width)}  ${p.image.padEnd(imageWidth)}  ${p.description}\n`);
        io.stdout(
          '\nUse one with `preset: NAME` under `dependencies:`; `devenv presets NAME` shows its details.\n',
        );
      }
      return 0;
    }
    const preset = catalog.get(args.name);
    if (!preset) {
      const suggestion = closestMatch(args.name, catalog.keys());
      throw new UsageError('PRESET_UNKNOWN', `unknown preset \`${args.name}\``, {
        hint: suggestion ? `did you mean \`${suggestion}\`?` : `available: ${[...catalog.keys()].join(', ')}`,
      });
    }
    io.stdout(args.json ? `${JSON.stringify(preset, null, 2)}\n` : describePreset(preset));
    return 0;
  },
});

/** A preset as a user reads it: what it runs, how to connect, and how to use it. */
export function describePreset(preset: Preset): string {
  const lines = [`${preset.name} — ${preset.description}`, '', `  image      ${preset.image}`];
  const ports = Object.entries(preset.ports ?? {}).map(
    ([name, spec]) => `${name} ${typeof spec === 'number' ? spec : spec.container}`,
  );
  if (ports.length > 0) lines.push(`  ports      ${ports.join(', ')}`);
  const volumes = Object.entries(preset.volumes ?? {}).map(([name, path]) => `${name} → ${path}`);
  if (volumes.length > 0) lines.push(`  volumes    ${volumes.join(', ')}`);
  const ready = preset.ready;
  if (ready) {
    const probe = ready.command ?? ready.tcp ?? ready.http ?? ready.log;
    const kind = ['command', 'tcp', 'http', 'log'].find((k) => ready[k as keyof typeof ready] !== undefined);
    lines.push(
      `  ready      ${kind}: ${typeof probe === 'object' && !Array.isArray(probe) ? JSON.stringify(probe) : [probe].flat().join(' ')}`,
    );
  }
  const env = Object.entries(preset.env ?? {});
  if (env.length > 0) {
    lines.push('', '  env (override under `env:`)');
    for (const [key, value] of env) lines.push(`    ${key}=${value}`);
  }
  lines.push('', '  outputs (read as ${NAME.KEY}, e.g. ${db.url})');
  for (const [key, value] of Object.entries(preset.outputs)) {
    lines.push(
      `    ${key.padEnd(20)} ${typeof value === 'string' ? value : `host: ${value.host}; network: ${value.network}`}`,
    );
  }
  lines.push(
    '',
    '  example',
    '    dependencies:',
    `      ${preset.name === 'postgres' ? 'db' : preset.name}:`,
    `        preset: ${preset.name}`,
  );
  if (preset.docs) lines.push('', `  docs: ${preset.docs}`);
  return `${lines.join('\n')}\n`;
}
