import { ExternalError } from '../../errors/devenv-error.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';

const MIN_NODE = [22, 22] as const;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export const doctorCommand = defineCommand({
  command: 'doctor',
  describe: 'Check that this machine has what devenv needs, and say how to fix what is missing',
  builder: (yargs) =>
    yargs.option('json', { type: 'boolean', default: false, describe: 'Print the checks as JSON' }),
  run: async (args, { io }) => {
    const checks: Check[] = [checkNode(process.versions.node)];
    try {
      const engine = await (await openRuntime(io.env)).ping();
      const mirrors =
        engine.registryMirrors.length > 0 ? `, mirrors: ${engine.registryMirrors.join(', ')}` : '';
      checks.push({
        name: 'docker engine',
        ok: true,
        detail: `${engine.serverVersion} (API ${engine.apiVersion}, ${engine.os}${mirrors})`,
      });
    } catch (error) {
      if (!(error instanceof ExternalError)) throw error;
      checks.push({
        name: 'docker engine',
        ok: false,
        detail: error.message,
        fix: `${error.hint ?? 'Start a Docker engine.'} On Debian/Ubuntu, as root, devenv's \`bash scripts/provision.sh\` installs and starts one.`,
      });
    }

    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: checks.every((c) => c.ok), checks }, null, 2)}\n`);
    } else {
      for (const check of checks) {
        io.stdout(`${check.ok ? '✔' : '✖'} ${check.name}: ${check.detail}\n`);
        if (check.fix) io.stdout(`  fix: ${check.fix}\n`);
      }
    }
    return checks.every((c) => c.ok) ? 0 : 1;
  },
});

export function checkNode(version: string): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    name: 'node',
    ok,
    detail: `v${version}${ok ? '' : ` is older than v${MIN_NODE.join('.')}`}`,
    ...(ok
      ? {}
      : {
          fix: 'Install Node ≥ 22.22 (or run `bash scripts/provision.sh`, which puts one in ~/.cache/devenv).',
        }),
  };
}
