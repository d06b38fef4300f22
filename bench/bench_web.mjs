// Timings of the two web pages in headless chromium (driven by bench/bench_web.sh).
//
// usage: node bench/bench_web.mjs SITE_DIR VECTORS_DIR [RUNS]
// SITE_DIR is a `zkpos publish` directory with the staged page and
// zkpos.wasm. Prints one line per measurement:
//   snapshot: the page's own timing of the proof phase (all batch proofs,
//     performance.now from the first proof job to the last result) and of
//     the whole check (fetching the files, starting the workers, the chain
//     checks, the proofs), per run, with 1 worker and with the default
//     (navigator.hardwareConcurrency);
//   user proof: the time of one verify-user call on the "verify my proof"
//     page (the v1 worked example of the vectors), median of RUNS clicks
//     after the page's warm-up.
// A screenshot of the verified snapshot goes to SITE_DIR/../snapshot.png.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser, serveStatic } from '../tests/web_common.mjs';

const [SITE, VEC] = process.argv.slice(2, 4).map((p) => resolve(p));
const RUNS = Number(process.argv[4] || 5);

const server = await serveStatic(SITE);
const ORIGIN = server.origin;
const browser = await launchBrowser();
const page = browser.page;
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const info = `chromium headless, ${cpus().length} CPUs (${cpus()[0].model.trim()})`;
let status = 0;
try {
  const batches = JSON.parse(readFileSync(join(SITE, 'config.json'), 'utf8')).batches;
  for (const workers of [1, 0]) {
    const verify = [];
    const total = [];
    let nw = 0;
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      await page.goto(`${ORIGIN}/snapshot.html${workers ? `?workers=${workers}` : ''}`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-done]', { timeout: 120000 });
      const r = await page.evaluate(() => ({ done: document.body.dataset.done, verify: +document.body.dataset.verifyMs,
        total: +document.body.dataset.totalMs, time: document.getElementById('time').textContent }));
      if (r.done !== 'verified') {
        console.error(`bench_web: the snapshot did not verify (${r.done})`);
        status = 1;
      }
      verify.push(r.verify);
      total.push(r.total);
      nw = /(\d+) worker/.exec(r.time)?.[1];
    }
    if (!workers) await page.screenshot({ path: join(SITE, '..', 'snapshot.png'), fullPage: true });
    console.log(`bench_web: snapshot page, ${batches} batch proofs, ${nw} worker(s): proofs ` +
      `${verify.map((v) => (v / 1000).toFixed(2)).join(' / ')} s (${(median(verify) / batches).toFixed(1)} ms per proof), ` +
      `whole check ${total.map((v) => (v / 1000).toFixed(2)).join(' / ')} s; ${info}`);
  }

  const vectors = JSON.parse(readFileSync(join(VEC, 'binance/vectors.json'), 'utf8'));
  const v1 = vectors.v1_worked_example;
  await page.route(`${ORIGIN}/published/root.json`, (route) => route.fulfill({ status: 200,
    contentType: 'application/json', body: JSON.stringify({ root: v1.account_tree_root }) }));
  await page.goto(`${ORIGIN}/index.html`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready]', { timeout: 20000 });
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.fill('#proof', v1.userproof_config_json_index2);
    await page.click('#verify');
    await page.waitForSelector('#verdict[data-verdict]');
    const r = await page.evaluate(() => ({ v: document.getElementById('verdict').dataset.verdict,
      ms: +document.getElementById('time').dataset.ms }));
    await page.evaluate(() => delete document.getElementById('verdict').dataset.verdict);
    if (r.v !== 'verified') status = 1;
    times.push(r.ms);
  }
  const warm = await page.evaluate(() => +document.body.dataset.warmupMs);
  console.log(`bench_web: user proof page, one verification: median ${median(times).toFixed(1)} ms ` +
    `(${times.map((t) => t.toFixed(1)).join(' / ')}; cold first call at page load ${warm.toFixed(1)} ms); ${info}`);
} finally {
  await browser.close();
  server.close();
}
process.exit(status);
