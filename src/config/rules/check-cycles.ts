// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` in plain strings is devenv.yaml's own syntax.
import type { ConfigProblem } from '../../errors/config-error.js';
import { type Edge, entityGraph } from '../entity-graph.js';
import { problemAt, type Rule } from './rule-context.js';

/** A cycle in `depends_on` (or references to dependencies) can never start; report each cycle once. */
export const checkCycles: Rule = (context) => {
  const graph = entityGraph(context.config);
  const problems: ConfigProblem[] = [];
  const reported = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: { name: string; edge: Edge | undefined }[] = [];

  const visit = (name: string, via: Edge | undefined): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const start = stack.findIndex((frame) => frame.name === name);
      const cycle = [...stack.slice(start + 1).map((f) => f.edge), via].filter(
        (e): e is Edge => e !== undefined,
      );
      const names = stack.slice(start).map((f) => f.name);
      const key = [...names].sort().join(' ');
      if (!reported.has(key)) {
        reported.add(key);
        const first = cycle[0];
        problems.push(
          problemAt(context, first?.path ?? [], `dependency cycle: ${[...names, name].join(' → ')}`, {
            hint: cycle.some((edge) => edge.implicit)
              ? 'a `${name.key}` reference to a dependency also means "start it first"; break the loop'
              : 'remove one of these depends_on entries',
          }),
        );
      }
      return;
    }
    state.set(name, 'visiting');
    stack.push({ name, edge: via });
    for (const edge of graph.get(name) ?? []) if (graph.has(edge.name)) visit(edge.name, edge);
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of graph.keys()) visit(name, undefined);
  return problems;
};
