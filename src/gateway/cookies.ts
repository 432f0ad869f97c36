/** Name of the gateway's own cookie: host-only, so every preview host has its own. */
export const ACCESS_COOKIE = 'devenv_preview';

/** The cookies of a `Cookie` header, by name (the first of a repeated name wins, as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name !== '' && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** The `Cookie` header without the cookie `name` (never forwarded upstream); undefined when nothing is left. */
export function withoutCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const kept = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part.slice(0, Math.max(0, part.indexOf('='))).trim() !== name);
  return kept.length === 0 ? undefined : kept.join('; ');
}

/** A host-only (no `Domain`), HttpOnly, SameSite=Lax cookie valid for `maxAgeSeconds`. */
export function accessCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${ACCESS_COOKIE}=${value}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
