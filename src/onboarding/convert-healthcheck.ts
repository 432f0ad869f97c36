import { devenvDuration } from './compose-durations.js';
import { type ComposeEntity, isSubstitute, leaveOutForSubstitute } from './compose-entity.js';
import type { ReadyDraft } from './devenv-draft.js';
import { parseHealthcheck } from './parse-healthcheck.js';
import type { ServiceContext } from './service-context.js';

/** `healthcheck:` → `ready:`; a preset brings its own readiness check instead. */
export function convertHealthcheck(context: ServiceContext, entity: ComposeEntity, value: unknown): void {
  if (value === undefined) return;
  if (isSubstitute(entity)) {
    leaveOutForSubstitute(context, entity, 'healthcheck');
    return;
  }
  if (entity.preset) {
    context.note('healthcheck', `the ${entity.preset.name} preset's own readiness check is used`);
    return;
  }
  const parsed = parseHealthcheck(value);
  if (!parsed.ok) context.warn('healthcheck', `${parsed.problem}; left out`);
  else if (parsed.value) {
    const check = parsed.value;
    const command =
      typeof check.command === 'string' ? context.resolve(check.command) : check.command.map(context.resolve);
    // Compose gives up after start_period + interval × retries; devenv's timeout is the whole wait.
    const giveUp = (check.startPeriodMs ?? 0) + (check.intervalMs ?? 30_000) * (check.retries ?? 3);
    const ready: ReadyDraft = { command };
    if (check.intervalMs !== undefined) ready.interval = devenvDuration(check.intervalMs);
    ready.timeout = devenvDuration(Math.max(60_000, giveUp));
    entity.spec.ready = ready;
    entity.hasReady = true;
  }
}
