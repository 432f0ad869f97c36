import type { ContainerEntity } from './container-entity.js';

/** On a container whose main process runs under the restarter (see `restarterCommand`). */
export const RESTARTER_LABEL = 'devenv.restarter';

/** The signal that makes the restarter replace the service's process. */
export const RESTART_SIGNAL = 'SIGUSR1';

/** The line the restarter prints once the old process is gone, right before it starts the new one. */
export const RESTART_MARKER = '[devenv] restarting the process';

/**
 * PID 1 of a container service that hot-reloads by restarting: a POSIX shell loop that runs the
 * image's command, forwards a stop to it, and on SIGUSR1 ends it and starts it again — in the same
 * container. A container restart costs ~0.6 s of engine network teardown and setup on Linux (and a
 * request arriving while the published port's proxy is back but the container's interface is not yet
 * up stalls for a full second in ARP; see bench/README.md), a process restart only the server's start.
 * The command is not PID 1 any more, so it also gets the kernel's default SIGTERM behaviour.
 * The command's own exit (a crash) still ends the container, for the engine's restart policy.
 */
const RESTARTER_SCRIPT = [
  'restart= stop=',
  // SIGKILL after 3 s for a process that ignores SIGTERM (when the image has `sleep`).
  `trap 'restart=1; kill -TERM "$child" 2>/dev/null; (sleep 3 && kill -KILL "$child") 2>/dev/null &' USR1`,
  `trap 'stop=1; kill -TERM "$child" 2>/dev/null' TERM INT HUP`,
  'while :; do',
  '  "$@" &',
  '  child=$!',
  // `wait` returns early when a trapped signal arrives: wait again until the child is really gone.
  '  while wait "$child"; code=$?; kill -0 "$child" 2>/dev/null; do :; done',
  '  if [ -z "$restart" ] || [ -n "$stop" ]; then exit "$code"; fi',
  '  restart=',
  `  echo '${RESTART_MARKER}' >&2`,
  'done',
].join('\n');

/** Whether a file change can restart this container: a `restart` rule (alone or beside `sync`), or `run`. */
export function restartsInPlace(entity: ContainerEntity): boolean {
  return (
    entity.kind === 'service' &&
    entity.watch.some((rule) => rule.action.kind === 'restart' || rule.action.kind === 'run')
  );
}

/**
 * The entrypoint and command that run `argv` (the image's ENTRYPOINT + CMD, or the service's
 * `command:`) under the restarter. Needs `/bin/sh` in the image, as `sh -c` commands do.
 */
export function restarterCommand(argv: readonly string[]): { entrypoint: string[]; cmd: string[] } {
  return { entrypoint: ['/bin/sh', '-c', RESTARTER_SCRIPT, 'devenv-restarter'], cmd: [...argv] };
}
