import { followContainerLogs } from '../../engine/follow-container-logs.js';
import { environmentFilter } from '../../engine/observe-environment.js';
import { UsageError } from '../../errors/devenv-error.js';
import { DevenvLabel } from '../../runtime/container-spec.js';
import type { LogLine } from '../../runtime/runtime-streams.js';
import { findSupervisor } from '../../supervisor/attach-supervisor.js';
import { systemClock } from '../../util/clock.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, withBranch } from '../environment-options.js';
import { openRuntime } from '../open-runtime.js';
import { parseSince } from '../parse-since.js';
import { unknownNameError } from '../unknown-name-error.js';

export const logsCommand = defineCommand({
  command: 'logs [names..]',
  describe: 'Show the logs of all (or the named) dependencies, interleaved by time',
  builder: (yargs) =>
    withBranch(yargs)
      .positional('names', { type: 'string', array: true, describe: 'Only these dependencies' })
      .option('follow', {
        type: 'boolean',
        default: false,
        describe:
          'Keep printing new lines, also of containers recreated meanwhile, until Ctrl-C or `devenv down` (-f; the file is then --file)',
      })
      .option('since', {
        type: 'string',
        describe: 'Only lines newer than this: 10m, 2h, 30s or an ISO time',
      })
      .option('grep', {
        type: 'string',
        describe: 'Only lines matching this regular expression (case-insensitive)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'One JSON object per line: time, name, stream, text',
      }),
  run: async (args, { io, signal }) => {
    const { environment, paths, declared } = await loadCliEnvironment(args, io, { readSecrets: false });
    const wanted = (args.names ?? []).map(String);
    for (const name of wanted) {
      if (!environment.startOrder.includes(name)) {
        throw unknownNameError(name, {
          project: environment.project,
          declared,
          running: environment.startOrder,
          kind: 'a dependency or service',
        });
      }
    }
    let pattern: RegExp | undefined;
    try {
      pattern = args.grep === undefined ? undefined : new RegExp(args.grep, 'i');
    } catch (cause) {
      throw new UsageError('BAD_GREP', `--grep ${args.grep} is not a valid regular expression.`, { cause });
    }
    const since = args.since === undefined ? undefined : parseSince(args.since, new Date());

    // Local processes have no engine log: their lines come from the supervisor's buffer and stream.
    const processNames = environment.services
      .filter(
        (service) =>
          service.runtime.kind === 'process' && (wanted.length === 0 || wanted.includes(service.name)),
      )
      .map((service) => service.name);
    const supervisor = processNames.length > 0 ? await findSupervisor(paths) : undefined;
    if (processNames.length > 0 && supervisor === undefined) {
      const notRunning = processesNotRunning(processNames, `${environment.project}/${environment.env}`);
      // Only local processes asked for (or all there is): nothing to show, which is an error. Otherwise
      // the dependencies' logs still come from the engine, with a note about what is missing.
      const onlyProcesses =
        wanted.length > 0
          ? wanted.every((name) => processNames.includes(name))
          : environment.startOrder.length === processNames.length;
      if (onlyProcesses) throw notRunning;
      io.stderr(`devenv: ${notRunning.message} ${notRunning.hint ?? ''}\n`);
    }
    // Dependencies and container services, followed by name from devenv.yaml: a container that is
    // being recreated while `logs -f` starts is still followed once its successor starts.
    const containerNames = [
      ...environment.dependencies,
      ...environment.services.filter((service) => service.runtime.kind !== 'process'),
    ]
      .map((entity) => entity.name)
      .filter((name) => wanted.length === 0 || wanted.includes(name));
    const runtime = await openRuntime(io.env);
    const width = Math.max(
      0,
      ...containerNames.map((name) => name.length),
      ...(supervisor ? processNames.map((name) => name.length) : []),
    );
    const print = (name: string, line: LogLine): void => {
      if (pattern && !pattern.test(line.text)) return;
      io.stdout(
        args.json
          ? `${JSON.stringify({ time: line.timestamp.toISOString(), name, stream: line.stream, text: line.text })}\n`
          : `${name.padEnd(width)} | ${line.text}\n`,
      );
    };

    const buffered = supervisor
      ? (await supervisor.client.request('logs', { names: processNames }))
          .filter((line) => since === undefined || line.at >= since.getTime())
          .map((line) => ({
            name: line.name,
            line: { stream: line.stream, text: line.text, timestamp: new Date(line.at) },
          }))
      : [];
    if (!args.follow) {
      supervisor?.client.close();
      const containers = (
        await runtime.listContainers(environmentFilter(environment.project, environment.env))
      ).filter((container) => containerNames.includes(container.labels[DevenvLabel.name] ?? ''));
      // Without --follow, interleave by time: read everything, then sort (stable for equal stamps).
      const all: { name: string; line: LogLine }[] = [...buffered];
      for (const container of containers) {
        const name = container.labels[DevenvLabel.name] ?? container.name;
        for await (const line of runtime.logs(container.id, { signal, ...(since ? { since } : {}) }))
          all.push({ name, line });
      }
      all.sort((a, b) => a.line.timestamp.getTime() - b.line.timestamp.getTime());
      for (const { name, line } of all) print(name, line);
      return 0;
    }
    for (const { name, line } of buffered) print(name, line);
    const where = `${environment.project}/${environment.env}`;
    if (supervisor) {
      supervisor.client.onEvent((event) => {
        if (event.type === 'log' && processNames.includes(event.name)) {
          print(event.name, { stream: event.stream, text: event.text, timestamp: new Date(event.at) });
        }
      });
      await supervisor.client.request('subscribe');
      signal.addEventListener('abort', () => supervisor.client.close(), { once: true });
    }
    const supervisorEnded = supervisor?.client.closed.then(() => {
      if (!signal.aborted)
        io.stderr(
          `devenv: the supervisor of ${where} stopped: no more output from ${processNames.join(', ')}.\n`,
        );
    });
    // Status lines go to stderr, so stdout (and --json) carries only log lines.
    const engineEnded =
      containerNames.length === 0
        ? undefined
        : followContainerLogs(
            {
              runtime,
              clock: systemClock,
              project: environment.project,
              env: environment.env,
              names: containerNames,
              signal,
              ...(since ? { since } : {}),
            },
            (log) => {
              if (log.kind === 'line') print(log.name, log.line);
              else io.stderr(`devenv: ${log.name} was recreated; following its new container.\n`);
            },
          );
    const [, end] = await Promise.all([supervisorEnded, engineEnded]);
    if (signal.aborted) return 130;
    if (end === 'down') io.stderr(`devenv: ${where} is not running (taken down); stopped following.\n`);
    return 0;
  },
});

/** Local processes' output lives only in the supervisor, in memory: without one there is none to show. */
function processesNotRunning(names: readonly string[], environment: string): UsageError {
  const subject =
    names.length === 1
      ? `${names[0]} is a local process: its output`
      : `${names.join(', ')} are local processes: their output`;
  return new UsageError(
    'NOT_RUNNING',
    `${subject} is kept by the supervisor of ${environment}, which is not running.`,
    { hint: 'Start the environment with `devenv up -d`, then `devenv logs -f` follows it.' },
  );
}
