import type { HostPorts } from '../engine/settle-host-ports.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ResolvedEnvironment } from '../model/resolved-environment.js';
import type { ResolvedService } from '../model/resolved-service.js';
import { buildProcessEnv } from '../process/process-env.js';
import { type ProcessStatus, type RestartOutcome, shouldRestart } from '../process/process-status.js';
import { ProcessSupervisor } from '../process/process-supervisor.js';
import { runsNodeDirectly } from '../process/runs-node-directly.js';
import { startProcess } from '../process/start-process.js';
import { processReadyCheck } from '../process/wait-process-ready.js';
import type { Clock } from '../util/clock.js';

/** A local-process service: the part of the model this class runs. */
type ProcessService = ResolvedService & { runtime: { kind: 'process' } };

interface Running {
  supervisor: ProcessSupervisor;
  configHash: string;
  cwd: string;
  env: Readonly<Record<string, string>>;
}

/** What services that depend on one wait for: `healthy` → first ready, `completed` → exited with 0. */
interface Outcomes {
  ready: PromiseWithResolvers<boolean>;
  completed: PromiseWithResolvers<boolean>;
}

export interface ServiceProcessesOptions {
  clock: Clock;
  /** The supervisor's own environment, the base every service's environment is built on. */
  baseEnv: NodeJS.ProcessEnv;
  emit: (event: EnvironmentEvent) => void;
  /** Variables derived from the running environment (its URLs), under what the service's `env:` sets. */
  extraEnv?: (service: string) => Readonly<Record<string, string>>;
  /** Process groups that run right now, persisted so a killed supervisor's next start can end them. */
  onGroupsChanged?: (pids: readonly number[]) => void;
  /** Checks a service's port before it starts: another program on it would answer in its place. */
  hostPorts?: Pick<HostPorts, 'isFree' | 'describeHolder'>;
}

/**
 * The repository's own services that run as local processes: started in dependency order once the
 * dependencies are ready, kept alive by a `ProcessSupervisor` each, restarted when their resolved
 * configuration changes (and only then), stopped with their whole process group.
 */
export class ServiceProcesses {
  readonly #options: ServiceProcessesOptions;
  readonly #running = new Map<string, Running>();
  /**
   * Per service started by this object, set before its start awaits anything: a dependent started in
   * the same reconcile finds it even while the prerequisite still checks its port.
   */
  readonly #outcomes = new Map<string, Outcomes>();
  #closed = false;

  constructor(options: ServiceProcessesOptions) {
    this.#options = options;
  }

  /**
   * Brings the running processes in line with `environment`; resolves when each was first ready.
   * `failed` names what this `up` could not bring up (a container whose build failed): a service
   * that depends on one is not started (and says why), the others are.
   */
  async reconcile(environment: ResolvedEnvironment, failed: ReadonlySet<string> = new Set()): Promise<void> {
    const wanted = environment.services.filter((s): s is ProcessService => s.runtime.kind === 'process');
    const names = new Set(wanted.map((service) => service.name));
    await Promise.all(
      [...this.#running].filter(([name]) => !names.has(name)).map(([name]) => this.#stopOne(name)),
    );
    const starting: Promise<boolean>[] = [];
    for (const service of wanted) {
      const current = this.#running.get(service.name);
      if (current?.configHash === service.configHash) continue;
      if (current) await this.#stopOne(service.name);
      starting.push(this.#startAfterPrerequisites(service, failed));
    }
    await Promise.all(starting);
  }

  /** A watch-triggered restart; resolves with the edit-to-serving time or why it is not ready. */
  restart(name: string, reason: string, since: number): Promise<RestartOutcome> {
    const running = this.#running.get(name);
    if (!running) return Promise.resolve({ ok: false, state: 'stopped', detail: 'not running' });
    return running.supervisor.restart(reason, since);
  }

  /** A file it restarts on is changing: stop it now, start it on `restart` (see `ProcessSupervisor`). */
  prepareRestart(name: string, since: number): void {
    this.#running.get(name)?.supervisor.prepareRestart(since);
  }

  /**
   * A `run` watch action: run each command where the service runs (its cwd and env, output into its
   * log), then restart it; a failing command leaves the running process alone and says so.
   */
  async runThenRestart(
    name: string,
    commands: readonly (readonly string[])[],
    reason: string,
    since: number,
  ): Promise<RestartOutcome> {
    const running = this.#running.get(name);
    if (!running) return { ok: false, state: 'stopped', detail: 'not running' };
    const { clock, emit } = this.#options;
    for (const command of commands) {
      const child = await startProcess({
        command,
        cwd: running.cwd,
        env: running.env,
        onLine: (line) => emit({ type: 'log', at: clock.now(), name, stream: line.stream, text: line.text }),
      });
      const exit = await child.exited;
      if (exit.code !== 0) {
        const detail = `\`${command.join(' ')}\` failed (${exit.code ?? exit.signal}); not restarted`;
        emit({ type: 'log', at: clock.now(), name, stream: 'stderr', text: detail });
        return { ok: false, state: running.supervisor.status.state, detail };
      }
    }
    return running.supervisor.restart(reason, since);
  }

  has(name: string): boolean {
    return this.#running.has(name);
  }

  /** The root pid of the service's process group while it runs (for CPU/memory sampling). */
  pidOf(name: string): number | undefined {
    return this.#running.get(name)?.supervisor.status.pid;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((name) => this.#stopOne(name)));
  }

  /**
   * Stops everything for good: a reconcile still waiting for a service to become ready sees it stop
   * (not ready) and returns, and starts nothing more.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.stopAll();
  }

  async #startAfterPrerequisites(service: ProcessService, failed: ReadonlySet<string>): Promise<boolean> {
    const outcomes: Outcomes = { ready: Promise.withResolvers(), completed: Promise.withResolvers() };
    this.#outcomes.set(service.name, outcomes);
    const notStarted = (detail?: string): false => {
      if (detail !== undefined) this.#emitStatus(service, { state: 'failed', detail });
      outcomes.ready.resolve(false);
      outcomes.completed.resolve(false);
      return false;
    };
    const failedPrerequisite = service.dependsOn.find((edge) => failed.has(edge.name));
    if (failedPrerequisite) return notStarted(`not started because ${failedPrerequisite.name} failed`);
    for (const edge of service.dependsOn) {
      const prerequisite = this.#outcomes.get(edge.name);
      if (prerequisite === undefined || edge.condition === 'started') continue;
      if (edge.condition === 'completed' && !(await prerequisite.completed.promise)) {
        return notStarted(`${edge.name} did not complete successfully`);
      }
      if (edge.condition !== 'completed' && !(await prerequisite.ready.promise)) {
        return notStarted(`${edge.name} did not become ready`);
      }
    }
    if (this.#closed) return notStarted();
    const busy = await this.#busyPort(service);
    if (busy !== undefined) return notStarted(busy);
    const { clock } = this.#options;
    const extra = this.#options.extraEnv?.(service.name) ?? {};
    const env = buildProcessEnv(this.#options.baseEnv, { ...extra, ...service.env.values }, service.port);
    const [command, cwd] = [service.runtime.command, service.runtime.cwd];
    const { ready, completed } = outcomes;
    const supervisor = new ProcessSupervisor({
      name: service.name,
      command,
      cwd,
      env,
      restart: service.restart,
      clock,
      // A one-shot task (`restart: "no"`) would keep a spare for a run that may never come.
      warmStart:
        service.runtime.warmStart && service.restart !== 'no' && runsNodeDirectly(command, env.NODE_OPTIONS),
      onGroupsChanged: () => this.#options.onGroupsChanged?.(this.#pids()),
      ...(service.readiness
        ? {
            waitReady: processReadyCheck({
              name: service.name,
              readiness: service.readiness,
              clock,
              cwd,
              env,
            }),
          }
        : {}),
      onStatus: (status) => {
        this.#emitStatus(service, status);
        if (status.state === 'ready') ready.resolve(true);
        // Not ready, and no restart coming to make it so: it failed, crash-loops, or ended for good
        // (exited without restart, or stopped), as a server that exits 0 under `restart: on-failure`.
        const ended =
          status.state === 'stopped' ||
          (status.state === 'crashed' &&
            (status.crashLoop || !shouldRestart(service.restart, status.lastExit)));
        if (status.state === 'failed' || ended) ready.resolve(false);
        // A one-shot task (a migration) has completed when it ends with 0; any other end is a failure.
        if (status.state === 'stopped' && status.lastExit?.code === 0) completed.resolve(true);
        else if (status.state === 'failed' || ended) completed.resolve(false);
        this.#options.onGroupsChanged?.(this.#pids());
      },
      onLine: (line) =>
        this.#options.emit({
          type: 'log',
          at: clock.now(),
          name: service.name,
          stream: line.stream,
          text: line.text,
        }),
    });
    this.#running.set(service.name, {
      supervisor,
      configHash: service.configHash,
      cwd,
      env,
    });
    supervisor.start();
    return ready.promise;
  }

  /**
   * Why the service cannot listen where devenv.yaml says, if another program holds that port: started
   * anyway, it would crash-loop on EADDRINUSE while its URL and readiness check reached that program.
   */
  async #busyPort(service: ProcessService): Promise<string | undefined> {
    const hostPorts = this.#options.hostPorts;
    if (hostPorts === undefined) return undefined;
    for (const port of service.ports) {
      if (await hostPorts.isFree(port.host)) continue;
      const holder = await hostPorts.describeHolder(port.host);
      return `port ${port.host} is already in use${holder ? ` by ${holder}` : ''}; stop that, or give ${service.name} another port in devenv.yaml`;
    }
    return undefined;
  }

  async #stopOne(name: string): Promise<void> {
    const running = this.#running.get(name);
    this.#running.delete(name);
    await running?.supervisor.stop();
    this.#options.onGroupsChanged?.(this.#pids());
  }

  #pids(): number[] {
    return [...this.#running.values()].flatMap((r) => r.supervisor.groups);
  }

  #emitStatus(
    service: ProcessService,
    status: Pick<ProcessStatus, 'state' | 'detail'> & Partial<ProcessStatus>,
  ): void {
    const crashLoop = status.crashLoop ? ' (crash loop)' : '';
    this.#options.emit({
      type: 'resource',
      at: this.#options.clock.now(),
      name: service.name,
      kind: 'service',
      state: status.state,
      ...(status.detail === undefined && !crashLoop
        ? {}
        : { detail: `${status.detail ?? ''}${crashLoop}`.trim() }),
      ports: service.ports.map((port) => ({
        container: port.host,
        host: port.host,
        hostIp: '127.0.0.1',
        protocol: port.protocol,
      })),
      ...(status.restarts === undefined ? {} : { restarts: status.restarts }),
      ...(status.reloadMs === undefined ? {} : { reloadMs: status.reloadMs }),
      // A one-shot task (`restart: "no"`) that ended with 0 did its job; a server that did is down.
      ...(status.state === 'stopped' && status.lastExit?.code === 0 && service.restart === 'no'
        ? { completed: true }
        : {}),
      ...((status.state === 'crashed' || status.state === 'failed') && status.lastLines?.length
        ? { lastLines: status.lastLines }
        : {}),
    });
  }
}
