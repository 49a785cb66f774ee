#!/usr/bin/env node
// The installed command: runs the compiled JavaScript in lib/ (made by `npm run build:js`, which
// `npm install` in a clone and `npm pack` run through the prepare script).
import { existsSync } from 'node:fs';

const cli = new URL('../lib/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('samizdat: lib/cli.js is missing: run `npm run build:js` in the samizdat folder (npm install does it)\n');
  process.exit(1);
}
const { run } = await import(cli.href);
run(process.argv.slice(2));
