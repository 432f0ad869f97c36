import type { PresetCatalog } from '../config/load-presets.js';
import type { ComposeEntity } from './compose-entity.js';
import { convertBuild } from './convert-build.js';
import type { DependencyDraft } from './devenv-draft.js';
import { matchPreset } from './match-preset.js';
import type { ServiceContext } from './service-context.js';

/**
 * What a Compose service becomes: a build is the repository's own code (a service); an image is a
 * dependency (a preset's where one matches it) unless others wait for it to finish (a one-shot task).
 * `undefined`, with a warning, for a service with neither.
 */
export function entityForService(
  context: ServiceContext,
  service: Record<string, unknown>,
  { name, presets, oneShot }: { name: string; presets: PresetCatalog; oneShot: boolean },
): ComposeEntity | undefined {
  const image = typeof service.image === 'string' ? context.resolve(service.image) : undefined;
  const build = convertBuild(context, service.build);
  const base = { compose: context.service, name, env: new Map<string, string>(), ports: [], hasReady: false };
  if (build !== undefined) {
    if (image !== undefined)
      context.note('image', `\`${image}\` is the tag of the built image; devenv builds it as \`build:\``);
    return { ...base, section: 'services', spec: { build } };
  }
  if (image === undefined) {
    context.warn(undefined, 'skipped: it has neither `image` nor `build`');
    return undefined;
  }
  const match = matchPreset(image, new Set(presets.keys()));
  const preset = match && presets.get(match.preset);
  if (oneShot) return { ...base, section: 'services', spec: { image, restart: 'no' } };
  if (!match || !preset) return { ...base, section: 'dependencies', spec: { image } };
  const spec: DependencyDraft = { preset: match.preset };
  if (match.version !== undefined) spec.version = match.version;
  const ports = Object.entries(preset.ports ?? {}).map(([portName, port]) => ({
    name: portName,
    container: typeof port === 'number' ? port : port.container,
  }));
  if (match.kind === 'substitute')
    context.warn(
      'image',
      `\`${image}\` replaced by the ${match.preset} preset (\`${preset.image}\`), which devenv knows how to run, check and connect to; to keep \`${image}\`, write \`image: ${image}\` with its ports, volumes and \`ready:\` instead`,
    );
  return {
    ...base,
    section: 'dependencies',
    spec,
    match,
    preset,
    ports,
    hasReady: preset.ready !== undefined,
  };
}
