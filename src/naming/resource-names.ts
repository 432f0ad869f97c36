/**
 * Names of what the engine creates for an environment. One place, so that `up`, `down`, previews and
 * `gc` agree, and so that two environments of one project never share a container, network or volume.
 */
export function networkName(project: string, env: string): string {
  return `${project}-${env}`;
}

export function containerName(project: string, env: string, name: string): string {
  return `${project}-${env}-${name}`;
}

/** Named volumes are per environment: a branch never sees (or wipes) the default environment's data. */
export function volumeName(project: string, env: string, name: string, volume: string): string {
  return `${project}-${env}-${name}-${volume}`;
}
