import { ExternalError } from '../errors/devenv-error.js';
import { PREVIEW_HOST_LABEL, PREVIEW_LABEL, PREVIEW_RECORD_LABEL } from '../preview/preview-contract.js';
import { lineOf } from '../router/batch-lines.js';
import { RouteRegistry } from '../router/route-registry.js';
import { hostName } from '../router/route-table.js';
import { environmentKeyString } from '../router/route-target.js';
import { startRouterServer } from '../router/start-router-server.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { ObservedContainer, ObservedVolume } from '../runtime/observed-state.js';
import { type Clock, systemClock } from '../util/clock.js';
import { answersHttp } from './answers-http.js';
import { redactTokens } from './gateway-access.js';
import {
  type GatewayIndex,
  gatewayAuthorizer,
  indexPreviews,
  unknownHostPage,
} from './gateway-authorizer.js';
import { type GatewayPreview, gatewayPreviews, NOT_ANSWERED } from './gateway-previews.js';
import { idlePreviews } from './idle-previews.js';

/** The periodic garbage collection of expired previews (`collectPreviewGarbage`), injected. */
export type PreviewGc = (now: Date) => Promise<void>;

export interface GatewayOptions {
  runtime: ContainerRuntime;
  port: number;
  addresses: readonly string[];
  /** Serve only records computed for this base domain; all when undefined. */
  domain?: string | undefined;
  /** Serve only these projects; all when undefined. */
  projects?: readonly string[] | undefined;
  log: (line: string) => void;
  /** Request lines, with share tokens redacted. */
  accessLog: (line: string) => void;
  /** @default a no-op */
  gc?: PreviewGc;
  /** @default 300000 */
  gcIntervalMs?: number;
  /** Re-reading the engine besides its events (records are volumes, which send no events). @default 2000 */
  pollMs?: number;
  /** How long a request for a building or waking preview is held before it gets the page. @default 10000 */
  holdMs?: number;
  clock?: Clock;
}

export interface Gateway {
  port: number;
  /** Re-reads the engine now (tests; the gateway does it by itself on events and every `pollMs`). */
  refresh(): Promise<void>;
  previews(): readonly GatewayPreview[];
  close(): Promise<void>;
}

const LOG_TAIL = 20;
const WAKE_TIMEOUT_MS = 120_000;
const WAKE_PROBE_MS = 200;
const STARTING_POLL_MS = 250;

/**
 * The preview gateway: the local router's HTTP server fed from the engine's labels instead of
 * supervisors, with access control in front. Holds nothing that matters in memory: a restarted
 * gateway reads the same labels and serves the same previews (only idle timers start over).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { runtime, log } = options;
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollMs ?? 2_000;
  const registry = new RouteRegistry();
  const stop = new AbortController();
  const sleeping = new Set<string>();
  const waking = new Set<string>();
  const lastRequest = new Map<string, number>();
  const lastLines = new Map<string, readonly string[]>();
  const answered = new Set<string>();
  let listing: { records: ObservedVolume[]; containers: ObservedContainer[] } = {
    records: [],
    containers: [],
  };
  let index: GatewayIndex = indexPreviews([]);

  /** Recomputes from the last listing and publishes: synchronous, so a wake-up is routed at once. */
  const recompute = (): void => {
    const previews = gatewayPreviews({
      ...listing,
      now: new Date(clock.now()),
      domain: options.domain,
      projects: options.projects,
      sleeping,
      waking,
      lastLines,
      answered,
    });
    const keys = new Set<string>();
    for (const preview of previews) {
      keys.add(environmentKeyString(preview.environment));
      if (!lastRequest.has(preview.record.id)) lastRequest.set(preview.record.id, clock.now());
      if (registry.publish(preview.environment))
        log(
          `${preview.record.id}: ${preview.services.map((s) => `${s.host} ${s.state}${s.detail ? ` (${s.detail})` : ''}`).join(', ')}`,
        );
    }
    for (const environment of registry.table.environments) {
      const key = environmentKeyString(environment);
      if (!keys.has(key) && registry.withdraw(key)) log(`${key}: gone`);
    }
    // Projects stay known after their last preview goes (its hosts get the "deleted" page).
    index = indexPreviews(previews, index.projects);
    const ids = new Set(previews.map((preview) => preview.record.id));
    for (const id of lastRequest.keys()) if (!ids.has(id)) lastRequest.delete(id);
    for (const id of sleeping) if (!ids.has(id)) sleeping.delete(id);
  };

  const read = async (): Promise<void> => {
    const [records, containers] = await Promise.all([
      runtime.listVolumes({ [PREVIEW_RECORD_LABEL]: '1' }),
      // Only the HTTP services: each listed container costs an inspection, every poll.
      runtime.listContainers({ [PREVIEW_HOST_LABEL]: true }),
    ]);
    listing = { records, containers };
    // What the gateway learnt about containers (answers, last lines) is forgotten with them.
    const present = new Set(containers.map((container) => container.id));
    for (const id of lastLines.keys()) if (!present.has(id)) lastLines.delete(id);
    for (const run of answered) if (!present.has(run.split('@')[0] ?? '')) answered.delete(run);
    recompute();
    const services = index.previews.flatMap((preview) => preview.services);
    const unanswered = services.filter((service) => service.detail === NOT_ANSWERED);
    const failed = services.filter(
      (service) =>
        service.state === 'failed' &&
        service.containerId !== undefined &&
        !lastLines.has(service.containerId),
    );
    if (unanswered.length === 0 && failed.length === 0) return;
    await Promise.all([
      ...unanswered.map(async ({ run, port }) => {
        if (run !== undefined && port !== undefined && (await answersHttp(port))) answered.add(run);
      }),
      ...failed.map(async ({ containerId }) => {
        if (containerId !== undefined) lastLines.set(containerId, await tail(runtime, containerId));
      }),
    ]);
    recompute();
  };

  // One read at a time; a request for another while one runs makes exactly one more.
  let running: Promise<void> | undefined;
  let again = false;
  const refresh = (): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await read();
          await sleepIdle();
        } catch (error) {
          // The engine may be restarting: keep serving what was last read, and say why.
          log(`reading the engine failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      } while (again && !stop.signal.aborted);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  /** Stops of sleeping previews in flight: a wake-up waits for its preview's before starting it again. */
  const stopping = new Map<string, Promise<void>>();
  const sleepIdle = async (): Promise<void> => {
    for (const preview of idlePreviews(index.previews, lastRequest, clock.now())) {
      const { id } = preview.record;
      if (sleeping.has(id) || waking.has(id)) continue;
      sleeping.add(id);
      log(`${id}: idle for ${preview.record.idleSleepMinutes} min; stopping its services`);
      const stop = (async () => {
        const services = await runtime.listContainers({ [PREVIEW_LABEL]: id, 'devenv.kind': 'service' });
        await Promise.all(
          services
            .filter((c) => c.state === 'running')
            .map((container) => runtime.stopContainer(container.id, 10)),
        );
      })();
      stopping.set(id, stop);
      try {
        await stop;
      } finally {
        stopping.delete(id);
      }
      again = true;
    }
  };

  const wake = (preview: GatewayPreview): void => {
    const { id } = preview.record;
    if (waking.has(id)) return;
    sleeping.delete(id);
    waking.add(id);
    log(`${id}: request while asleep; starting its services`);
    recompute();
    void (async () => {
      await stopping.get(id);
      const services = await runtime.listContainers({ [PREVIEW_LABEL]: id, 'devenv.kind': 'service' });
      for (const container of services.filter((c) => c.state !== 'running'))
        await runtime.startContainer(container.id);
      // Awake once every service is ready again (running and answering HTTP).
      const deadline = clock.now() + WAKE_TIMEOUT_MS;
      for (;;) {
        await refresh();
        const current = index.previews.find((candidate) => candidate.record.id === id);
        // Gone (deleted meanwhile), or every service ready: either way, no longer waking.
        if (current === undefined || current.services.every((service) => service.state === 'ready')) break;
        if (clock.now() > deadline) throw new Error(`not answering after ${WAKE_TIMEOUT_MS / 1000}s`);
        await clock.sleep(WAKE_PROBE_MS, stop.signal);
      }
      waking.delete(id);
      log(`${id}: awake`);
      recompute();
    })().catch((error: unknown) => {
      waking.delete(id);
      if (stop.signal.aborted) return;
      log(`${id}: waking failed: ${error instanceof Error ? error.message : String(error)}`);
      void refresh();
    });
  };

  await refresh();
  const server = await listenOrExplain({
    registry,
    port: options.port,
    addresses: options.addresses,
    holdMs: options.holdMs ?? 10_000,
    accessLog: (line) => options.accessLog(redactTokens(lineOf(line))),
    responseHeaders: { 'x-robots-tag': 'noindex' },
    // A preview removed while a request for it waited: the gateway's own page, never the router's list.
    unknownHostPage: (req, json) => unknownHostPage(hostName(req.headers.host), index, json),
    authorize: gatewayAuthorizer({
      index: () => index,
      now: () => new Date(clock.now()),
      onError: (error) =>
        log(
          `bug: deciding a request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
      onAllowed: (preview) => {
        lastRequest.set(preview.record.id, clock.now());
        if (preview.asleep) wake(preview);
      },
    }),
  });

  const loops = [
    // Faster while a service is starting: held requests wait for the next look.
    poll(
      () =>
        index.previews.some((preview) => preview.services.some((service) => service.state === 'starting'))
          ? STARTING_POLL_MS
          : pollMs,
      () => refresh(),
    ),
    poll(
      () => options.gcIntervalMs ?? 300_000,
      async () => {
        const gc = options.gc;
        if (gc === undefined) return;
        try {
          await gc(new Date(clock.now()));
        } catch (error) {
          log(`gc failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        await refresh();
      },
    ),
    watchEvents(),
  ];

  async function poll(ms: () => number, work: () => Promise<void>): Promise<void> {
    for (;;) {
      try {
        await clock.sleep(ms(), stop.signal);
      } catch {
        // Aborted: the gateway is closing.
        return;
      }
      await work();
    }
  }

  /** Engine events make changes visible at once; polling covers records and a lost event stream. */
  async function watchEvents(): Promise<void> {
    while (!stop.signal.aborted) {
      try {
        for await (const _event of runtime.events({
          filter: { [PREVIEW_HOST_LABEL]: true },
          signal: stop.signal,
        }))
          void refresh();
      } catch (error) {
        log(
          `engine events failed (polling still runs): ${error instanceof Error ? error.message : String(error)}`,
        );
        try {
          await clock.sleep(pollMs * 5, stop.signal);
        } catch {
          return;
        }
      }
    }
  }

  return {
    port: server.port,
    refresh,
    previews: () => index.previews,
    close: async () => {
      stop.abort();
      await Promise.all(loops);
      await running;
      await server.close();
    },
  };
}

/** The router's server, with a busy port reported in the gateway's terms (`--port`, not the router's variable). */
async function listenOrExplain(options: Parameters<typeof startRouterServer>[0]) {
  try {
    return await startRouterServer(options);
  } catch (error) {
    if (error instanceof ExternalError && error.code === 'ROUTER_PORT_BUSY')
      throw new ExternalError('GATEWAY_PORT_BUSY', error.message, {
        hint: 'Free it, or choose another port with `devenv serve --port`.',
        cause: error,
      });
    throw error;
  }
}

async function tail(runtime: ContainerRuntime, id: string): Promise<readonly string[]> {
  const lines: string[] = [];
  for await (const line of runtime.logs(id, { tail: LOG_TAIL })) lines.push(line.text);
  return lines;
}
