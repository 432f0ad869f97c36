import type { SelectionRequest } from '../config/select-entities.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import type { ControlClient } from '../supervisor/control-client.js';
import type { UiCommand } from './key-controller.js';
import { mountTui } from './run-tui.js';
import { type Scheduler, TuiModel } from './tui-model.js';
import type { ViewContext } from './view-model.js';

export type TuiOutcome = 'detach' | 'quit' | 'interrupt' | 'closed';

export interface TuiSessionOptions {
  client: ControlClient;
  /** What this `devenv up` asks for (`devenv up api`) and the shell's variables: the `up` request. */
  up: { select: SelectionRequest; environment: Record<string, string> };
  context: Omit<ViewContext, 'columns' | 'rows' | 'now'>;
  color: boolean;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborted by SIGINT/SIGTERM from outside (the terminal's own Ctrl-C is a key in raw mode). */
  signal: AbortSignal;
  openUrl: (url: string) => Promise<void>;
  scheduler?: Scheduler;
}

/**
 * `devenv up` with a terminal: subscribes (with metrics), asks the supervisor to bring the environment
 * up, and shows it until the user detaches or quits. On quit it asks the supervisor to shut down and
 * stays on screen while the services stop, so the user sees what happened.
 */
export async function runTuiSession(options: TuiSessionOptions): Promise<TuiOutcome> {
  const { client } = options;
  const early: EnvironmentEvent[] = [];
  let model: TuiModel | undefined;
  client.onEvent((event) => (model ? model.apply(event) : early.push(event)));
  const snapshot = await client.request('subscribe', { metrics: true });
  const live = new TuiModel({
    snapshot,
    context: options.context,
    size: { columns: options.stdout.columns ?? 80, rows: options.stdout.rows ?? 24 },
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  model = live;
  for (const event of early) live.apply(event);

  const outcome = Promise.withResolvers<TuiOutcome>();
  const run = (command: UiCommand): void => {
    switch (command.kind) {
      case 'detach':
        outcome.resolve('detach');
        return;
      case 'quit':
        // Ctrl-C in raw mode is a key, not a signal: it ends like the signal it used to be (exit 130).
        outcome.resolve(command.interrupted ? 'interrupt' : 'quit');
        return;
      case 'restart':
      case 'rebuild':
        live.notify({
          text: `${command.kind === 'restart' ? 'restarting' : 'rebuilding'} ${command.name}…`,
          tone: 'info',
        });
        client.request(command.kind, { name: command.name }).then(
          () => live.notify({ text: `${command.name}: ${command.kind} done`, tone: 'info' }),
          (error: unknown) => live.notify({ text: firstLine(error), tone: 'error' }),
        );
        return;
      case 'open':
        options.openUrl(command.url).then(
          () => live.notify({ text: `opened ${command.url}`, tone: 'info' }),
          (error: unknown) =>
            live.notify({ text: `${firstLine(error)} (the URL is ${command.url})`, tone: 'error' }),
        );
        return;
    }
  };
  const screen = mountTui(
    {
      model: live,
      color: options.color,
      onCommand: run,
    },
    options,
  );
  const onAbort = (): void => outcome.resolve('interrupt');
  options.signal.addEventListener('abort', onAbort, { once: true });
  client.closed.then(() => outcome.resolve('closed'));
  client
    .request('up', options.up)
    .catch((error: unknown) => live.notify({ text: firstLine(error), tone: 'error' }));

  const result = await outcome.promise;
  try {
    if (result === 'quit' || result === 'interrupt') {
      live.notify({ text: 'stopping the services…', tone: 'info' });
      await client.request('shutdown').catch(() => undefined);
      await client.closed;
      live.flush();
    }
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    live.dispose();
    await screen.unmount();
  }
  return result;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
