import type { ConfigProblem } from '../../errors/config-error.js';
import type { PresetCatalog } from '../load-presets.js';
import type { DevenvFile } from '../schema/devenv-file-schema.js';
import type { Locate } from '../source-position.js';
import { checkCycles } from './check-cycles.js';
import { checkHostPorts } from './check-host-ports.js';
import { checkKinds } from './check-kinds.js';
import { checkNames } from './check-names.js';
import { checkPresets } from './check-presets.js';
import { checkReferences } from './check-references.js';
import { checkWatchRules } from './check-watch-rules.js';
import { ruleContext } from './rule-context.js';

const RULES = [
  checkNames,
  checkPresets,
  checkKinds,
  checkWatchRules,
  checkReferences,
  checkCycles,
  checkHostPorts,
];

/** Cross-field rules on a schema-valid file; every problem, in file order. */
export function checkConfig(
  file: string,
  config: DevenvFile,
  locate: Locate,
  presets: PresetCatalog,
): ConfigProblem[] {
  const context = ruleContext(file, config, locate, presets);
  return RULES.flatMap((rule) => rule(context)).sort((a, b) => a.line - b.line || a.col - b.col);
}
