import type { DevenvFile } from './schema/devenv-file-schema.js';
import type { Locate } from './source-position.js';

/** A devenv.yaml that parsed, matched the schema and passed the cross-field rules. */
export interface LoadedConfig {
  /** Path shown in messages (relative to the working directory when possible). */
  file: string;
  /** Absolute path of the file. */
  path: string;
  /** Absolute folder of the file; relative paths inside it are relative to this. */
  projectDir: string;
  /** `name`, or the folder name slugged into a DNS label. */
  project: string;
  config: DevenvFile;
  /** Position of any value in the file, for problems found later (interpolation, secrets). */
  locate: Locate;
}
