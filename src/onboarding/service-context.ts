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
}

export function serviceContext(
  compose: ComposeFile,
  service: string,
  notes: OnboardingNote[],
  vars: ReadonlyMap<string, string>,
): ServiceContext {
  const unset = new Set<string>();
  const at = (key?: string) => `${compose.file}: services.${service}${key === undefined ? '' : `.${key}`}`;
  const collect = ({ text, unset: missing }: Interpolated) => {
    for (const name of missing) unset.add(name);
    return text;
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
  };
}

/** Compose uses an empty value for a variable it has none for; devenv would refuse it, so say so once. */
export function noteUnsetVariables(context: ServiceContext): void {
  const { unset } = context;
  if (unset.size === 0) return;
  const list = [...unset].map((v) => `\`${v}\``).join(', ');
  context.warn(
    undefined,
    `${list} ${unset.size === 1 ? 'is' : 'are'} not set in .env: Compose would use an empty value, and so does devenv (\`\${NAME:-}\`); set ${unset.size === 1 ? 'it' : 'them'} in .env or .env.local`,
  );
}
