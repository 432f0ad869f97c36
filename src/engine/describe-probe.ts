import type { ReadinessProbe } from '../model/readiness.js';

/** How a readiness check reads in a message: "`pg_isready -U app` in the container", "TCP 6379". */
export function describeProbe(probe: ReadinessProbe): string {
  switch (probe.kind) {
    case 'command':
      return `\`${commandText(probe.command)}\` in the container`;
    case 'tcp':
      return `a TCP connection to port ${probe.port}`;
    case 'http':
      return `HTTP GET ${probe.path} on port ${probe.port}${probe.status === undefined ? '' : ` answering ${probe.status}`}`;
    case 'log':
      return `a log line matching /${probe.pattern}/`;
  }
}

/** A shell string from devenv.yaml arrives as ['sh', '-c', string]; show it as the user wrote it. */
function commandText(command: readonly string[]): string {
  return command[0] === 'sh' && command[1] === '-c' && command.length === 3
    ? (command[2] ?? '')
    : command.join(' ');
}
