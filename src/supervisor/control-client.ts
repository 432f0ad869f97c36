import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { BugError } from '../errors/devenv-error.js';
import { deserializeError } from '../errors/serialize-error.js';
import type { EnvironmentEvent } from '../events/environment-event.js';
import {
  type ControlMessage,
  type ControlRequest,
  type ControlResults,
  encodeMessage,
} from './control-protocol.js';

/** The shape of a socket protocol: a request union keyed by `method`, and each method's result. */
type AnyRequest = { id: number; method: string };
type ParamsOf<Request extends AnyRequest, M extends Request['method']> = Omit<
  Extract<Request, { method: M }>,
  'id' | 'method'
>;

/** A connection to a running supervisor (or, with its own protocol, to the router). */
export interface ControlClient<
  Request extends AnyRequest = ControlRequest,
  Results extends object = ControlResults,
> {
  request<M extends Request['method'] & keyof Results>(
    method: M,
    params?: ParamsOf<Request, M>,
  ): Promise<Results[M]>;
  onEvent(listener: (event: EnvironmentEvent) => void): void;
  /** Resolves when the supervisor closes the connection (it stopped, or crashed). */
  closed: Promise<void>;
  close(): void;
}

/**
 * Connects, or rejects with the socket error (ENOENT/ECONNREFUSED mean "no supervisor").
 * `gone` is the error pending requests fail with when the peer closes the connection.
 */
export async function connectControl<
  Request extends AnyRequest = ControlRequest,
  Results extends object = ControlResults,
>(
  socketPath: string,
  gone: () => Error = () =>
    new BugError('SUPERVISOR_GONE', 'The environment supervisor stopped while answering.'),
): Promise<ControlClient<Request, Results>> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const candidate = connect(socketPath);
    candidate.once('connect', () => {
      candidate.off('error', reject);
      resolve(candidate);
    });
    candidate.once('error', reject);
  });

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners: ((event: EnvironmentEvent) => void)[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => socket.destroy());
  closed.then(() => {
    for (const { reject } of pending.values()) {
      reject(gone());
    }
    pending.clear();
  });

  const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
  // readline re-emits the socket's errors (a supervisor killed mid-write: ECONNRESET); `closed` reports it.
  lines.on('error', () => socket.destroy());
  lines.on('line', (line) => {
    const message = JSON.parse(line) as ControlMessage;
    if ('event' in message) {
      for (const listener of listeners) listener(message.event);
      return;
    }
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(deserializeError(message.error));
  });

  return {
    request: (method, params) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        // The request union is the caller's; on the wire every protocol is `{ id, method, ...params }`.
        socket.write(encodeMessage({ id, method, ...params } as unknown as ControlRequest));
      }),
    onEvent: (listener) => listeners.push(listener),
    closed,
    // Every request was awaited by then; nothing is left to flush, and a half-closed socket would keep the CLI alive.
    close: () => socket.destroy(),
  };
}
