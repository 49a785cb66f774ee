/**
 * Runs Ace by DAISY (ace-core with its puppeteer axe runner) on the EPUBs named on the command line,
 * in one Chromium: the runner is launched once and closed at the end instead of once per EPUB.
 * The browser is the system Chromium (PUPPETEER_EXECUTABLE_PATH). Prints one JSON object to stdout:
 * { "<epub path>": { "outcome": "pass" | "fail", "violations": [...] } }.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ace = require('@daisy/ace-core');
const base = require('@daisy/ace-axe-runner-puppeteer');

let launched = false;
const runner = {
  ...base,
  launch: async () => {
    if (!launched) await base.launch();
    launched = true;
  },
  close: async () => undefined,
};

function violations(report) {
  const out = [];
  for (const doc of report.assertions ?? []) {
    const url = doc['earl:testSubject']?.url ?? '';
    for (const a of doc.assertions ?? []) {
      if (a['earl:result']?.['earl:outcome'] !== 'fail') continue;
      out.push({
        doc: url,
        rule: a['earl:test']?.['dct:title'] ?? '',
        impact: a['earl:test']?.['earl:impact'] ?? '',
        where: [].concat(a['earl:result']?.['earl:pointer']?.css ?? []).join(' | '),
        html: String(a['earl:result']?.html ?? '').slice(0, 300),
        message: String(a['earl:result']?.['dct:description'] ?? '').slice(0, 300),
      });
    }
  }
  return out;
}

async function main() {
  const results = {};
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-ace-'));
  try {
    for (const [i, file] of process.argv.slice(2).entries()) {
      const outdir = path.join(tmp, String(i));
      const [, report] = await ace(path.resolve(file), { cwd: process.cwd(), outdir, tmpdir: path.join(tmp, `x${i}`), silent: true, initLogger: true, jobId: '' }, runner);
      results[file] = { outcome: report['earl:result']?.['earl:outcome'], violations: violations(report), outlines: report.outlines ?? {} };
    }
  } finally {
    if (launched) await base.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
