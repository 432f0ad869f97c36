import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { DevenvLabel, type LabelFilter } from '../runtime/container-spec.js';
import type { Clock } from '../util/clock.js';
import type { DeliberateStops } from './deliberate-stops.js';

export interface WatchContainersOptions {
  runtime: ContainerRuntime;
  filter: LabelFilter;
  clock: Clock;
  dispatch: (event: EnvironmentEvent) => void;
  signal: AbortSignal;
  /** Stops the supervisor asked for: their `die` is not a crash, whatever the exit code. */
  deliberate?: DeliberateStops;
}

/**
 * Turns the engine's container events into state changes the user sees: a dependency that dies on its
 * own is `crashed` (with its exit code), one the engine restarts is `starting` again. Stops, removals
 * and health changes devenv causes itself are already reported by the code that causes them: a stop
 * it asked for (`deliberate`; 137 when the process ignored SIGTERM) or one ended by SIGTERM (143) is
 * no crash.
 */
export async function watchContainers(options: WatchContainersOptions): Promise<void> {
  const { runtime, filter, clock, dispatch, signal } = options;
  for await (const event of runtime.events({ filter, signal })) {
    const name = event.labels[DevenvLabel.name];
    if (name === undefined) continue;
    const kind = event.labels['devenv.kind'] === 'service' ? 'service' : 'dependency';
    if (options.deliberate?.explains(event)) continue;
    if (
      event.action === 'die' &&
      event.exitCode !== undefined &&
      event.exitCode !== 0 &&
      event.exitCode !== 143
    ) {
      dispatch({
        type: 'resource',
        at: clock.now(),
        name,
        kind,
        state: 'crashed',
        detail: `exited with code ${event.exitCode}`,
      });
    } else if (event.action === 'health_status' && event.health === 'unhealthy') {
      dispatch({ type: 'resource', at: clock.now(), name, kind, state: 'crashed', detail: 'unhealthy' });
    }
  }
}
