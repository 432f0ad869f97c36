import type { ComposeFile } from './parse-compose-file.js';
import { parseDependsOn } from './parse-depends-on.js';

/** Services others wait for with `service_completed_successfully`: one-shot tasks, so devenv services. */
export function oneShotServices(compose: ComposeFile): Set<string> {
  const oneShot = new Set<string>();
  for (const service of Object.values(compose.services)) {
    const parsed = parseDependsOn(service.depends_on);
    if (parsed.ok)
      for (const edge of parsed.value)
        if (edge.condition === 'service_completed_successfully') oneShot.add(edge.name);
  }
  return oneShot;
}
