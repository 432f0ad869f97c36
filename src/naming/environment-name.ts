import { DNS_LABEL_MAX, slugify, truncateSlug } from './dns-label.js';
import { shortHash } from './short-hash.js';

/** The environment a plain `devenv up` (no branch) runs in. */
export const DEFAULT_ENVIRONMENT = 'default';

/** Hex characters of the branch hash appended to every branch slug. */
const HASH_LENGTH = 8;

/**
 * Environment name for a branch: `<slug>-<hash>`, a DNS label of at most `maxLength` characters.
 *
 * The hash is of the *original* branch name and always present, so names that slug alike
 * (`feature/a`, `feature-a`, `Feature_A`) stay distinct, and truncating a long slug can never make two
 * branches collide. A branch literally called `default` cannot shadow the default environment either.
 * Callers composing longer labels (e.g. `<service>-<env>`) pass a smaller `maxLength`.
 */
export function branchEnvironmentName(branch: string, maxLength = DNS_LABEL_MAX): string {
  if (maxLength < HASH_LENGTH) throw new RangeError(`maxLength must be at least ${HASH_LENGTH}`);
  const hash = shortHash(branch, HASH_LENGTH);
  const room = maxLength - HASH_LENGTH - 1;
  const slug = truncateSlug(slugify(branch), room);
  return slug === '' ? hash : `${slug}-${hash}`;
}

/**
 * The engine environment name of a branch's preview: distinct from the same branch's local
 * environment (`devenv up --branch`), so both can run on one engine without sharing a container.
 */
export function previewEnvironmentName(branch: string): string {
  return `preview-${branchEnvironmentName(branch)}`;
}

/** `default` without a branch, otherwise the branch's environment name. */
export function environmentName(branch: string | undefined): string {
  return branch === undefined ? DEFAULT_ENVIRONMENT : branchEnvironmentName(branch);
}
