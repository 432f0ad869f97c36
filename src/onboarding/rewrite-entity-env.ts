import type { ComposeEntity } from './compose-entity.js';
import { type AddressTarget, rewriteAddresses } from './rewrite-addresses.js';
import type { ServiceContext } from './service-context.js';

/**
 * Writes the entity's `env:`, with the Compose hostnames of the other entities rewritten to the addresses
 * devenv injects; a note for each rewrite, a warning for each hostname left in a value.
 */
export function rewriteEntityEnv(
  context: ServiceContext,
  entity: ComposeEntity,
  targets: readonly AddressTarget[],
  byCompose: ReadonlyMap<string, ComposeEntity>,
): void {
  const others = targets.filter((target) => target.host !== entity.compose);
  const env: Record<string, string> = {};
  for (const [key, value] of entity.env) {
    const rewritten = rewriteAddresses(key, value, others);
    env[key] = rewritten.value;
    if (rewritten.changed)
      context.note(
        `environment.${key}`,
        `\`${value}\` → \`${rewritten.value}\` (an address devenv injects, right for containers and local processes)`,
      );
    for (const host of rewritten.leftover) {
      const name = byCompose.get(host)?.name ?? host;
      context.warn(
        `environment.${key}`,
        `\`${rewritten.value}\` names the Compose service \`${host}\` as a host: containers reach it as \`${name}\`, local processes do not; write it with \`\${${name}.host}\` and \`\${${name}.port}\` (see \`devenv env\`)`,
      );
    }
  }
  if (Object.keys(env).length > 0) entity.spec.env = env;
}
