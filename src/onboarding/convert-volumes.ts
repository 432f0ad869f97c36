import { slugify, truncateSlug } from '../naming/dns-label.js';
import { type ComposeEntity, isSubstitute } from './compose-entity.js';
import { type OnboardingNote, warning } from './onboarding-note.js';
import { type ComposeFile, rebasePath } from './parse-compose-file.js';
import { type ComposeMount, parseMount } from './parse-mount.js';
import type { ServiceContext } from './service-context.js';
import { numberedName } from './unique-name.js';

/**
 * `volumes:` → devenv volumes (named volumes) and `watch` sync rules (a build service's bind mounts of the
 * repository); devenv mounts no host paths, so everything else is a warning. `volumeUsers` collects which
 * services use each named volume (see `noteSharedVolumes`).
 */
export function convertVolumes(
  context: ServiceContext,
  entity: ComposeEntity,
  service: Record<string, unknown>,
  volumeUsers: Map<string, string[]>,
): void {
  for (const entry of Array.isArray(service.volumes) ? service.volumes : []) {
    const parsed = parseMount(typeof entry === 'string' ? context.resolve(entry) : entry);
    if (!parsed.ok) context.warn('volumes', `${parsed.problem}; left out`);
    else convertMount(context, entity, parsed.value, volumeUsers);
  }
}

function convertMount(
  context: ServiceContext,
  entity: ComposeEntity,
  mount: ComposeMount,
  volumeUsers: Map<string, string[]>,
): void {
  const warn = (message: string) => context.warn('volumes', message);
  if (mount.kind === 'volume') {
    volumeUsers.set(mount.source, [...(volumeUsers.get(mount.source) ?? []), entity.compose]);
    const presetPaths = Object.values(entity.preset?.volumes ?? {});
    if (presetPaths.includes(mount.target)) return; // the preset keeps that data in a volume of its own
    if (isSubstitute(entity)) {
      warn(
        `${mount.source}:${mount.target}: a path of the replaced image; left out (the preset keeps its data in a volume)`,
      );
      return;
    }
    const taken = new Set(Object.keys(entity.spec.volumes ?? {}));
    const name = numberedName(truncateSlug(slugify(mount.source), 50) || 'data', (n) => taken.has(n));
    entity.spec.volumes = { ...entity.spec.volumes, [name]: mount.target };
    if (mount.readOnly)
      warn(`${mount.source}:${mount.target}: mounted read-write (devenv volumes have no read-only mode)`);
    return;
  }
  if (mount.kind === 'bind') {
    const source = rebasePath(context.compose.dir, mount.source);
    const inRepo = !source.startsWith('/') && !source.startsWith('~') && !source.startsWith('..');
    const built = entity.section === 'services' && entity.spec.build !== undefined;
    if (built && inRepo && !mount.readOnly) {
      entity.spec.watch = [
        ...(entity.spec.watch ?? []),
        { paths: source, action: 'sync', target: mount.target },
      ];
      warn(
        `bind mount ${mount.source}:${mount.target} became a \`watch\` rule that copies changed files into the running container: devenv mounts no host folders, so the image must contain them (COPY in the Dockerfile) and the app must reload itself`,
      );
      return;
    }
    const advice = built
      ? 'COPY the file in the Dockerfile'
      : 'build a small image FROM it that COPYs the file, and use `build:`; for database init scripts, run them once with `devenv exec` or `preview.seed`';
    warn(
      `bind mount ${mount.source}:${mount.target} is not supported (devenv mounts no host paths): ${advice}`,
    );
    return;
  }
  if (mount.kind === 'anonymous') {
    warn(
      `anonymous volume ${mount.target} left out: give it a name under \`volumes:\` if its data must be kept (node_modules needs none: \`watch\` never copies it)`,
    );
    return;
  }
  warn(`tmpfs ${mount.target} is not supported: it is an ordinary folder in the container`);
}

export function noteSharedVolumes(
  compose: ComposeFile,
  volumeUsers: ReadonlyMap<string, readonly string[]>,
  notes: OnboardingNote[],
): void {
  for (const [volume, users] of volumeUsers) {
    if (users.length > 1)
      notes.push(
        warning(
          `${compose.file}: volumes.${volume}`,
          `shared by ${users.join(', ')}: a devenv volume belongs to one dependency or service, so each gets its own copy; share data through one of them instead`,
        ),
      );
  }
}
