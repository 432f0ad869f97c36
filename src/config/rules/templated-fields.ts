import type { DevenvFile } from '../schema/devenv-file-schema.js';

export interface TemplatedField {
  path: PropertyKey[];
  text: string;
  /** `${name.key}` and `${secrets.NAME}` are allowed (env values); elsewhere only `${VAR}`. */
  allowRefs: boolean;
}

/**
 * Every string of the file that goes through `${…}` interpolation, with its path. One list, used by the
 * rules (syntax, names) and the resolver (values), so both agree on where interpolation happens:
 * env values, `image`, `version`, `run`, `command`, `cwd`, `build` and secret sources.
 */
export function templatedFields(config: DevenvFile): TemplatedField[] {
  const fields: TemplatedField[] = [];
  const add = (path: PropertyKey[], value: unknown, allowRefs = false) => {
    if (typeof value === 'string') fields.push({ path, text: value, allowRefs });
    else if (Array.isArray(value))
      for (const [index, item] of value.entries()) add([...path, index], item, allowRefs);
  };
  const addEnv = (path: PropertyKey[], env: Record<string, unknown> | undefined) => {
    for (const [key, value] of Object.entries(env ?? {})) add([...path, key], value, true);
  };
  for (const [name, dependency] of Object.entries(config.dependencies)) {
    const path = ['dependencies', name];
    add([...path, 'image'], dependency.image);
    add([...path, 'version'], dependency.version);
    add([...path, 'command'], dependency.command);
    addEnv([...path, 'env'], dependency.env);
  }
  for (const [name, service] of Object.entries(config.services)) {
    const path = ['services', name];
    for (const field of ['run', 'cwd', 'image', 'command'] as const) add([...path, field], service[field]);
    if (typeof service.build === 'string') add([...path, 'build'], service.build);
    else if (service.build) {
      for (const field of ['context', 'dockerfile', 'target'] as const)
        add([...path, 'build', field], service.build[field]);
      for (const [key, value] of Object.entries(service.build.args ?? {}))
        add([...path, 'build', 'args', key], value);
    }
    addEnv([...path, 'env'], service.env);
    for (const [index, rule] of service.watch.entries())
      add([...path, 'watch', index, 'command'], rule.command);
  }
  for (const [name, secret] of Object.entries(config.secrets)) {
    add(['secrets', name, 'file'], secret.file);
    add(['secrets', name, 'command'], secret.command);
  }
  for (const [name, env] of Object.entries(config.preview?.env ?? {})) addEnv(['preview', 'env', name], env);
  return fields;
}
