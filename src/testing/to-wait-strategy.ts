import { type ContainerRuntimeClient, Wait, type WaitStrategy } from 'testcontainers';
import { PollingWait } from './polling-wait.js';
import { commandSucceeds, httpAnswers, portsListen } from './readiness-checks.js';
import type { WaitSpec } from './wait-plan.js';

/**
 * A wait plan as the strategy it describes, with the readiness timeout of devenv.yaml. Commands, ports
 * and HTTP poll through `PollingWait`, which `signal` stops at once (with the exec or request in
 * flight); a log wait ends by itself when the container is removed, and `running` waits for nothing.
 */
export function toWaitStrategy(
  { plan, timeoutMs }: WaitSpec,
  client: ContainerRuntimeClient,
  signal: AbortSignal | undefined,
): WaitStrategy {
  switch (plan.kind) {
    case 'command':
      return new PollingWait(commandSucceeds(client, plan.shell), {
        what: `Shell command "${plan.shell}" not successful`,
        signal,
      }).withStartupTimeout(timeoutMs);
    case 'ports':
      return new PollingWait(portsListen(client), { what: 'Ports not bound', signal }).withStartupTimeout(
        timeoutMs,
      );
    case 'http':
      return new PollingWait(httpAnswers(client, plan.path, plan.port, plan.status), {
        what: `URL ${plan.path} not accessible`,
        signal,
      }).withStartupTimeout(timeoutMs);
    case 'log':
      return Wait.forLogMessage(new RegExp(plan.pattern)).withStartupTimeout(timeoutMs);
    case 'running':
      return Wait.forAll([]).withStartupTimeout(timeoutMs);
  }
}
