/** samizdat verify [DIST]: recomputes every output's hash listed in manifest.json. */
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST, type Manifest } from './edition/manifest.js';
import { sha256File } from './edition/hash.js';
import { BuildError } from './diagnostics.js';
import type { Logger } from './util/log.js';

export interface VerifyProblem {
  path: string;
  problem: 'missing' | 'changed';
}

export function verifyDist(dist: string): VerifyProblem[] {
  const manifestPath = path.join(dist, MANIFEST);
  if (!fs.existsSync(manifestPath)) throw new BuildError(`no ${MANIFEST} in ${dist}: build with samizdat first`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  const problems: VerifyProblem[] = [];
  for (const out of manifest.outputs) {
    const p = path.join(dist, out.path);
    if (!fs.existsSync(p)) problems.push({ path: out.path, problem: 'missing' });
    else if (fs.statSync(p).size !== out.size || sha256File(p) !== out.sha256) problems.push({ path: out.path, problem: 'changed' });
  }
  return problems;
}

export async function verify(dist: string, log: Logger): Promise<number> {
  const problems = verifyDist(dist);
  for (const p of problems) log.warn(`${path.join(dist, p.path)}: ${p.problem === 'missing' ? 'missing' : 'changed since it was built (SHA-256 differs)'}`);
  if (problems.length) {
    log.warn(`verify: ${problems.length} file(s) differ from ${MANIFEST}`);
    return 1;
  }
  log.info(`verify: every output matches ${MANIFEST}`);
  return 0;
}
