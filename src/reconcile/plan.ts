/** One thing the executor must do. Reconcile decides; the executor only carries out. */
export type PlanStep =
  | { kind: 'create-network'; network: string }
  | { kind: 'create-volume'; volume: string }
  | { kind: 'create-container'; name: string; after: readonly string[] }
  | {
      kind: 'recreate-container';
      name: string;
      id: string;
      /** Config hashes; equal when only the build context changed. */
      from: string;
      to: string;
      /**
       * Its build context changed since the container's image was built: why it is recreated, for the
       * plan's text (the executor builds by the fingerprints it is given, see `ensureImage`).
       */
      rebuild?: boolean;
      after: readonly string[];
    }
  | { kind: 'start-container'; name: string; id: string; after: readonly string[] }
  | { kind: 'keep-container'; name: string; id: string }
  | { kind: 'remove-container'; name: string; id: string; reason: RemoveReason };

export type RemoveReason = 'removed from devenv.yaml' | 'duplicate';

/** The result of reconcile: data the executor applies, with a text form tests and `--verbose` print. */
export interface Plan {
  steps: readonly PlanStep[];
}

/** True when applying the plan would change nothing on the engine (a second `up` with no edits). */
export function isNoop(plan: Plan): boolean {
  return plan.steps.every((step) => step.kind === 'keep-container');
}

/** One line per step, stable order, meant for humans and for assertions in tests. */
export function formatPlan(plan: Plan): string {
  return plan.steps.map(formatStep).join('\n');
}

function formatStep(step: PlanStep): string {
  switch (step.kind) {
    case 'create-network':
      return `network ${step.network}: create`;
    case 'create-volume':
      return `volume ${step.volume}: create`;
    case 'create-container':
      return `${step.name}: create${after(step.after)}`;
    case 'recreate-container':
      return `${step.name}: recreate (${recreateReasons(step).join(', ')})${after(step.after)}`;
    case 'start-container':
      return `${step.name}: start${after(step.after)}`;
    case 'keep-container':
      return `${step.name}: keep`;
    case 'remove-container':
      return `${step.name}: remove (${step.reason})`;
  }
}

function recreateReasons(step: Extract<PlanStep, { kind: 'recreate-container' }>): string[] {
  return [
    ...(step.from !== step.to ? [`config ${short(step.from)} → ${short(step.to)}`] : []),
    ...(step.rebuild ? ['build context changed'] : []),
  ];
}

const after = (names: readonly string[]): string => (names.length > 0 ? ` after ${names.join(', ')}` : '');
const short = (hash: string): string => hash.slice(0, 8);
