// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import { parseTemplate } from './template.js';

/** What an output template can read about its own entity, in one view (host or network). */
export interface OutputScope {
  host: string;
  /** Primary port, if any. */
  port: number | undefined;
  ports: Readonly<Record<string, number>>;
  env: Readonly<Record<string, string>>;
}

export type OutputResult = { ok: true; value: string; usesEnv: string[] } | { ok: false; message: string };

/**
 * Evaluates an output template such as `postgres://${env.POSTGRES_USER}@${host}:${port}/${env.POSTGRES_DB}`.
 * Only `${host}`, `${port}`, `${ports.NAME}` and `${env.NAME}` exist here: outputs describe their own entity.
 * `usesEnv` lists the env keys read, so secrets in them mark the output secret.
 */
export function evaluateOutput(template: string, scope: OutputScope | undefined): OutputResult {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  let value = '';
  const usesEnv: string[] = [];
  for (const part of parsed.parts) {
    if (part.kind === 'text') value += part.text;
    else if (
      part.kind === 'var' &&
      part.fallback === undefined &&
      part.required === undefined &&
      (part.name === 'host' || part.name === 'port')
    ) {
      if (part.name === 'port' && scope !== undefined && scope.port === undefined)
        return { ok: false, message: 'has no port' };
      value += scope === undefined ? '' : part.name === 'host' ? scope.host : String(scope.port);
    } else if (part.kind === 'ref' && part.target === 'ports') {
      if (scope !== undefined && scope.ports[part.key] === undefined)
        return { ok: false, message: `has no port \`${part.key}\`` };
      value += String(scope?.ports[part.key] ?? '');
    } else if (part.kind === 'ref' && part.target === 'env') {
      if (scope !== undefined && scope.env[part.key] === undefined)
        return { ok: false, message: `reads env \`${part.key}\`, which is not set` };
      usesEnv.push(part.key);
      value += scope?.env[part.key] ?? '';
    } else {
      return {
        ok: false,
        message: 'outputs may only use `${host}`, `${port}`, `${ports.NAME}` and `${env.NAME}`',
      };
    }
  }
  return { ok: true, value, usesEnv };
}
