import type { PublishedEnvironment } from './route-target.js';

/**
 * The router's socket protocol, on the supervisor's NDJSON transport (`control-server.ts`): supervisors
 * publish and withdraw their environments' routes; `devenv urls` may list them.
 */
export type RouterRequest =
  | { id: number; method: 'hello' }
  | { id: number; method: 'publish'; environment: PublishedEnvironment }
  | { id: number; method: 'withdraw'; key: string }
  | { id: number; method: 'routes' };

export interface RouterHello {
  protocol: number;
  pid: number;
  /** The HTTP port it listens on, which every URL must use. */
  port: number;
}

export interface RouterResults {
  hello: RouterHello;
  publish: null;
  withdraw: null;
  routes: readonly PublishedEnvironment[];
}

export const ROUTER_PROTOCOL_VERSION = 1;
