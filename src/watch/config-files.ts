import { posix, relative } from 'node:path';

export interface ConfigFilesInput {
  projectDir: string;
  /** Absolute path of devenv.yaml. */
  configFile: string;
  /** `development` locally, `preview` for previews. */
  mode: string;
  /** `env_files` from devenv.yaml, relative to the project folder. */
  envFiles: readonly string[];
}

/**
 * The files whose change means "reload the configuration", relative and POSIX: devenv.yaml, the
 * standard .env layers (whether they exist yet or not: creating `.env.local` counts) and `env_files`.
 */
export function configFilesOf(input: ConfigFilesInput): string[] {
  const config = relative(input.projectDir, input.configFile).replaceAll('\\', '/');
  const layers = ['.env', '.env.local', `.env.${input.mode}`, `.env.${input.mode}.local`];
  return [config, ...layers, ...input.envFiles.map((f) => posix.normalize(f.replaceAll('\\', '/')))];
}
