import type { ContainerRuntimeClient } from 'testcontainers';
import { probeHttp, probeTcp } from '../host/probe-port.js';
import { execCommand } from '../runtime/docker/exec-command.js';
import { engineEndpoint } from './engine-client.js';
import type { ReadinessCheck } from './polling-wait.js';

/**
 * The readiness checks of `PollingWait`, one attempt each, with the meaning of testcontainers'
 * strategies of the same name. Commands run through devenv's own exec, which closes its connection when
 * the attempt's signal aborts (testcontainers' exec opens the command's stdin and, when the engine
 * refuses it, as for a container being removed, leaves that request open for good).
 */

/** `Wait.forSuccessfulCommand`: the shell line exits 0 in the container. */
export function commandSucceeds(client: ContainerRuntimeClient, shell: string): ReadinessCheck {
  return async (container, _ports, signal) =>
    (await exitCode(client, container.id, ['/bin/sh', '-c', shell], signal)) === 0;
}

/**
 * `Wait.forListeningPorts`: every published TCP port accepts connections from the host and is listened
 * on inside the container (the engine's proxy accepts connections before the server listens).
 */
export function portsListen(client: ContainerRuntimeClient): ReadinessCheck {
  return async (container, boundPorts, signal) => {
    for (const [key, hostPort] of boundPorts.iterator()) {
      if (key.toLowerCase().endsWith('/udp')) continue;
      if (!(await probeTcp(hostPort)).ready) return false;
      signal.throwIfAborted();
      if (!(await listensInside(client, container.id, Number.parseInt(key, 10), signal))) return false;
    }
    return true;
  };
}

/** testcontainers' three ways to see a listening port from inside, the first that works. */
async function listensInside(
  client: ContainerRuntimeClient,
  id: string,
  port: number,
  signal: AbortSignal,
): Promise<boolean> {
  const hex = port.toString(16).padStart(4, '0');
  const commands = [
    ['/bin/sh', '-c', `cat /proc/net/tcp* | awk '{print $2}' | grep -i :${hex}`],
    ['/bin/sh', '-c', `nc -vz -w 1 localhost ${port}`],
    ['/bin/bash', '-c', `</dev/tcp/localhost/${port}`],
  ];
  for (const command of commands) if ((await exitCode(client, id, command, signal)) === 0) return true;
  return false;
}

/**
 * `Wait.forHttp(path, port, { abortOnContainerExit: true })`: GET answers `status` (any 2xx/3xx when
 * undefined); a container that exited fails the wait at once instead of at the timeout.
 */
export function httpAnswers(
  client: ContainerRuntimeClient,
  path: string,
  port: number,
  status: number | undefined,
): ReadinessCheck {
  return async (container, boundPorts, signal) => {
    const { State } = await client.container.inspect(container);
    if (State.Status === 'exited') throw new Error(`the container exited with code ${State.ExitCode}`);
    signal.throwIfAborted();
    return (await probeHttp(boundPorts.getBinding(port), path, status)).ready;
  };
}

async function exitCode(
  client: ContainerRuntimeClient,
  id: string,
  command: readonly string[],
  signal: AbortSignal,
): Promise<number> {
  const result = await execCommand(client.container.dockerode, id, command, { signal }, engineEndpoint());
  return result.exitCode;
}
