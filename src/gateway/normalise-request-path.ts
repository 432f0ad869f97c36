/** A request path as an upstream may read it; see `normaliseRequestPath`. */
export interface ReadPath {
  /** Each segment percent-decoded, nothing else changed: what a server routing on the raw path sees. */
  decoded: string;
  /**
   * Also without `;parameters` (Tomcat, Spring) and with `.` and `..` segments resolved: what a server
   * that normalises sees. `/webhooks/..;/admin` is `/admin`.
   */
  normalised: string;
}

// `%2f`, `%5c`: a server decoding after routing reads a separator, one decoding before does not.
// `%00`: some stacks cut the path there. Either way two servers read two different paths.
const AMBIGUOUS_ESCAPE = /%(2f|5c|00)/i;
// A path still holding an escape after one decoding (`%252e`) means something else to a server that
// decodes twice.
const ESCAPE = /%[0-9a-f]{2}/i;
// Control characters and backslashes (which some servers take for `/`), sent or encoded; a space only
// as sent (a request line cannot hold one).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const UNSAFE_CHARACTER = /[\x00-\x1f\x7f\\]/;
// `#` starts a fragment for a server that parses the request target as a URL (WHATWG `URL`, nginx):
// `/webhooks/../admin#/../webhooks/x` is `/admin` there, and Node's parser lets it through. Decoded
// (`%23`, `%3f`), `#` and `?` mean the same to a server that decodes before it parses.
const URL_DELIMITER = /[#?]/;

/**
 * Pure: reads a request path (without its query) the ways upstream servers do, for access checks that
 * must agree with whatever the preview runs. Undefined when servers could disagree about it: an
 * encoded slash, backslash or NUL, a control character, a `#` (a fragment to some) or an encoded `#` or
 * `?`, a doubled slash (some collapse it), an empty
 * segment left by stripping a parameter, a `..` above the root, a malformed or doubly encoded escape.
 */
export function normaliseRequestPath(path: string): ReadPath | undefined {
  if (
    !path.startsWith('/') ||
    path.includes(' ') ||
    path.includes('#') ||
    AMBIGUOUS_ESCAPE.test(path) ||
    UNSAFE_CHARACTER.test(path)
  )
    return undefined;
  const segments = path.slice(1).split('/');
  const decoded: string[] = [];
  const resolved: string[] = [];
  for (const [index, raw] of segments.entries()) {
    const last = index === segments.length - 1;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      // Malformed percent-encoding: servers disagree on what it is.
      return undefined;
    }
    if (
      ESCAPE.test(segment) ||
      UNSAFE_CHARACTER.test(segment) ||
      URL_DELIMITER.test(segment) ||
      segment.includes('/')
    )
      return undefined;
    decoded.push(segment);
    // Path parameters go before dot segments are resolved, as Tomcat does: `..;x` is `..`.
    const name = segment.split(';')[0] ?? '';
    if (name === '' && !last) return undefined;
    if (name === '..') {
      if (resolved.pop() === undefined) return undefined;
    } else if (name !== '.') {
      resolved.push(name);
    }
    // `/a/b/.` and `/a/b/..` name a folder: they keep their trailing slash.
    if (last && (name === '.' || name === '..')) resolved.push('');
  }
  return { decoded: `/${decoded.join('/')}`, normalised: `/${resolved.join('/')}` };
}
