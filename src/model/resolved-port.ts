/** A published port with both ends decided. */
export interface ResolvedPort {
  /** Name from devenv.yaml or the preset (`postgres`, `http`, …); a service's single port is `main`. */
  name: string;
  /** Port inside the container; for a local process, equal to `host`. */
  container: number;
  /** Port on the host (127.0.0.1). */
  host: number;
  /** `fixed`: written in devenv.yaml; `derived`: hashed default; `override`: from `hostPortOverrides`. */
  hostSource: 'fixed' | 'derived' | 'override';
  protocol: 'tcp' | 'udp';
}

/**
 * Stable replacements for derived host ports that the engine found busy, by entity name then port name.
 * Passing them back keeps the resolver pure and the ports stable across runs.
 */
export type HostPortOverrides = Readonly<Record<string, Readonly<Record<string, number>>>>;
