// Browser test of the "verify my proof" page (driven by tests/web_verify.sh).
//
// usage: node tests/web_verify.mjs SITE_DIR VECTORS_DIR OUT_DIR
// Serves SITE_DIR (a staged copy of web/ with a freshly built zkpos.wasm)
// on 127.0.0.1 from this process, drives the real page in headless Debian
// chromium through playwright-core, and checks against independent data:
// the v1 and v2 worked examples of vectors.json (user-proof JSON, leaf,
// root) and the amounts as written in their balance-sheet CSV text, and
// snarkjs's Groth16 fixtures (groth16-snarkjs/) through the page's loader. Every
// expected number is derived here from the vector files, never from the
// page's own output. Prints the in-page verification time and writes
// screenshots to OUT_DIR. Exit status 0 only if every check passed.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchBrowser, serveStatic } from './web_common.mjs';

const [SITE, VEC, OUT] = process.argv.slice(2).map((p) => resolve(p));

let passed = 0;
let failed = 0;
function check(cond, what, extra = '') {
  if (cond) passed++;
  else {
    failed++;
    console.error(`FAIL: ${what}${extra ? ` (${extra})` : ''}`);
  }
}

// ---- independent expectations from vectors.json ------------------------------
const vectors = JSON.parse(readFileSync(join(VEC, 'binance/vectors.json'), 'utf8'));
const v1 = vectors.v1_worked_example;
const v1Proof = v1.userproof_config_json_index2;
const v1Doc = JSON.parse(v1Proof); // only small numbers here; used for AccountIndex/Root
const v1Root = v1.account_tree_root;
const v1Leaf = v1.accounts[2].leaf;
check(v1Doc.Root === v1Root, 'vector self-consistency: proof Root is the tree root');

// Row 3 of the CSV is account index 2: its btc equity text and the btc price.
function csvRow(csv, n) {
  const lines = csv.trim().split('\n').map((l) => l.split(','));
  const head = lines[0];
  const row = lines[n];
  return Object.fromEntries(head.map((h, i) => [h, row[i]]));
}
const r3 = csvRow(v1.csv, 3);
// Exact decimal product of two decimal strings, as "int.frac" trimmed.
function decMul(a, b) {
  const parse = (s) => {
    const [i, f = ''] = s.split('.');
    return [BigInt(i + f), f.length];
  };
  const [x, xs] = parse(a);
  const [y, ys] = parse(b);
  const p = (x * y).toString().padStart(xs + ys + 1, '0');
  const int = p.slice(0, p.length - xs - ys);
  const frac = p.slice(p.length - xs - ys).replace(/0+$/, '');
  return { int, frac };
}
function usdText({ int, frac }) {
  while (frac.length < 2) frac += '0';
  return '$' + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + frac;
}
const v1Equity = usdText(decMul(r3.e_btc, r3.btc_usdt_price)); // the user's only asset
const v1BtcEquity = r3.e_btc; // "0.00000001"

// v2: account 1 of the v2 worked example, rebuilt as a user-proof JSON.
const v2 = vectors.v2_worked_example;
const a2 = v2.accounts[1];
const v2Proof =
  `{"AccountIndex":${a2.AccountIndex},"AccountIdHash":"${a2.AccountId}","TotalEquity":${a2.TotalEquity},` +
  `"TotalDebt":${a2.TotalDebt},"TotalCollateral":${a2.TotalCollateral},"Assets":[` +
  a2.assets
    .map((a) => `{"Index":${a.Index},"Equity":${a.Equity},"Debt":${a.Debt},"Loan":${a.Loan},` +
      `"Margin":${a.Margin},"PortfolioMargin":${a.PortfolioMargin}}`)
    .join(',') +
  `],"Root":"${v2.account_tree_root}","Proof":${JSON.stringify(v2.merkle_proof_index1_base64)}}`;
const v2Row = csvRow(v2.user_csv, 2);
const v2Price = v2.cex_csv.split('\n').find((l) => l.startsWith('eth,')).split(',')[1];
const v2Equity = usdText(decMul(v2Row.e_eth, v2Price));
const trimDec = (s) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

// Tampered: one digit of TotalEquity changed. Malformed: cut in the middle.
const tampered = v1Proof.replace(/"TotalEquity":(\d+)/, (m, d) => `"TotalEquity":${d.slice(0, -1)}${(+d.at(-1) + 1) % 10}`);
check(tampered !== v1Proof, 'tampered copy differs');
const malformed = v1Proof.slice(0, 200);

// ---- static server and browser ------------------------------------------------------
const server = await serveStatic(SITE);
const { origin: ORIGIN, requested } = server;
const browser = await launchBrowser();
const page = browser.page;
const foreign = [];
const errors = [];
page.on('request', (r) => {
  if (!r.url().startsWith(ORIGIN + '/') && !r.url().startsWith('data:')) foreign.push(r.url());
});
page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
page.on('console', (m) => {
  if (m.type() === 'error' && !/404 \(Not Found\)/.test(m.text())) errors.push('console: ' + m.text());
});

let published = null; // what published/root.json answers; null = 404
await page.route(`${ORIGIN}/published/root.json`, (route) =>
  published === null
    ? route.fulfill({ status: 404, body: 'not found' })
    : route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(published) }));

async function open(pub) {
  published = pub;
  await page.goto(ORIGIN + '/', { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready]', { timeout: 20000 });
  check((await page.getAttribute('body', 'data-ready')) === 'true', 'verifier loaded');
}
async function verifyPaste(text) {
  await page.fill('#proof', text);
  await page.click('#verify');
  return readResult();
}
async function readResult() {
  await page.waitForSelector('#verdict[data-verdict]', { timeout: 10000 });
  const r = await page.evaluate(() => ({
    verdict: document.getElementById('verdict').dataset.verdict,
    title: document.getElementById('verdict-title').textContent,
    text: document.getElementById('verdict-text').textContent,
    detail: document.getElementById('verdict-detail').textContent,
    totals: [...document.querySelectorAll('#totals dd')].map((d) => d.dataset.exact),
    headline: [...document.querySelectorAll('#totals dd .main')].map((d) => d.textContent),
    balancesTitle: document.getElementById('balances-title').textContent,
    assets: [...document.querySelectorAll('#assets-body tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
    tech: Object.fromEntries([...document.querySelectorAll('#tech dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])),
    ms: Number(document.getElementById('time')?.dataset.ms),
    warmup: Number(document.body.dataset.warmupMs),
    balancesShown: !document.getElementById('balances').hidden,
  }));
  await page.evaluate(() => delete document.getElementById('verdict').dataset.verdict);
  return r;
}
const shot = (name) => page.screenshot({ path: join(OUT, name), fullPage: true });

try {
  const v1Published = { root: v1Root, exchange: 'Example Exchange', snapshot: '2024-01-31 00:00 UTC',
    assets: v1.cex_assets_info_published };

  // 1. The worked example against its published root: verified.
  await open(v1Published);
  const times = [];
  let r = await verifyPaste(v1Proof);
  times.push(r.ms);
  check(r.verdict === 'verified', 'worked example is verified', JSON.stringify(r));
  check(/Verified/.test(r.title), 'success title');
  check(r.tech['Recomputed leaf'] === v1Leaf, 'leaf shown equals the vector leaf', r.tech['Recomputed leaf']);
  check(r.tech['Recomputed root'] === v1Root, 'root shown equals the vector root');
  check(r.tech['Published root'] === v1Root, 'published root shown');
  check(r.tech['Account index'] === String(v1Doc.AccountIndex), 'account index shown');
  check(r.totals[0] === v1Equity, 'total equity in USD from the CSV amount x price', `${r.totals[0]} vs ${v1Equity}`);
  check(r.totals[1] === '$0.00' && r.totals[2] === v1Equity, 'total debt 0 and net balance', r.totals.join(' | '));
  check(r.headline[0] === '< $0.01' && r.headline[1] === '$0.00', 'headline figures rounded to cents', r.headline.join(' | '));
  check(r.balancesTitle === 'Your verified balances', 'balances titled as verified');
  const warmup = r.warmup;
  check(r.assets.length === 1 && r.assets[0][0] === 'BTC' && r.assets[0][1] === v1BtcEquity &&
        r.assets[0][2] === '0', 'asset row: BTC equity as in the CSV', JSON.stringify(r.assets));
  check(r.detail.includes(v1Root), 'verified verdict names the root');
  await page.click('#technical summary'); // show everything in the screenshot
  await shot('verified.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('verified-mobile.png');
  await page.setViewportSize({ width: 1000, height: 900 });
  // more timings (the first call includes the browser's first compile of the code)
  for (let i = 0; i < 4; i++) times.push((await verifyPaste(v1Proof)).ms);

  // 2. Tampered copy (one digit), loaded through the file input: NOT verified.
  writeFileSync(join(OUT, 'tampered.json'), tampered);
  await page.setInputFiles('#file', join(OUT, 'tampered.json'));
  r = await readResult();
  check(r.verdict === 'failed', 'tampered proof is NOT verified', r.verdict);
  check(/NOT verified/.test(r.title), 'failure title');
  check(/root mismatch/.test(r.detail), 'failure names the root mismatch', r.detail);
  check(/not verified/.test(r.balancesTitle), 'balances of a failed proof are marked not verified');
  await shot('tampered.png');

  // 3. Malformed JSON: a message saying what is wrong, from the C verifier.
  r = await verifyPaste(malformed);
  check(r.verdict === 'invalid', 'malformed JSON is rejected', r.verdict);
  check(/malformed JSON/.test(r.detail) && /line 1 column/.test(r.detail), 'message has line and column', r.detail);
  check(!r.balancesShown, 'no balances for malformed input');
  r = await verifyPaste(v1Proof.replace('"TotalDebt":0', '"TotalDebt":-1'));
  check(r.verdict === 'invalid' && /TotalDebt must not be negative/.test(r.detail), 'negative total named', r.detail);
  r = await verifyPaste(v1Proof.replace('"Root"', '"Roots"'));
  check(r.verdict === 'invalid' && /unknown field "Roots"/.test(r.detail), 'unknown field named', r.detail);
  await shot('invalid.png');

  // 4. A valid proof, but the exchange published another root: NOT verified.
  await open({ root: vectors.v1_empty_subtree_hashes_level0_leaf_to_level28_root.at(-1) });
  r = await verifyPaste(v1Proof);
  check(r.verdict === 'failed' && r.detail.includes(v1Root), 'root differing from the published one', r.detail);
  check(r.assets[0][0] === 'Asset #0', 'asset without a published name is numbered');

  // 5. No published root next to the page: consistent but not compared.
  await open(null);
  r = await verifyPaste(v1Proof);
  check(r.verdict === 'unchecked' && r.detail === v1Root, 'unchecked verdict shows the proof root', JSON.stringify(r));
  await shot('unchecked.png');

  // 6. v2 layout (TotalCollateral, Loan/Margin/PortfolioMargin; tiers 50, 500).
  await open({ root: v2.account_tree_root, assets: [{ Index: 0, Symbol: 'btc' }, { Index: 1, Symbol: 'eth' }] });
  r = await verifyPaste(v2Proof);
  check(r.verdict === 'verified', 'v2 worked example is verified', JSON.stringify(r));
  check(r.tech['Recomputed leaf'] === a2.leaf, 'v2 leaf equals the vector');
  check(r.totals[0] === v2Equity && r.headline[0] === v2Equity, 'v2 total equity from the CSV', `${r.totals[0]} vs ${v2Equity}`);
  const want = ['ETH', ...['e_eth', 'd_eth', 'vl_eth', 'm_eth', 'pm_eth'].map((k) => trimDec(v2Row[k]))];
  check(JSON.stringify(r.assets[0]) === JSON.stringify(want), 'v2 asset row from the CSV', `${r.assets[0]} vs ${want}`);

  // 7. Groth16 (snarkjs JSON) in the browser, through the page's own loader:
  // snarkjs's fixture proof verifies, its altered copy (A negated) does not.
  const g = (f) => readFileSync(join(VEC, 'groth16-snarkjs', f), 'utf8');
  const g16 = await page.evaluate(async ([vk, good, bad, pub]) => {
    const { load } = await import('/js/zkpos.js');
    const v = await load('/zkpos.wasm');
    const t0 = performance.now();
    const ok = v.verifyGroth16(vk, good, pub);
    const ms = performance.now() - t0;
    return { ok, ms, bad: v.verifyGroth16(vk, bad, pub), short: v.verifyGroth16(vk, good, '["33"]') };
  }, [g('verification_key.json'), g('proof.json'), g('proof_bad.json'), g('public.json')]);
  check(g16.ok.status === 'verified' && g16.ok.npublic === 2, 'Groth16: snarkjs proof verifies', JSON.stringify(g16.ok));
  check(g16.bad.status === 'failed', 'Groth16: proof_bad.json fails', JSON.stringify(g16.bad));
  check(g16.short.status === 'invalid' && /expects 2/.test(g16.short.message), 'Groth16: wrong public count', JSON.stringify(g16.short));

  check(foreign.length === 0, 'no request leaves the page origin', foreign.join(' '));
  const unexpected = requested.filter((p) => !/^\/(|index\.html|favicon\.svg|css\/style\.css|js\/(app|zkpos|format)\.js|zkpos\.wasm)$/.test(p));
  check(unexpected.length === 0, 'only the site files are requested', unexpected.join(' '));
  check(errors.length === 0, 'no console or page errors', errors.join(' | '));

  const sorted = [...times].sort((a, b) => a - b);
  console.log(`web_verify: in-page verification time (performance.now around the wasm call): ` +
    `cold first call at page load ${warmup.toFixed(1)} ms; user's verification: first ${times[0].toFixed(1)} ms, ` +
    `median of ${times.length} ${sorted[times.length >> 1].toFixed(1)} ms (target <= 50 ms)`);
  console.log(`web_verify: Groth16 verification in the page (first call, key preparation included): ${g16.ms.toFixed(1)} ms`);
  console.log(`web_verify: wasm size ${statSync(join(SITE, 'zkpos.wasm')).size} bytes; screenshots in ${OUT}`);
  if (!(sorted[times.length >> 1] <= 50)) console.log('web_verify: NOTE: median above the 50 ms target');
} catch (e) {
  failed++;
  console.error('FAIL: ' + (e.stack || e));
  await shot('error.png').catch(() => {});
} finally {
  await browser.close();
  server.close();
}
console.log(`web_verify: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
