import type { z } from 'zod';
import type { dependencySchema } from '../config/schema/dependency-schema.js';
import type { serviceSchema } from '../config/schema/service-schema.js';

/** A dependency as a user writes it (the schema's input side: defaults left out). */
export type DependencyDraft = z.input<typeof dependencySchema>;
/** A service as a user writes it. */
export type ServiceDraft = z.input<typeof serviceSchema>;
export type ReadyDraft = NonNullable<DependencyDraft['ready']>;
export type WatchDraft = NonNullable<ServiceDraft['watch']>[number];
export type Condition = 'started' | 'healthy' | 'completed';

/**
 * What onboarding decided to write, before it becomes YAML: the file's content plus the comments that
 * explain where each part came from. Typed with the schema's own input types, so a draft that does not fit
 * devenv.yaml's shape does not compile.
 */
export interface DevenvDraft {
  name: string;
  env_files: string[];
  dependencies: Record<string, DependencyDraft>;
  services: Record<string, ServiceDraft>;
  profiles: Record<string, string[]>;
  /** Lines written at the top of the file, after the schema line. */
  header: string[];
  /** A comment above a dependency or service, keyed by its name. */
  comments: Record<string, string>;
}

export function emptyDraft(name: string): DevenvDraft {
  return { name, env_files: [], dependencies: {}, services: {}, profiles: {}, header: [], comments: {} };
}
