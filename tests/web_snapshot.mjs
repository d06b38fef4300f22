// Browser test of the "verify the snapshot" page (driven by tests/web_verify.sh).
//
// usage: node tests/web_snapshot.mjs ROOT_DIR OUT_DIR
// ROOT_DIR holds published sites (each a `zkpos publish` directory with the
// staged web page and a freshly built zkpos.wasm): good/ (untouched),
// proof/ (the proofs of batches 0 and 1 swapped: each a valid proof of the
// other batch), total/ (one published CEX total increased by 1), root/
// (root.json changed). `zkpos verify` has already been run on each by the
// shell script (it passes on good/ only). This serves ROOT_DIR on 127.0.0.1,
// drives the real page in headless chromium and checks the verdicts, the
// batch the failure names and the totals table against numbers computed
// here from the published cex_assets_info.json text (BigInt, not the
// page's formatting code). Screenshots go to OUT_DIR; prints the in-page
// verification time.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchBrowser, serveStatic } from './web_common.mjs';

const [ROOT, OUT] = process.argv.slice(2).map((p) => resolve(p));

let passed = 0;
let failed = 0;
function check(cond, what, extra = '') {
  if (cond) passed++;
  else {
    failed++;
    console.error(`FAIL: ${what}${extra ? ` (${extra})` : ''}`);
  }
}

// ---- independent expectations from the published files --------------------
const pub = (site, f) => readFileSync(join(ROOT, site, f), 'utf8');
const root = JSON.parse(pub('good', 'root.json')).root;
const nbatches = JSON.parse(pub('good', 'config.json')).batches;
// Integers of cex_assets_info.json as BigInt (JSON.parse would round them).
const cex = [...pub('good', 'cex_assets_info.json').matchAll(/\{[^}]*\}/g)].map((m) => {
  const num = (k) => BigInt(m[0].match(new RegExp(`"${k}":(\\d+)`))[1]);
  return { index: Number(num('Index')), symbol: m[0].match(/"Symbol":"([^"]*)"/)[1].toUpperCase(),
    equity: num('TotalEquity'), debt: num('TotalDebt'), price: num('BasePrice') };
}).sort((a, b) => a.index - b.index);
check(cex.length > 0, 'published CEX list read');
// n / 10^d as plain decimal text with thousands separators (minimal fraction).
function dec(n, d) {
  const s = n.toString().padStart(d + 1, '0');
  const int = s.slice(0, -d).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = s.slice(-d).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}
// USD x 10^16 rounded half up to cents, as "$1,234.56"
function cents(v) {
  const s = ((v + 50000000000000n) / 100000000000000n).toString().padStart(3, '0');
  return '$' + s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + s.slice(-2);
}
const expectRows = cex.map((a) => [a.symbol, dec(a.equity, 8), dec(a.debt, 8), cents(a.equity * a.price), cents(a.debt * a.price)]);
const netTotal = cents(cex.reduce((s, a) => s + (a.equity - a.debt) * a.price, 0n));

// ---- static server and browser ------------------------------------------------------
const server = await serveStatic(ROOT);
const ORIGIN = server.origin;
const browser = await launchBrowser();
const page = browser.page;
const foreign = [];
const errors = [];
page.on('request', (r) => {
  if (!r.url().startsWith(ORIGIN + '/')) foreign.push(r.url());
});
page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
page.on('console', (m) => {
  if (m.type() === 'error') errors.push('console: ' + m.text());
});
const shot = (name) => page.screenshot({ path: join(OUT, name), fullPage: true });

async function openSite(site) {
  await page.goto(`${ORIGIN}/${site}/snapshot.html`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-done]', { timeout: 60000 });
  return page.evaluate(() => ({
    done: document.body.dataset.done,
    verdict: document.getElementById('verdict').dataset.verdict,
    title: document.getElementById('verdict-title').textContent,
    problems: [...document.querySelectorAll('#verdict-problems li')].map((li) => li.textContent),
    progress: document.getElementById('progress').getAttribute('aria-valuenow'),
    cells: [...document.querySelectorAll('#batch-grid .cell')].map((c) => c.dataset.status),
    rows: [...document.querySelectorAll('#cex-body tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
    totals: [...document.querySelectorAll('#totals dd')].map((d) => d.textContent),
    checks: [...document.querySelectorAll('#checks li')].map((li) => li.dataset.ok),
    chart: document.querySelectorAll('#chart svg rect').length,
    ms: Number(document.body.dataset.verifyMs),
  }));
}

try {
  // 1. The untouched snapshot verifies.
  let r = await openSite('good');
  check(r.done === 'verified' && r.verdict === 'verified', 'published snapshot verifies', JSON.stringify(r));
  check(/^Verified/.test(r.title), 'success title', r.title);
  check(r.problems.some((p) => p.includes(root)), 'verdict names the published root');
  check(r.progress === '100', 'progress bar full');
  check(r.cells.length === nbatches && r.cells.every((c) => c === 'verified'), `all ${nbatches} batches verified`, r.cells.join());
  check(r.checks.length === 5 && r.checks.every((c) => c === 'true'), 'every check passed', r.checks.join());
  check(r.rows.length === expectRows.length, 'one table row per published asset');
  for (let i = 0; i < expectRows.length; i++) {
    const got = r.rows[i] || [];
    const want = expectRows[i];
    check(got[0] === want[0] && got[1] === want[1] && got[2] === want[2] && got[4] === want[3] && got[5] === want[4],
      `asset row ${i} matches cex_assets_info.json`, `${got} vs ${want}`);
  }
  check(r.totals[2] === netTotal, 'net customer balance', `${r.totals[2]} vs ${netTotal}`);
  check(r.chart >= 2 * cex.length, 'chart has a bar per asset and kind', String(r.chart));
  const goodMs = r.ms;
  await page.click('#technical summary');
  await shot('snapshot-verified.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400); // the chart redraws at the new width
  await shot('snapshot-verified-mobile.png');
  await page.setViewportSize({ width: 1000, height: 900 });

  // 2. Proofs of batches 0 and 1 swapped: both fail, named by batch.
  r = await openSite('proof');
  check(r.verdict === 'failed' && /NOT verified/.test(r.title), 'swapped proofs: NOT verified', JSON.stringify(r));
  check(r.problems.some((p) => /^Batch 0: Groth16 proof does not verify/.test(p)) &&
        r.problems.some((p) => /^Batch 1: Groth16 proof does not verify/.test(p)), 'failure names batches 0 and 1',
  r.problems.join(' | '));
  check(r.cells[0] === 'failed' && r.cells[1] === 'failed' && r.cells.slice(2).every((c) => c === 'verified'),
    'per-batch status: 0 and 1 failed, the rest verified', r.cells.join());
  await shot('snapshot-tampered-proof.png');

  // 3. A published total changed: the final check fails, the proofs still verify.
  r = await openSite('total');
  check(r.verdict === 'failed', 'changed total: NOT verified', JSON.stringify(r));
  check(r.problems.some((p) => /Final check: .*commitment of the published CEX totals/.test(p)),
    'failure names the published totals', r.problems.join(' | '));
  check(r.checks[2] === 'false', 'the totals check is marked failed', r.checks.join());
  await shot('snapshot-tampered-total.png');

  // 4. A different root published: the root check fails.
  r = await openSite('root');
  check(r.verdict === 'failed' && r.problems.some((p) => /root\.json differs from the last batch's root/.test(p)),
    'changed root.json: NOT verified, named', r.problems.join(' | '));

  // 5. A missing file: a message that names it.
  r = await openSite('nofile');
  check(r.verdict === 'invalid' && /proofs\.json/.test(await page.textContent('#verdict-text')), 'missing proofs.json named');

  // 6. A user proof of this run (asset table of A = config.json's assets,
  // not 350) verifies on the user page against the published root, which
  // carries A; a copy with one balance changed does not.
  await page.goto(`${ORIGIN}/good/index.html`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready]', { timeout: 20000 });
  const upLine = readFileSync(join(ROOT, 'userproofs.jsonl'), 'utf8').split('\n')[0];
  const userVerdict = async (text) => {
    await page.fill('#proof', text);
    await page.click('#verify');
    await page.waitForSelector('#verdict[data-verdict]', { timeout: 10000 });
    const v = await page.evaluate(() => document.getElementById('verdict').dataset.verdict);
    await page.evaluate(() => delete document.getElementById('verdict').dataset.verdict);
    return v;
  };
  check((await userVerdict(upLine)) === 'verified', 'a user proof of the run verifies against the published root');
  const upBad = upLine.replace(/"Equity":(\d+)/, (m, d) => `"Equity":${BigInt(d) + 1n}`);
  check(upBad !== upLine && (await userVerdict(upBad)) === 'failed', 'the same proof with a changed equity fails');

  // 7. The two pages link to each other.
  await page.click('nav a[href="snapshot.html"]');
  await page.waitForSelector('body[data-done]', { timeout: 60000 });
  check(page.url().endsWith('/good/snapshot.html'), 'the proof page links to the snapshot page');

  // 8. The module is single-threaded: no shared memory, no imports but WASI.
  const mod = await page.evaluate(async () => {
    const m = await WebAssembly.compile(await (await fetch('zkpos.wasm')).arrayBuffer());
    return { imports: WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}:${i.kind}`),
      exports: WebAssembly.Module.exports(m).map((e) => e.name) };
  });
  check(mod.imports.every((i) => i.startsWith('wasi_snapshot_preview1.') && i.endsWith(':function')),
    'wasm imports only WASI functions (no shared memory, no thread spawn)', mod.imports.join(' '));
  check(mod.exports.includes('memory') && !mod.imports.some((i) => /memory|thread/.test(i)), 'wasm owns its memory');
  const shared = await page.evaluate(async () => {
    const { load } = await import('./js/zkpos.js');
    const v = await load('zkpos.wasm');
    return typeof SharedArrayBuffer !== 'undefined' && v.x.memory.buffer instanceof SharedArrayBuffer;
  });
  check(shared === false, 'wasm memory is not shared');

  check(foreign.length === 0, 'no request leaves the page origin', foreign.join(' '));
  check(errors.filter((e) => !/404/.test(e)).length === 0, 'no console or page errors', errors.join(' | '));
  console.log(`web_snapshot: ${nbatches} batch proofs verified in the page in ${goodMs.toFixed(0)} ms ` +
    `(${(goodMs / nbatches).toFixed(1)} ms per proof); screenshots in ${OUT}`);
} catch (e) {
  failed++;
  console.error('FAIL: ' + (e.stack || e));
  await shot('snapshot-error.png').catch(() => {});
} finally {
  await browser.close();
  server.close();
}
console.log(`web_snapshot: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
