import type { PresetCatalog } from './load-presets.js';
import type { DependencyConfig } from './schema/dependency-schema.js';
import type { Preset } from './schema/preset-schema.js';

/** A dependency with its preset folded in: what the rules check and the resolver resolves. */
export interface EffectiveDependency {
  preset: Preset | undefined;
  image: string | undefined;
  command: DependencyConfig['command'];
  env: NonNullable<DependencyConfig['env']>;
  ports: NonNullable<DependencyConfig['ports']>;
  volumes: NonNullable<DependencyConfig['volumes']>;
  ready: DependencyConfig['ready'];
  outputs: NonNullable<DependencyConfig['outputs']>;
  depends_on: DependencyConfig['depends_on'];
}

/**
 * User fields override the preset's: maps (env, ports, volumes, outputs) merge key by key, everything
 * else replaces. `version` replaces the tag of the preset's image.
 */
export function effectiveDependency(
  dependency: DependencyConfig,
  presets: PresetCatalog,
): EffectiveDependency {
  const preset = dependency.preset === undefined ? undefined : presets.get(dependency.preset);
  const image =
    dependency.image ??
    (preset && dependency.version !== undefined
      ? withTag(preset.image, String(dependency.version))
      : preset?.image);
  return {
    preset,
    image,
    command: dependency.command ?? preset?.command,
    env: { ...preset?.env, ...dependency.env },
    ports: { ...preset?.ports, ...dependency.ports },
    volumes: { ...preset?.volumes, ...dependency.volumes },
    ready: dependency.ready ?? preset?.ready,
    outputs: { ...preset?.outputs, ...dependency.outputs },
    depends_on: dependency.depends_on,
  };
}

/** `redis:8` + `7.4` → `redis:7.4`; a digest-pinned or tagless image just gets the tag. */
export function withTag(image: string, tag: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const repository = colon > slash ? image.slice(0, colon) : image;
  return `${repository}:${tag}`;
}
