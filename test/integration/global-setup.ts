import { engineEndpoint, PROVISION_COMMAND, testEngine, withTimeout } from '../support/engine.js';
import {
  HUB_MIRROR_URL,
  hubAnswers,
  hubImageReferences,
  hubManifestDigest,
  mirrorsIncludeHub,
} from '../support/hub.js';

/**
 * Runs once before the integration project. The integration tests need a real Docker engine that uses
 * the offline image hub as its Docker Hub mirror; when that is not so they fail here, at once, with
 * the way out — never skipped, never green.
 */
export default async function setup(): Promise<void> {
  const docker = testEngine();
  let mirrors: string[];
  try {
    const info = (await withTimeout(docker.info(), 15_000, 'the Docker engine')) as {
      RegistryConfig?: { Mirrors?: string[] };
    };
    mirrors = info.RegistryConfig?.Mirrors ?? [];
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(
      `The integration tests need a Docker engine, and none answers at ${engineEndpoint()} (${reason}). ` +
        `Run \`${PROVISION_COMMAND}\` (as root on Debian/Ubuntu it installs and starts Docker and the ` +
        'offline image hub), then run the tests again.',
      { cause },
    );
  }

  if (!mirrorsIncludeHub(mirrors)) {
    throw new Error(
      `The Docker engine at ${engineEndpoint()} does not use the offline image hub (${HUB_MIRROR_URL}) as its ` +
        `Docker Hub mirror (its mirrors: ${mirrors.length > 0 ? mirrors.join(', ') : 'none'}). ` +
        `Run \`${PROVISION_COMMAND}\` to configure it, then run the tests again.`,
    );
  }

  if (!(await hubAnswers())) {
    throw new Error(
      `The offline image hub does not answer at ${HUB_MIRROR_URL}/v2/. ` +
        `Run \`${PROVISION_COMMAND}\` to start it, then run the tests again.`,
    );
  }

  const missing: string[] = [];
  for (const reference of hubImageReferences()) {
    if ((await hubManifestDigest(reference)) === undefined) missing.push(reference);
  }
  if (missing.length > 0) {
    throw new Error(
      `The offline image hub lacks ${missing.join(', ')}. ` +
        `Run \`${PROVISION_COMMAND}\` to build and push the stand-in images, then run the tests again.`,
    );
  }
}
