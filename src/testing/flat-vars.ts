/**
 * Outputs by dependency as one `process.env`-style map: `db.url` → `DB_URL`, `db.ports.postgres` →
 * `DB_PORTS_POSTGRES` (upper case, anything but letters and digits becomes `_`). Deliberately only
 * this mechanical naming: the names a service reads (`DATABASE_URL`) are its own wiring in devenv.yaml.
 */
export function flatVars(
  outputs: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, values] of Object.entries(outputs))
    for (const [key, value] of Object.entries(values))
      vars[`${name}_${key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_')] = value;
  return vars;
}
