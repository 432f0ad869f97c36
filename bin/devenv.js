#!/usr/bin/env node
// Thin launcher: all behaviour lives in the compiled CLI so that `npm link` and `npx devenv` agree.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
