import { type ComposeEntity, isSubstitute, leaveOutForSubstitute } from './compose-entity.js';
import type { ServiceContext } from './service-context.js';
import { splitShellWords } from './split-shell-words.js';

/** `command:` → devenv's `command:`, left out where it is the preset's own or meant for a replaced image. */
export function convertCommand(context: ServiceContext, entity: ComposeEntity, value: unknown): void {
  if (value === undefined) return;
  const command = commandOf(value, context.template);
  if (command === undefined) context.warn('command', 'not a string or a list; left out');
  else if (isSubstitute(entity)) leaveOutForSubstitute(context, entity, 'command');
  else if (JSON.stringify(command) !== JSON.stringify(entity.preset?.command)) entity.spec.command = command;
}

function commandOf(value: unknown, template: (text: string) => string): string | string[] | undefined {
  if (typeof value === 'string') {
    // Compose runs a string without a shell, split into words; a list says exactly that to devenv.
    const words = splitShellWords(value);
    return words === undefined ? template(value) : words.map(template);
  }
  if (Array.isArray(value) && value.length > 0) return value.map((word) => template(String(word)));
  return undefined;
}
