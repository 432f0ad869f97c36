/**
 * `devenv/testing`: a repository's own test suite starts the dependencies of its devenv.yaml from code.
 * See docs/testing.md.
 */

export { ConfigError, type ConfigProblem } from '../errors/config-error.js';
export { DevenvError, ExternalError, InterruptedError, UsageError } from '../errors/devenv-error.js';
export {
  type DependencyOutputs,
  type StartEnvironmentOptions,
  startEnvironment,
  type TestEnvironment,
} from './start-environment.js';
