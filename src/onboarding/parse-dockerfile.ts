/** What init reads from a Dockerfile: the first EXPOSEd port and the names of its stages. */
export function parseDockerfile(text: string): { port?: number; stages: string[] } {
  const stages: string[] = [];
  let port: number | undefined;
  // Continuation lines join their instruction; comments are skipped.
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from?.[1]) stages.push(from[1].toLowerCase());
    const expose = /^EXPOSE\s+(\d+)/i.exec(line);
    if (expose?.[1] && port === undefined) port = Number(expose[1]);
  }
  return { ...(port === undefined ? {} : { port }), stages };
}

/** A stage made for development, to build as `target:`. */
export function devStage(stages: readonly string[]): string | undefined {
  return stages.find((stage) => stage === 'dev' || stage === 'development');
}
