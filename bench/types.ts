// Types only: `import type` is erased when Node strips types, so benchmarks share these without a
// runtime import between `.ts` files (tsconfig has no `allowImportingTsExtensions`).

/** What `run.ts` hands every benchmark. */
export interface BenchContext {
  /** Measured repetitions per scenario and tool (after one unmeasured warm-up round). */
  runs: number;
  /** The repository root (for `bin/devenv.js`). */
  repoRoot: string;
  /** Progress lines on stderr. */
  log: (line: string) => void;
}

/** One scenario's samples, in milliseconds, for devenv and for the peer. */
export interface ScenarioSamples {
  name: string;
  describe: string;
  devenv: number[];
  peer: number[];
}

/** A row of an explanatory table (phase breakdowns): label and one cell per column. */
export interface DetailRow {
  label: string;
  cells: string[];
}

export interface DetailTable {
  title: string;
  columns: string[];
  rows: DetailRow[];
  /** Markdown paragraphs printed under the table. */
  notes: string[];
}

export interface BenchResult {
  /** The peer's name as shown in tables, e.g. `docker-compose 1.29.2`. */
  peer: string;
  scenarios: ScenarioSamples[];
  details: DetailTable[];
}

export interface BenchModule {
  describe: string;
  run: (context: BenchContext) => Promise<BenchResult>;
}
