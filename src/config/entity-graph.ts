import type { DevenvFile } from './schema/devenv-file-schema.js';
import { parseTemplate } from './template.js';

export type Condition = 'started' | 'healthy' | 'completed';

export interface Edge {
  /** The name depended on. */
  name: string;
  /** Written condition; `undefined` means "healthy if it has a ready check, else started". */
  condition: Condition | undefined;
  /** From a `${name.key}` reference to a dependency rather than from `depends_on`. */
  implicit: boolean;
  /** Where it was written, for messages. */
  path: PropertyKey[];
}

/**
 * Start-order edges of every dependency and service: `depends_on` entries, plus an implicit edge to each
 * *dependency* an env value references (`${db.url}` means db must be up first). References to services
 * add no edge, so two services may point at each other (api ↔ web) without a cycle.
 */
export function entityGraph(config: DevenvFile): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const section of ['dependencies', 'services'] as const) {
    for (const [name, entity] of Object.entries(config[section])) {
      const edges = explicitEdges(entity.depends_on, [section, name, 'depends_on']);
      for (const [key, value] of Object.entries(entity.env ?? {})) {
        for (const target of referencedNames(String(value))) {
          if (Object.hasOwn(config.dependencies, target) && !edges.some((edge) => edge.name === target)) {
            edges.push({
              name: target,
              condition: undefined,
              implicit: true,
              path: [section, name, 'env', key],
            });
          }
        }
      }
      graph.set(name, edges);
    }
  }
  return graph;
}

function explicitEdges(dependsOn: DevenvFile['services'][string]['depends_on'], path: PropertyKey[]): Edge[] {
  if (dependsOn === undefined) return [];
  if (Array.isArray(dependsOn)) {
    return dependsOn.map((name, index) => ({
      name,
      condition: undefined,
      implicit: false,
      path: [...path, index],
    }));
  }
  return Object.entries(dependsOn).map(([name, value]) => ({
    name,
    condition: typeof value === 'string' ? value : value.condition,
    implicit: false,
    path: [...path, name],
  }));
}

/** Names referenced as `${name.key}` in a string (secrets excluded); malformed strings reference nothing. */
export function referencedNames(text: string): string[] {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return [];
  return parsed.parts.flatMap((part) => (part.kind === 'ref' ? [part.target] : []));
}

/**
 * Names in an order where everything comes after what it depends on (stable: file order otherwise).
 * Names on a cycle are appended at the end; the cycle rule reports them.
 */
export function startOrder(graph: ReadonlyMap<string, readonly Edge[]>, names: readonly string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.get(name) !== undefined) return;
    state.set(name, 'visiting');
    for (const edge of graph.get(name) ?? []) if (names.includes(edge.name)) visit(edge.name);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name);
  return order;
}
