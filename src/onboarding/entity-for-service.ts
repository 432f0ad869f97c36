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
  // Compose's value, to match a preset; the image as written (devenv interpolates `image:`), to keep.
  const image = typeof service.image === 'string' ? context.resolve(service.image) : undefined;
  const written = typeof service.image === 'string' ? context.template(service.image) : undefined;
  const build = convertBuild(context, service.build);
  const base = { compose: context.service, name, env: new Map<string, string>(), ports: [], hasReady: false };
  if (build !== undefined) {
    if (image !== undefined)
      context.note('image', `\`${image}\` is the tag of the built image; devenv builds it as \`build:\``);
    return { ...base, section: 'services', spec: { build } };
  }
  if (image === undefined || written === undefined) {
    context.warn(undefined, 'skipped: it has neither `image` nor `build`');
    return undefined;
  }
  const match = matchPreset(image, new Set(presets.keys()));
  const preset = match && presets.get(match.preset);
  if (oneShot) return { ...base, section: 'services', spec: { image: written, restart: 'no' } };
  if (!match || !preset) return { ...base, section: 'dependencies', spec: { image: written } };
  const spec: DependencyDraft = { preset: match.preset };
  const version = match.version === undefined ? undefined : (templateTag(written) ?? match.version);
  if (version !== undefined) spec.version = version;
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

/** The tag of an image as written when it holds a variable (`postgres:${PG:-16}` → `${PG:-16}`), for `version:`. */
function templateTag(image: string): string | undefined {
  // The `:` and `/` of `${…}` do not count: mask them, keeping the positions.
  const masked = image.replace(/\$\{[^}]*\}/g, (expression) => '$'.repeat(expression.length));
  const colon = masked.lastIndexOf(':');
  const tag = colon > masked.lastIndexOf('/') ? image.slice(colon + 1) : undefined;
  return tag?.includes('${') ? tag : undefined;
}
