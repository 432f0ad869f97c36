import { createHash } from 'node:crypto';

/**
 * Derived host ports live in 20000–29999: unprivileged, below Linux's ephemeral range (32768+) so the
 * kernel does not hand them to outgoing connections, and clear of the usual 3000/5432/8080 defaults.
 */
export const DERIVED_PORT_MIN = 20000;
export const DERIVED_PORT_COUNT = 10000;

/** A stable host port for (project, env, name, container port): the same on every run and machine. */
export function derivedHostPort(project: string, env: string, name: string, containerPort: number): number {
  const digest = createHash('sha256').update(`${project}\0${env}\0${name}\0${containerPort}`).digest();
  return DERIVED_PORT_MIN + (digest.readUInt32BE(0) % DERIVED_PORT_COUNT);
}

/** The next port in the derived range after `port`, wrapping around: used to step over a taken port. */
export function nextDerivedPort(port: number): number {
  return DERIVED_PORT_MIN + ((port - DERIVED_PORT_MIN + 1) % DERIVED_PORT_COUNT);
}
