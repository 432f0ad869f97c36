#!/usr/bin/env node
// Thin launcher: all behaviour lives in the compiled CLI so that `npm link` and `npx devenv` agree.
import module from 'node:module';
import v8 from 'node:v8';

// Caches compiled code on disk (Node ≥ 22.1): every command starts noticeably faster from the second run.
module.enableCompileCache?.();

const [first, ...rest] = process.argv.slice(2);

if (first !== '__router') {
  // devenv's long-lived processes (the terminal UI, the supervisor) mostly wait, and what they keep is
  // small (a bounded scroll-back, the environment's state), so V8's memory-for-speed defaults only
  // let garbage pile up (see bench/README.md, `tui`): a young generation that keeps its initial size,
  // and a full collection once the old generation is a fifth more than what survived the last one
  // rather than up to four times it. These still apply when set at run time, unlike the heap sizes.
  // The router keeps V8's defaults: under load, fewer collections mean more requests.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--heap-growing-percent=20');
}
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
