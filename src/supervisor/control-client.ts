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

type Method = ControlRequest['method'];
type ParamsOf<M extends Method> = Omit<Extract<ControlRequest, { method: M }>, 'id' | 'method'>;

/** A connection to a running supervisor. */
export interface ControlClient {
  request<M extends Method>(method: M, params?: ParamsOf<M>): Promise<ControlResults[M]>;
  onEvent(listener: (event: EnvironmentEvent) => void): void;
  /** Resolves when the supervisor closes the connection (it stopped, or crashed). */
  closed: Promise<void>;
  close(): void;
}

/** Connects, or rejects with the socket error (ENOENT/ECONNREFUSED mean "no supervisor"). */
export async function connectControl(socketPath: string): Promise<ControlClient> {
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
      reject(new BugError('SUPERVISOR_GONE', 'The environment supervisor stopped while answering.'));
    }
    pending.clear();
  });

  createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
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
        socket.write(encodeMessage({ id, method, ...params } as ControlRequest));
      }),
    onEvent: (listener) => listeners.push(listener),
    closed,
    // Every request was awaited by then; nothing is left to flush, and a half-closed socket would keep the CLI alive.
    close: () => socket.destroy(),
  };
}
