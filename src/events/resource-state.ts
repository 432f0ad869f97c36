/**
 * The fixed state vocabulary of PRODUCT.md, shared by `status --json`, the event stream and the UI.
 * - pending: waiting for its dependencies
 * - pulling / building: getting its image
 * - starting: created and started, readiness not yet confirmed
 * - ready: passing its readiness check
 * - restarting: being replaced or restarted on purpose
 * - crashed: exited on its own (with an exit code)
 * - stopped: stopped on purpose (or found stopped)
 * - failed: could not be brought up (missing image, readiness timeout, busy port, …)
 */
export const resourceStates = [
  'pending',
  'pulling',
  'building',
  'starting',
  'ready',
  'restarting',
  'crashed',
  'stopped',
  'failed',
] as const;

export type ResourceState = (typeof resourceStates)[number];

/** `dependency`: a container from a preset or image; `service`: the repo's own code. */
export type ResourceKind = 'dependency' | 'service';
