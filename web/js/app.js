// "Verify my proof" page.
//
// Design: every decision about the proof is made by the C verifier in
// zkpos.wasm (the same code as `zkpos verify-user`); this file only reads
// the user's file, asks the verifier, compares the recomputed root with the
// published one and presents the result. Values from the file are shown
// with textContent only (never parsed as HTML), amounts are converted with
// BigInt so that no digit is lost, and nothing is sent anywhere.
//
// The published root is read from published/root.json next to the page:
//   { "root": "<64 hex digits>",            (required; "Root" also accepted)
//     "exchange": "Name", "snapshot": "2024-05-01 00:00 UTC",   (optional, shown)
//     "assets": [{"Index": 0, "Symbol": "btc"}, ...] }  (optional; Binance's
//        CexAssetsInfo list also accepted, under "assets" or "CexAssetsInfo")
// Without it the proof is still checked, but the verdict says that the root
// could not be compared.

import { load } from './zkpos.js';
import { amount, usd } from './format.js';

const $ = (id) => document.getElementById(id);
const WARMUP_PROOF = JSON.stringify({
  AccountIndex: 0, AccountIdHash: '0'.repeat(64), TotalEquity: 0, TotalDebt: 0, Assets: [],
  Root: '0'.repeat(64), Proof: Array(28).fill('A'.repeat(43) + '='),
});

let verifier = null;
let published = null; // { root, exchange, snapshot, symbols: Map } or null
let publishedReady = null;

// ---- published root -------------------------------------------------------

async function loadPublished() {
  try {
    const resp = await fetch('published/root.json', { cache: 'no-cache' });
    if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
    const j = await resp.json();
    const root = String(j.root ?? j.Root ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(root)) throw new Error('no 64-digit hex "root" in the file');
    const symbols = new Map();
    for (const a of j.assets ?? j.CexAssetsInfo ?? []) {
      if (a && Number.isInteger(a.Index) && typeof a.Symbol === 'string') symbols.set(a.Index, a.Symbol);
    }
    // Leaves commit to an asset table of assetCount entries: 350 in Binance's
    // layout (the default when the file does not say), A for a run with --assets A.
    const assetCount = j.assetCount ?? 350;
    if (!Number.isInteger(assetCount) || assetCount < 1 || assetCount > 350) {
      throw new Error('"assetCount" must be an integer from 1 to 350');
    }
    published = { root, exchange: j.exchange, snapshot: j.snapshot, symbols, assetCount };
    $('published-status').textContent =
      'Published by the exchange' + (published.snapshot ? ` for the snapshot of ${published.snapshot}` : '') + ':';
    $('published-root').textContent = root;
    if (published.exchange) $('exchange').textContent = String(published.exchange);
  } catch (e) {
    published = null;
    $('published-status').textContent =
      'No published root was found next to this page (published/root.json: ' + e.message + '). ' +
      'Your proof can still be checked, but compare its root with the one the exchange published yourself.';
    $('published-root').textContent = '';
  }
}

// ---- rendering --------------------------------------------------------------

function setVerdict(kind, title, text, detail = '') {
  const v = $('verdict');
  v.className = 'verdict verdict-' + kind;
  v.dataset.verdict = kind;
  $('verdict-title').textContent = title;
  $('verdict-text').textContent = text;
  $('verdict-detail').textContent = detail;
  $('result').hidden = false;
  v.focus();
}

// Appends <dt>term</dt><dd>value</dd> to dl, inside a <div> if grouped.
function addRow(dl, term, value, cls = '', grouped = false) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (cls) dd.className = cls;
  if (grouped) {
    const div = document.createElement('div');
    div.append(dt, dd);
    dl.append(div);
  } else dl.append(dt, dd);
  return dd;
}

// A total in USD: the rounded figure, and the exact one below it when they differ.
function addTotal(dl, term, value, cls = '') {
  const { exact, rounded } = usd(value);
  const dd = addRow(dl, term, '', 'num ' + cls, true);
  dd.dataset.exact = exact;
  dd.append(Object.assign(document.createElement('span'), { className: 'main', textContent: rounded }));
  if (rounded !== exact) {
    dd.append(Object.assign(document.createElement('span'), { className: 'exact', textContent: 'exactly ' + exact }));
  }
}

function showBalances(r, verified) {
  $('balances-title').textContent = verified ? 'Your verified balances' : 'Balances stated in this file (not verified)';
  const totals = $('totals');
  totals.replaceChildren();
  addTotal(totals, 'Total equity', r.totalEquity);
  addTotal(totals, 'Total debt', r.totalDebt);
  if (r.totalCollateral !== undefined) addTotal(totals, 'Total collateral', r.totalCollateral);
  addTotal(totals, 'Net balance', (BigInt(r.totalEquity) - BigInt(r.totalDebt)).toString(), 'strong');

  const v2 = r.version === 2;
  const cols = v2
    ? ['Asset', 'Equity', 'Debt', 'Loan', 'Margin', 'Portfolio margin']
    : ['Asset', 'Equity', 'Debt', 'Net'];
  const head = $('assets-head');
  head.replaceChildren(...cols.map((c) => Object.assign(document.createElement('th'), { scope: 'col', textContent: c })));
  const body = $('assets-body');
  body.replaceChildren();
  for (const a of r.assets) {
    const tr = document.createElement('tr');
    const idx = Number(a.index);
    const sym = published?.symbols.get(idx);
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = sym ? sym.toUpperCase() : `Asset #${idx}`;
    if (sym) th.title = `asset index ${idx}`;
    tr.append(th);
    const vals = v2
      ? [a.equity, a.debt, a.loan, a.margin, a.portfolioMargin]
      : [a.equity, a.debt, (BigInt(a.equity) - BigInt(a.debt)).toString()];
    for (const val of vals) tr.append(Object.assign(document.createElement('td'), { textContent: amount(val) }));
    body.append(tr);
  }
  if (!r.assets.length) {
    const td = Object.assign(document.createElement('td'), { textContent: 'No assets in this proof.' });
    td.colSpan = cols.length;
    const tr = document.createElement('tr');
    tr.append(td);
    body.append(tr);
  }
  $('assets-note').textContent = published?.symbols.size
    ? 'Asset names come from the exchange\'s published asset list.'
    : 'Assets are numbered as in the exchange\'s published asset list (names were not published next to this page).';
  $('balances').hidden = false;
}

function showTechnical(r, ms) {
  const tech = $('tech');
  tech.replaceChildren();
  if (r.accountIndex !== undefined) {
    addRow(tech, 'Proof format', r.version === 2 ? 'Binance v2 (with collateral)' : 'Binance v1');
    addRow(tech, 'Account index', r.accountIndex);
    addRow(tech, 'Account ID hash', r.accountIdHash, 'hash');
    addRow(tech, 'Recomputed leaf', r.leaf, 'hash');
    addRow(tech, 'Recomputed root', r.root, 'hash');
    addRow(tech, 'Root in your file', r.claimedRoot, 'hash');
  }
  addRow(tech, 'Published root', published ? published.root : 'not available', published ? 'hash' : '');
  const t = addRow(tech, 'Verification time', `${ms.toFixed(1)} ms`);
  t.id = 'time';
  t.dataset.ms = String(ms);
}

function verifyText(text) {
  if (!verifier) return;
  if (!text.trim()) {
    setVerdict('invalid', 'Nothing to check', 'Drop your proof file above or paste its contents first.');
    $('balances').hidden = true;
    $('technical').hidden = true;
    return;
  }
  let r;
  const t0 = performance.now();
  try {
    r = verifier.verifyUser(text, published ? published.assetCount : 350);
  } catch (e) {
    $('balances').hidden = true;
    $('technical').hidden = true;
    setVerdict('invalid', 'Not verified: the check could not run', 'The verifier stopped with an error.', String(e.message || e));
    return;
  }
  const ms = performance.now() - t0;
  $('technical').hidden = false;
  showTechnical(r, ms);
  if (r.status === 'invalid') {
    $('balances').hidden = true;
    setVerdict('invalid', 'Not verified: this is not a valid proof file',
      'The file could not be read as a proof. Make sure you used the unmodified file from the exchange.',
      'Problem found: ' + r.message);
    return;
  }
  showBalances(r, r.status === 'verified' && published !== null && r.root === published.root);
  if (r.status === 'mismatch') {
    setVerdict('failed', 'NOT verified',
      'Your balances and the hashes in this file do not lead to the root stated in the file. ' +
      'The file was altered or is wrong: do not rely on it, and contact the exchange.',
      r.message);
  } else if (!published) {
    setVerdict('unchecked', 'Proof is consistent, but not compared with a published root',
      'Your balances lead to the root stated in your file, but this page could not load the root the exchange ' +
      'published, so it cannot tell whether that is the published one. Compare this root with the published root:',
      r.root);
  } else if (r.root === published.root) {
    setVerdict('verified', 'Verified: your balance is included',
      'Your balances below lead exactly to the root the exchange published. Your account is part of its ' +
      'proof of reserves.', `Account ${r.accountIndex} · published root ${r.root}`);
  } else {
    setVerdict('failed', 'NOT verified',
      'Your proof is internally consistent, but it leads to a different root than the one the exchange ' +
      'published. Your balances are not covered by the published proof of reserves.',
      `Root of your proof: ${r.root}. Published root: ${published.root}.`);
  }
}

// ---- input ------------------------------------------------------------------

async function readFile(file) {
  if (file.size > 64 << 20) {
    setVerdict('invalid', 'Not verified: this is not a proof file', `The file ${file.name} is far too large.`);
    return;
  }
  const text = await file.text();
  $('proof').value = text;
  verifyText(text);
}

function setupInput() {
  const drop = $('drop');
  for (const ev of ['dragenter', 'dragover']) {
    drop.addEventListener(ev, (e) => {
      e.preventDefault();
      drop.classList.add('dragging');
    });
  }
  for (const ev of ['dragleave', 'drop']) drop.addEventListener(ev, () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files?.[0];
    if (f) readFile(f);
  });
  // A file dropped anywhere else must not make the browser navigate away.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('file').addEventListener('change', (e) => {
    const f = e.target.files?.[0];
    if (f) readFile(f);
    e.target.value = '';
  });
  $('verify').addEventListener('click', () => verifyText($('proof').value));
  $('proof').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) verifyText($('proof').value);
  });
}

async function main() {
  setupInput();
  publishedReady = loadPublished();
  try {
    verifier = await load(new URL('../zkpos.wasm', import.meta.url));
    // Warm-up: browsers compile WebAssembly functions lazily, so the first
    // run is several times slower than the next; do it now, on a dummy proof
    // (all zero, fails), rather than while the user waits.
    const t0 = performance.now();
    verifier.verifyUser(WARMUP_PROOF);
    document.body.dataset.warmupMs = String(performance.now() - t0);
    await publishedReady;
    $('verify').disabled = false;
    $('loading').textContent = '';
    document.body.dataset.ready = 'true';
  } catch (e) {
    $('loading').textContent = '';
    setVerdict('invalid', 'The verifier could not be loaded',
      'This page needs its file zkpos.wasm and a browser with WebAssembly. If you opened the page from your ' +
      'disk, serve the folder over HTTP instead (for example: python3 -m http.server).', String(e.message || e));
    $('technical').hidden = true;
    document.body.dataset.ready = 'error';
  }
}

main();
