// Preloaded (NODE_OPTIONS=--require) into a warm-start spare: a Node runtime started ahead of a restart,
// paused here before the service's own code, so that a restart skips Node's bootstrap. devenv writes
// one byte to stdin to let it go on and load the service's code fresh from disk; EOF (devenv closed the
// pipe, or died) ends it quietly. See src/process/start-spare-process.ts.
'use strict';
const { readSync } = require('node:fs');

const MARKER = 'DEVENV_WARM_START_NODE_OPTIONS';
const marker = process.env[MARKER];
// Without the marker this is not a spare (a process that copied the spare's NODE_OPTIONS): go on.
if (marker !== undefined) {
  delete process.env[MARKER];
  // The service, and the Node processes it starts itself, see NODE_OPTIONS as the user set it.
  const own = JSON.parse(marker);
  if (own === null) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = own;
  // A child's stdin pipe is in blocking mode (libuv sets fds 0-2 so), so this waits without polling.
  if (readSync(0, Buffer.alloc(1), 0, 1, null) === 0) process.exit(0);
}
