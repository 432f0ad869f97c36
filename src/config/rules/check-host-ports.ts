import type { ConfigProblem } from '../../errors/config-error.js';
import { problemAt, type Rule } from './rule-context.js';

/** Two fixed host ports that are the same would make the second container fail to start; say so now. */
export const checkHostPorts: Rule = (context) => {
  const problems: ConfigProblem[] = [];
  const seen = new Map<number, string>();
  const claim = (port: number, owner: string, path: PropertyKey[]) => {
    const previous = seen.get(port);
    if (previous !== undefined) {
      problems.push(
        problemAt(context, path, `host port ${port} is used twice: by ${previous} and ${owner}`, {
          hint: 'remove one fixed `host:` port; unfixed ports are derived and never clash',
        }),
      );
    } else {
      seen.set(port, owner);
    }
  };
  for (const [name, dependency] of Object.entries(context.config.dependencies)) {
    for (const [portName, spec] of Object.entries(dependency.ports ?? {})) {
      if (typeof spec === 'object' && spec.host !== undefined) {
        claim(spec.host, `\`${name}\` (${portName})`, ['dependencies', name, 'ports', portName, 'host']);
      }
    }
  }
  for (const [name, service] of Object.entries(context.config.services)) {
    const port = service.port;
    if (typeof port === 'number' && service.run !== undefined)
      claim(port, `\`${name}\``, ['services', name, 'port']);
    if (typeof port === 'object' && port.host !== undefined)
      claim(port.host, `\`${name}\``, ['services', name, 'port', 'host']);
  }
  return problems;
};
