/** A reference cut the way the engine's pull endpoint wants it: repository, and a tag or a digest. */
export interface ImageRefParts {
  repository: string;
  /** A tag (`8`) or a digest (`sha256:…`); `latest` when the reference names neither. */
  tagOrDigest: string;
}

/**
 * Splits `registry:5000/team/app:1.2@sha256:…` style references. The registry part is kept as
 * written: resolving it (and applying mirrors for Docker Hub) is the engine's job, never ours.
 */
export function splitImageRef(ref: string): ImageRefParts {
  const at = ref.indexOf('@');
  if (at >= 0) return { repository: ref.slice(0, at), tagOrDigest: ref.slice(at + 1) };
  // A colon after the last slash is a tag; one before it belongs to a registry host:port.
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/'))
    return { repository: ref.slice(0, colon), tagOrDigest: ref.slice(colon + 1) };
  // Without a tag the engine would pull every tag of the repository.
  return { repository: ref, tagOrDigest: 'latest' };
}
