import type { ComposeEntity } from './compose-entity.js';
import type { ServiceContext } from './service-context.js';

/** `restart:` → a service's `restart:` (a one-shot task's is `no`); devenv watches dependencies itself. */
export function convertRestart(
  context: ServiceContext,
  entity: ComposeEntity,
  value: unknown,
  oneShot: boolean,
): void {
  if (entity.section === 'services') {
    const restart = typeof value === 'string' ? value : undefined;
    if (oneShot) entity.spec.restart = 'no';
    else if (restart === 'always' || restart === 'unless-stopped') entity.spec.restart = 'always';
  } else if (value !== undefined) {
    context.note(
      'restart',
      'devenv watches dependencies itself (a crash shows in `devenv status`); left out',
    );
  }
}
