import { type Interpolated, resolveComposeText, toDevenvTemplate } from './compose-interpolation.js';
import { info, type OnboardingNote, warning } from './onboarding-note.js';
import type { ComposeFile } from './parse-compose-file.js';

/**
 * What the converters of one Compose service share: where their notes go and what they point at, and the
 * two ways a value is interpolated. Variables without a value are collected, for one warning per service.
 */
export interface ServiceContext {
  compose: ComposeFile;
  /** The Compose service name (notes name the service as the user wrote it). */
  service: string;
  notes: OnboardingNote[];
  /** `compose.yaml: services.api.ports`: the service, or one of its keys. */
  at: (key?: string) => string;
  warn: (key: string | undefined, message: string) => void;
  note: (key: string | undefined, message: string) => void;
  /** Compose's value now, for what devenv does not interpolate or onboarding must read (images, ports, paths). */
  resolve: (text: string) => string;
  /** The same `${…}` in devenv's syntax, for what devenv interpolates itself (env values, commands, args). */
  template: (text: string) => string;
  unset: Set<string>;
  /** Variables of `${VAR:?message}` without a value: Compose refuses to start, and so does devenv. */
  required: Set<string>;
}

export function serviceContext(
  compose: ComposeFile,
  service: string,
  notes: OnboardingNote[],
  vars: ReadonlyMap<string, string>,
): ServiceContext {
  const unset = new Set<string>();
  const required = new Set<string>();
  const at = (key?: string) => `${compose.file}: services.${service}${key === undefined ? '' : `.${key}`}`;
  const collect = (interpolated: Interpolated) => {
    for (const name of interpolated.unset) unset.add(name);
    for (const name of interpolated.required) required.add(name);
    return interpolated.text;
  };
  return {
    compose,
    service,
    notes,
    at,
    warn: (key, message) => notes.push(warning(at(key), message)),
    note: (key, message) => notes.push(info(at(key), message)),
    resolve: (text) => collect(resolveComposeText(text, vars)),
    template: (text) => collect(toDevenvTemplate(text, vars)),
    unset,
    required,
  };
}

/**
 * Compose uses an empty value for a variable it has none for; devenv would refuse it, so say so once.
 * A required one (`${VAR:?message}`) Compose refuses, and devenv.yaml keeps it required: a note.
 */
export function noteUnsetVariables(context: ServiceContext): void {
  const { unset, required } = context;
  if (required.size > 0) {
    const one = required.size === 1;
    context.note(
      undefined,
      `${listed(required)} ${one ? 'is' : 'are'} required: Compose refuses to start without ${one ? 'it' : 'them'}, and so does devenv (\`\${NAME:?message}\` is kept); set ${one ? 'it' : 'them'} in .env or .env.local`,
    );
  }
  if (unset.size === 0) return;
  context.warn(
    undefined,
    `${listed(unset)} ${unset.size === 1 ? 'is' : 'are'} not set in .env: Compose would use an empty value, and so does devenv (\`\${NAME:-}\`); set ${unset.size === 1 ? 'it' : 'them'} in .env or .env.local`,
  );
}

function listed(names: ReadonlySet<string>): string {
  return [...names].map((name) => `\`${name}\``).join(', ');
}
