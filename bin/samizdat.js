#!/usr/bin/env node
// Runs src/cli.ts in this process through tsx's loader: no compile step, and no process in between,
// so Ctrl-C and SIGTERM reach the build itself (which stops the browser and removes its folders).
import { register } from 'tsx/esm/api';
import fs from 'node:fs';

register();
const { main } = await import('../src/cli.ts');
const { timings } = await import('../src/util/timing.ts');
const code = await main(process.argv.slice(2));
if (process.env['SAMIZDAT_TIMINGS']) fs.writeFileSync(process.env['SAMIZDAT_TIMINGS'], JSON.stringify(timings()));
process.exit(code);
