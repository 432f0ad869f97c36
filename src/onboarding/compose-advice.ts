// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
/**
 * What to tell the user about a Compose service key devenv.yaml has no place for. Every key not converted
 * gets a line naming the service and the key; these say what to do instead.
 */
const ADVICE: Record<string, string> = {
  entrypoint:
    'devenv.yaml cannot override an entrypoint: set ENTRYPOINT in a Dockerfile (and use `build:`), or fold it into `command:` if the image has none',
  networks:
    'devenv puts every dependency and service of an environment on one network, where each is reachable by its name: nothing to do unless the app relied on isolation',
  container_name:
    'devenv names containers `<project>-<env>-<name>` itself; other containers reach this one by its devenv name',
  hostname: 'other containers reach it by its devenv name; use that name (or `${NAME.host}` in env values)',
  links: 'not needed: containers reach each other by name on the environment network',
  external_links: 'not supported: run the other container as a dependency in devenv.yaml',
  deploy: 'resource limits, replicas and placement are not supported locally; drop them',
  mem_limit: 'memory limits are not supported locally',
  cpus: 'CPU limits are not supported locally',
  user: 'set USER in a Dockerfile (and use `build:`)',
  working_dir: 'set WORKDIR in a Dockerfile (and use `build:`)',
  secrets:
    'declare it under top-level `secrets:` (env, file or command) and pass it as `${secrets.NAME}` in `env:`; devenv does not mount secret files',
  configs: 'devenv does not mount config files: COPY the file in a Dockerfile (and use `build:`)',
  extends:
    'not followed: copy the settings of the extended service into this one (or import the expanded file: `docker compose config > full.yaml`, then `devenv import compose full.yaml`)',
  tmpfs: 'not supported: the path is an ordinary folder in the container',
  labels: 'devenv sets its own labels (`devenv.*`); other labels are not supported',
  logging: 'devenv collects every container’s output itself (`devenv logs`)',
  extra_hosts: 'not supported: reach other containers by their devenv name',
  dns: 'not supported: the engine’s DNS settings apply',
  cap_add: 'not supported: bake what needs the capability into the image',
  privileged: 'not supported',
  platform: 'the engine’s platform applies; pick a matching image tag',
  pull_policy: 'devenv pulls an image when it is missing',
  stop_grace_period: 'devenv stops containers with its own grace period',
  init: 'not supported: add an init (tini) to the image if the process needs one',
};

export function adviceFor(key: string): string {
  return ADVICE[key] ?? 'devenv.yaml has no equivalent: if the container needs it, build it into the image';
}

/** Keys with no effect on how the container runs (or that devenv does itself): mentioned as notes, not warnings. */
export const HARMLESS_KEYS = new Set([
  'container_name',
  'links',
  'stdin_open',
  'tty',
  'pull_policy',
  'logging',
]);
