import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { EngineEvent } from '../runtime/runtime-streams.js';

/**
 * Containers the supervisor itself is stopping (a recreate, a rebuild, a restart): the engine reports
 * their end as any other `die`, with 137 when the process ignored SIGTERM until the stop timeout, and
 * that is no crash. Every stop and removal made through `track`'s runtime is marked before the engine
 * is asked; the container's `die` consumes the mark, and its next `start` or its removal ends one
 * that produced no `die` (it was not running).
 */
export class DeliberateStops {
  readonly #stopping = new Set<string>();

  /** `runtime`, with each `stopContainer` and `removeContainer` marked as deliberate first. */
  track(runtime: ContainerRuntime): ContainerRuntime {
    const mark = (id: string): void => {
      this.#stopping.add(id);
    };
    // A proxy rather than a delegating class: only two of the port's methods differ. Methods are bound
    // to the runtime itself, whose private fields a call through the proxy could not reach.
    return new Proxy(runtime, {
      get: (target, key) => {
        if (key === 'stopContainer' || key === 'removeContainer') {
          return (id: string, ...rest: unknown[]) => {
            mark(id);
            return Reflect.apply(target[key], target, [id, ...rest]);
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** Whether this engine event is the end of a stop devenv asked for; keeps the marks up to date. */
  explains(event: EngineEvent): boolean {
    if (!this.#stopping.has(event.id)) return false;
    if (event.action === 'die' || event.action === 'start' || event.action === 'destroy') {
      this.#stopping.delete(event.id);
    }
    return event.action === 'die';
  }
}
