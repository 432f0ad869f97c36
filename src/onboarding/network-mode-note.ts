// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import type { ServiceContext } from './service-context.js';

/**
 * `network_mode:` → a line naming the value. devenv runs every container on the environment network,
 * where the others reach it by name: for `bridge` (a network of its own, no worse off) that is a note;
 * `host`, `none` and a shared network stack (`service:x`, `container:x`) change behaviour, so warnings.
 */
export function noteNetworkMode(context: ServiceContext, value: unknown): void {
  const mode = String(value);
  const shared = /^(service|container):(.+)$/.exec(mode);
  if (mode === 'bridge' || mode === 'default')
    context.note(
      'network_mode',
      `\`${mode}\` not converted: devenv runs every container on the environment network, where it reaches the others by name; nothing to do`,
    );
  else if (mode === 'host')
    context.warn(
      'network_mode',
      '`host` networking is not supported: the container runs on the environment network, so `localhost` is the container itself; reach other containers by their devenv name (`${NAME.host}` in env values) and local processes as `host.docker.internal`',
    );
  else if (mode === 'none')
    context.warn(
      'network_mode',
      '`none` is not supported: the container runs on the environment network, with access to the others',
    );
  else if (shared)
    context.warn(
      'network_mode',
      `\`${mode}\` (sharing the network of \`${shared[2]}\`) is not supported: the container gets its own address on the environment network, so \`localhost\` no longer reaches \`${shared[2]}\`; use its devenv name instead`,
    );
  else
    context.warn(
      'network_mode',
      `\`${mode}\` is not supported: devenv runs every container on the environment network`,
    );
}
