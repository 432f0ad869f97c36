/**
 * An entity env values may point at. In Compose a container reaches another by its service name
 * (`postgres://u:p@db:5432/app`); devenv injects addresses instead (`${db.url}`, `${db.host}`), which are
 * right for a container *and* for a local process, and make the start order implicit.
 */
export interface AddressTarget {
  /** The hostname Compose used: the Compose service name. */
  host: string;
  /** Its name in devenv.yaml. */
  name: string;
  /** Whole values that equal `${name.url}` (e.g. the preset's URL with this service's credentials). */
  urls: readonly string[];
  /** A `${name.brokers}` output (Kafka): a `host:port` is the broker list, whichever port was written. */
  brokers: boolean;
  /** `${name.port}` or `${name.ports.x}` for a container port; may declare the port. `undefined`: cannot. */
  portRef: (container: number) => string | undefined;
}

export interface Rewritten {
  value: string;
  /** `"before" → "after"`, for a note. */
  changed: boolean;
  /** Hosts still named in the value after rewriting (the caller warns). */
  leftover: string[];
}

const HOSTY_KEY = /HOST|SERVER|ADDR|ENDPOINT|BROKER/i;

/** Rewrites the Compose hostnames of `targets` in one env value, where the meaning is unambiguous. */
export function rewriteAddresses(key: string, value: string, targets: readonly AddressTarget[]): Rewritten {
  let out = value;
  for (const target of targets) {
    const url = target.urls.find((candidate) => out === candidate || out.startsWith(`${candidate}?`));
    if (url !== undefined) {
      out = `\${${target.name}.url}${out.slice(url.length)}`;
      continue;
    }
    const hostPort = new RegExp(`(^|[^A-Za-z0-9_.\${-])${escapeRegExp(target.host)}:(\\d+)(?![0-9])`, 'g');
    out = out.replace(hostPort, (whole, before: string, port: string) => {
      if (target.brokers) return `${before}\${${target.name}.brokers}`;
      const ref = target.portRef(Number(port));
      return ref === undefined ? whole : `${before}\${${target.name}.host}:${ref}`;
    });
    if (out === target.host && HOSTY_KEY.test(key)) out = `\${${target.name}.host}`;
  }
  const leftover = targets
    .filter((target) => mentionsHost(out, target.host, HOSTY_KEY.test(key)))
    .map((target) => target.host);
  return { value: out, changed: out !== value, leftover };
}

/**
 * `//db`, `@db`, `db:1234` (not rewritten) or, for a host-like key, the whole value. References the value
 * has already (`${db.host}`) are not the hostname, nor is a URL scheme of the same name (`redis://`).
 */
function mentionsHost(value: string, host: string, hostyKey: boolean): boolean {
  if (hostyKey && value === host) return true;
  // A placeholder no hostname matches.
  const text = value.replace(/\$\{[^}]*\}/g, '\u0000');
  const name = escapeRegExp(host);
  return (
    new RegExp(`(//|@)${name}(?=$|[/:?])|^${name}(?=$|[/?]|:\\d)`).test(text) &&
    !(value === host && !hostyKey)
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
