import { describe, expect, it } from 'vitest';
import { resolveText } from '../config/test-support/config-fixture.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import { FakeClock } from '../util/fake-clock.js';
import { ServiceProcesses } from './service-processes.js';

describe('ServiceProcesses', () => {
  it('does not start a service whose container prerequisite failed in this up, and says why', async () => {
    const { environment, problems } = resolveText(`
name: shop
services:
  api:
    build: .
  web:
    run: node server.js
    depends_on: [api]
`);
    if (!environment) throw new Error(problems.join('\n'));
    const events: EnvironmentEvent[] = [];
    const services = new ServiceProcesses({
      clock: new FakeClock(),
      baseEnv: {},
      emit: (event) => events.push(event),
    });

    await services.reconcile(environment, new Set(['api']));

    expect(services.has('web')).toBe(false);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'resource',
        name: 'web',
        state: 'failed',
        detail: 'not started because api failed',
      }),
    ]);
  });
});
