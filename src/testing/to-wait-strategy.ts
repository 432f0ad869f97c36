import { Wait, type WaitStrategy } from 'testcontainers';
import type { WaitSpec } from './wait-plan.js';

/** A wait plan as the testcontainers strategy it describes, with the readiness timeout of devenv.yaml. */
export function toWaitStrategy({ plan, timeoutMs }: WaitSpec): WaitStrategy {
  switch (plan.kind) {
    case 'command':
      return Wait.forSuccessfulCommand(plan.shell).withStartupTimeout(timeoutMs);
    case 'ports':
      return Wait.forListeningPorts().withStartupTimeout(timeoutMs);
    case 'http': {
      const { status } = plan;
      const http = Wait.forHttp(plan.path, plan.port, { abortOnContainerExit: true });
      return (
        status === undefined
          ? http.forStatusCodeMatching((code) => code >= 200 && code < 400)
          : http.forStatusCode(status)
      ).withStartupTimeout(timeoutMs);
    }
    case 'log':
      return Wait.forLogMessage(new RegExp(plan.pattern)).withStartupTimeout(timeoutMs);
    case 'running':
      return Wait.forAll([]).withStartupTimeout(timeoutMs);
  }
}
