#!/usr/bin/env node
// Thin launcher: all behaviour lives in the compiled CLI so that `npm link` and `npx devenv` agree.
import module from 'node:module';

// Caches compiled code on disk (Node ≥ 22.1): every command starts noticeably faster from the second run.
module.enableCompileCache?.();

const [first, ...rest] = process.argv.slice(2);
if (first === '__supervise') {
  // The background supervisor `devenv up` starts: a lean entry without the command-line parser.
  const { supervise } = await import('../dist/cli/supervise-entry.js');
  process.exitCode = await supervise(rest);
} else if (first === '__router') {
  // The machine's router, started on demand by the first supervisor that publishes routes.
  const { route } = await import('../dist/cli/router-entry.js');
  process.exitCode = await route(rest);
} else {
  const { main } = await import('../dist/cli/main.js');
  // A command is over when main returns: a socket or timer someone forgot must not keep the terminal
  // waiting. (stdout and stderr are synchronous for files, pipes and terminals on Linux and macOS.)
  process.exit(await main(process.argv.slice(2)));
}
