/** A 1-based position in a source file; line 0 means "the file as a whole". */
export interface SourcePosition {
  line: number;
  col: number;
}

/** Where a value at a path of the parsed document was written. `key: true` asks for the key, not the value. */
export type Locate = (path: readonly PropertyKey[], options?: { key?: boolean }) => SourcePosition;

export const WHOLE_FILE: SourcePosition = { line: 0, col: 0 };
