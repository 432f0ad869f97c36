import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The offline image hub started by scripts/provision.sh: a registry on loopback that the engine uses
 * as its Docker Hub mirror, holding the stand-in images built from test/images/.
 */
export const HUB_ADDRESS = '127.0.0.1:5000';
export const HUB_MIRROR_URL = `http://${HUB_ADDRESS}`;

const IMAGES_LIST = fileURLToPath(new URL('../images/hub-images.txt', import.meta.url));

/** The `name:tag` references the hub must serve, as listed in test/images/hub-images.txt. */
export function hubImageReferences(): string[] {
  return readFileSync(IMAGES_LIST, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const reference = line.split(/\s+/)[1];
      if (reference === undefined) throw new Error(`${IMAGES_LIST}: no image reference in "${line}"`);
      return reference;
    });
}

/** `postgres:17` -> the hub's repository (`library/postgres`) and tag (`17`). */
export function hubRepository(reference: string): { repository: string; tag: string } {
  const colon = reference.lastIndexOf(':');
  const name = colon > 0 ? reference.slice(0, colon) : reference;
  const tag = colon > 0 ? reference.slice(colon + 1) : 'latest';
  return { repository: name.includes('/') ? name : `library/${name}`, tag };
}

/** True when the engine's mirror list names the hub (the engine normalizes it with a trailing slash). */
export function mirrorsIncludeHub(mirrors: readonly string[]): boolean {
  return mirrors.some((mirror) => mirror.replace(/\/+$/, '') === HUB_MIRROR_URL);
}

/** Whether the hub answers its API at all. */
export async function hubAnswers(): Promise<boolean> {
  try {
    const response = await fetch(`${HUB_MIRROR_URL}/v2/`, { signal: AbortSignal.timeout(5_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** The digest of the hub's manifest for `reference` (e.g. `postgres:17`), or undefined if it has none. */
export async function hubManifestDigest(reference: string): Promise<string | undefined> {
  const { repository, tag } = hubRepository(reference);
  const response = await fetch(`${HUB_MIRROR_URL}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept:
        'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
    },
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`the hub answered ${response.status} for ${repository}:${tag}`);
  return response.headers.get('docker-content-digest') ?? undefined;
}
