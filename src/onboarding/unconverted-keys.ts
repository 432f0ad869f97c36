import { adviceFor, HARMLESS_KEYS } from './compose-advice.js';
import { isRecord } from './is-record.js';
import { noteNetworkMode } from './network-mode-note.js';
import { type OnboardingNote, warning } from './onboarding-note.js';
import type { ComposeFile } from './parse-compose-file.js';
import type { ServiceContext } from './service-context.js';

/** Service keys the converters carry over; every other key gets a note, so nothing is dropped silently. */
const CONVERTED = new Set([
  'image',
  'build',
  'command',
  'environment',
  'env_file',
  'ports',
  'expose',
  'volumes',
  'depends_on',
  'healthcheck',
  'restart',
  'profiles',
  'develop',
]);

/** A note for each key of a service devenv.yaml has no place for, with what to do instead. */
export function noteUnconvertedServiceKeys(context: ServiceContext, service: Record<string, unknown>): void {
  for (const key of Object.keys(service)) {
    if (CONVERTED.has(key)) continue;
    // What devenv does anyway: the service's own name as hostname, the one default network.
    if (key === 'hostname' && service.hostname === context.service) continue;
    if (key === 'networks' && isDefaultNetworks(service.networks)) continue;
    if (key === 'network_mode') {
      noteNetworkMode(context, service.network_mode);
      continue;
    }
    const message = `not converted: ${adviceFor(key)}`;
    if (HARMLESS_KEYS.has(key)) context.note(key, message);
    else context.warn(key, message);
  }
}

function isDefaultNetworks(networks: unknown): boolean {
  const list = Array.isArray(networks) ? networks : isRecord(networks) ? Object.keys(networks) : [];
  return list.length === 1 && list[0] === 'default';
}

/** A warning for each top-level key and volume setting devenv.yaml has no place for. */
export function noteUnconvertedTopLevel(compose: ComposeFile, notes: OnboardingNote[]): void {
  const warn = (key: string, message: string) => notes.push(warning(`${compose.file}: ${key}`, message));
  for (const key of Object.keys(compose.top)) {
    if (['services', 'name', 'version', 'volumes'].includes(key) || key.startsWith('x-')) continue;
    if (key === 'networks' || key === 'secrets' || key === 'configs')
      warn(key, `not converted: ${adviceFor(key)}`);
    else if (key === 'include')
      warn(
        key,
        'included files are not read: import each one (`devenv import compose FILE --stdout`) and merge what you need',
      );
    else warn(key, 'not a Compose key devenv knows; left out');
  }
  if (!isRecord(compose.top.volumes)) return;
  for (const [name, spec] of Object.entries(compose.top.volumes)) {
    if (!isRecord(spec)) continue;
    if (spec.external !== undefined && spec.external !== false)
      warn(
        `volumes.${name}`,
        'external volume: devenv creates its own volumes per environment, so this data is not used; copy it in with `devenv exec` if you need it',
      );
    else if (spec.driver !== undefined || spec.driver_opts !== undefined || spec.name !== undefined)
      warn(
        `volumes.${name}`,
        'driver, options and names are not supported: devenv creates plain named volumes `<project>-<env>-<name>-<volume>`',
      );
  }
}
