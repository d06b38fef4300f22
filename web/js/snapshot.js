// "Verify the snapshot" page: the auditor's check of `zkpos verify`, in the
// browser.
//
// Design: every decision is made by the C verifier (zkpos.wasm, exports in
// web/wasm/exports_snapshot.c, the same library calls as `zkpos verify`);
// this file fetches the published files next to the page, hands them to Web
// Workers (js/snapshot-worker.js) and presents what comes back. The work
// runs in workers so that the page stays responsive and the progress bar
// moves; with several cores, several workers (each its own single-threaded
// wasm instance) verify interleaved batches. Worker 0 first reports the
// checks that are not proofs (files, count, order, the chain of roots and
// CEX commitments, the final root and totals); then every batch proof is
// verified, even after a failure, so that each batch's status is shown.
// Totals are converted with BigInt (no digit lost); values from the files
// are shown with textContent only.
//
// Published files read (as `zkpos publish` writes them, same directory):
// verification_key.json, config.json, cex_assets_info.json, proofs.json,
// root.json.

import { amount, scaled, usd } from './format.js';

const $ = (id) => document.getElementById(id);
const FILES = {
  vk: 'verification_key.json', config: 'config.json', cex: 'cex_assets_info.json',
  proofs: 'proofs.json', root: 'root.json',
};
const MAX_WORKERS = 8;
const MAX_PROBLEMS = 8;

let workers = [];
let chartData = null; // the CEX list the chart shows, redrawn on resize
let run = 0; // incremented per run; messages of an older run are ignored

// ---- rendering helpers ------------------------------------------------------

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function setProgress(done, total, text) {
  const pct = total ? Math.round((100 * done) / total) : 0;
  $('progress-bar').style.width = pct + '%';
  $('progress').setAttribute('aria-valuenow', String(pct));
  $('progress-text').textContent = text;
}

function setVerdict(kind, title, text, problems = []) {
  const v = $('verdict');
  v.className = 'verdict verdict-' + kind;
  $('verdict-title').textContent = title;
  $('verdict-text').textContent = text;
  const ul = $('verdict-problems');
  ul.replaceChildren(...problems.slice(0, MAX_PROBLEMS).map((p) => el('li', { textContent: p })));
  if (problems.length > MAX_PROBLEMS) ul.append(el('li', { textContent: `… and ${problems.length - MAX_PROBLEMS} more` }));
  $('result').hidden = false;
  v.dataset.verdict = kind; // set last: the tests wait for it
}

function addRow(dl, term, value, cls = '') {
  const dd = el('dd', { textContent: value });
  if (cls) dd.className = cls;
  dl.append(el('dt', { textContent: term }), dd);
  return dd;
}

const symbolOf = (a) => (a.symbol ? a.symbol.toUpperCase() : `Asset #${a.index}`);
// value in USD x 10^16 of an amount (x 10^8) at a price (USD x 10^8)
const value = (amt, price) => BigInt(amt) * BigInt(price);

// ---- totals: table and chart -------------------------------------------------

function showTotals(summary) {
  const cex = summary.cex;
  let te = 0n;
  let td = 0n;
  const body = $('cex-body');
  body.replaceChildren();
  for (const a of cex) {
    const ev = value(a.equity, a.price);
    const dv = value(a.debt, a.price);
    te += ev;
    td += dv;
    const th = el('th', { scope: 'row', textContent: symbolOf(a), title: `asset index ${a.index}` });
    const cells = [amount(a.equity), amount(a.debt), '$' + scaled(a.price, 8, 2), usd(ev).rounded, usd(dv).rounded];
    const tr = el('tr', {}, th, ...cells.map((c) => el('td', { textContent: c })));
    tr.dataset.index = String(a.index);
    body.append(tr);
  }
  if (!cex.length) body.append(el('tr', {}, el('td', { colSpan: 6, textContent: 'No assets were published.' })));
  const dl = $('totals');
  dl.replaceChildren();
  const total = (term, v, cls = '') => {
    const { exact, rounded } = usd(v.toString());
    const dd = el('dd', { className: cls }, el('span', { className: 'main', textContent: rounded }));
    dd.dataset.exact = exact;
    dl.append(el('div', {}, el('dt', { textContent: term }), dd));
  };
  total('Customer assets', te);
  total('Customer debts', td);
  total('Net customer balance', te - td, 'strong');
  $('totals-card').hidden = false; // before drawing: the chart takes its width
  chartData = cex;
  drawChart(cex);
}

// Horizontal bars, equity and debt value per asset, on one linear USD scale.
function drawChart(cex) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const rows = cex.map((a) => ({ a, e: value(a.equity, a.price), d: value(a.debt, a.price) }));
  const max = rows.reduce((m, r) => (r.e > m ? r.e : r.d > m ? r.d : m), 1n);
  // drawn at the width it is shown at, so that text keeps its size on phones
  const W = Math.max(300, Math.round($('chart').clientWidth || 760));
  const LABEL = W < 500 ? 64 : 90;
  const VALUE = 130;
  const BAR = 16;
  const ROW = 2 * BAR + 22;
  const H = Math.max(1, rows.length) * ROW + 34;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', class: 'chart-svg' });
  root.append(svg('title', {}, 'Customer assets and debts per asset in USD'));
  const span = W - LABEL - VALUE;
  const frac = (v) => Number((v * 100000n) / max) / 100000;
  rows.forEach((r, i) => {
    const y = i * ROW + 6;
    root.append(svg('text', { x: 0, y: y + BAR + 4, class: 'chart-label' }, symbolOf(r.a)));
    for (const [k, v, cls] of [[0, r.e, 'bar-equity'], [1, r.d, 'bar-debt']]) {
      const by = y + k * (BAR + 4);
      const w = v > 0n ? Math.max(2, frac(v) * span) : 0;
      root.append(svg('rect', { x: LABEL, y: by, width: w.toFixed(1), height: BAR, rx: 3, class: cls }));
      root.append(svg('text', { x: LABEL + w + 8, y: by + BAR - 3, class: 'chart-value' }, usd(v.toString()).rounded));
    }
  });
  const ly = rows.length * ROW + 12;
  root.append(svg('rect', { x: LABEL, y: ly, width: 12, height: 12, rx: 2, class: 'bar-equity' }));
  root.append(svg('text', { x: LABEL + 18, y: ly + 11, class: 'chart-legend' }, 'equity (customer assets)'));
  root.append(svg('rect', { x: LABEL + 190, y: ly, width: 12, height: 12, rx: 2, class: 'bar-debt' }));
  root.append(svg('text', { x: LABEL + 208, y: ly + 11, class: 'chart-legend' }, 'debt'));
  $('chart').replaceChildren(root);
}

// ---- batches --------------------------------------------------------------------

function chainStatus(summary, i) {
  if (summary.check === 'chain') {
    if (i < summary.batch) return ['ok', 'linked'];
    if (i === summary.batch) return ['failed', 'FAILED'];
    return ['pending', 'not checked'];
  }
  if (['files', 'count', 'order'].includes(summary.check)) return ['pending', 'not checked'];
  return ['ok', 'linked'];
}

function setupBatches(summary, n) {
  const grid = $('batch-grid');
  const body = $('batches-body');
  grid.replaceChildren();
  body.replaceChildren();
  for (let i = 0; i < n; i++) {
    const cell = el('span', { className: 'cell cell-pending', title: `Batch ${i}: pending`, role: 'listitem' });
    cell.dataset.batch = String(i);
    cell.dataset.status = 'pending';
    grid.append(cell);
    const [cls, text] = chainStatus(summary, i);
    const tr = el('tr', {}, el('th', { scope: 'row', textContent: String(i) }), el('td', { textContent: 'pending' }),
      el('td', { textContent: text, className: 'st-' + cls }), el('td', { textContent: '' }));
    if (cls === 'failed') {
      cell.classList.add('cell-chain-failed');
      tr.children[2].title = summary.message;
    }
    body.append(tr);
  }
  $('batches-card').hidden = n === 0;
}

function showBatch(r, ms) {
  const cell = $('batch-grid').children[r.batch];
  const tr = $('batches-body').children[r.batch];
  if (!cell || !tr) return;
  const ok = r.status === 'verified';
  const chainBad = cell.classList.contains('cell-chain-failed');
  cell.className = 'cell ' + (ok && !chainBad ? 'cell-verified' : 'cell-failed');
  cell.dataset.status = r.status;
  cell.title = `Batch ${r.batch}: proof ${ok ? 'verified' : r.message}` + (chainBad ? '; chain check failed' : '');
  tr.children[1].textContent = ok ? 'verified' : r.message;
  tr.children[1].className = ok ? 'st-ok' : 'st-failed';
  tr.children[3].textContent = `${ms.toFixed(1)} ms`;
}

// ---- the run --------------------------------------------------------------------

async function fetchFiles() {
  const files = {};
  await Promise.all(Object.entries(FILES).map(async ([k, name]) => {
    let resp;
    try {
      resp = await fetch(new URL('../' + name, import.meta.url), { cache: 'no-cache' });
    } catch (e) {
      throw new Error(`could not load ${name}: ${e.message}`);
    }
    if (!resp.ok) throw new Error(`could not load ${name} (HTTP ${resp.status}); it should lie next to this page`);
    files[k] = await resp.text();
  }));
  return files;
}

function stopWorkers() {
  for (const w of workers) w.terminate();
  workers = [];
}

// Posts a job to worker w; calls onMessage per message until 'done'.
function job(w, msg, onMessage, myRun) {
  return new Promise((resolve, reject) => {
    w.onmessage = (ev) => {
      if (myRun !== run) return;
      const m = ev.data;
      if (m.type === 'error') reject(new Error(m.message));
      else if (m.type === 'done') resolve();
      else onMessage(m);
    };
    w.onerror = (ev) => reject(new Error(ev.message || 'the verifier worker failed to start'));
    w.postMessage(msg);
  });
}

function explain(summary) {
  const where = summary.batch >= 0 ? `Batch ${summary.batch}: ` : '';
  const what = {
    files: 'The published files are incomplete or malformed: ',
    count: 'Count check: ',
    order: '',
    chain: '',
    final: 'Final check: ',
    root: 'Final check: ',
  }[summary.check] || '';
  return where + what + summary.message;
}

async function verify() {
  const myRun = ++run;
  stopWorkers();
  $('rerun').disabled = true;
  $('result').hidden = true;
  delete $('verdict').dataset.verdict;
  delete document.body.dataset.done;
  for (const id of ['checks-card', 'totals-card', 'batches-card', 'technical']) $(id).hidden = true;
  setProgress(0, 1, 'Loading the published files…');
  const t0 = performance.now();
  let summary;
  const results = [];
  let tVerify = 0;
  let nworkers = 0;
  try {
    const files = await fetchFiles();
    const tFiles = performance.now();
    const n = (() => {
      try {
        const p = JSON.parse(files.proofs);
        return Array.isArray(p) ? p.length : 0;
      } catch {
        return 0;
      }
    })();
    // ?workers=N overrides the count (benchmarks: bench/bench_web.mjs)
    const want = Number(new URLSearchParams(location.search).get('workers')) ||
      navigator.hardwareConcurrency || 2;
    nworkers = Math.max(1, Math.min(n, want, MAX_WORKERS));
    for (let k = 0; k < nworkers; k++) {
      workers.push(new Worker(new URL('./snapshot-worker.js', import.meta.url), { type: 'module' }));
    }
    setProgress(0, 1, 'Checking the chain of roots and totals…');
    await job(workers[0], { files, batches: [], summary: true }, (m) => { summary = m.summary; }, myRun);
    if (myRun !== run) return;
    showSummary(summary);
    const nb = ['files', 'count', 'order'].includes(summary.check) ? 0 : summary.batches;
    setupBatches(summary, summary.check === 'files' ? 0 : summary.batches);
    const t1 = performance.now();
    let done = 0;
    const progress = () => setProgress(done, nb, `Verified ${done} of ${nb} batch proofs…`);
    if (nb) progress();
    await Promise.all(workers.map((w, k) => {
      const mine = [];
      for (let i = k; i < nb; i += nworkers) mine.push(i);
      if (!mine.length) return null;
      return job(w, { files, batches: mine, summary: false }, (m) => {
        results[m.result.batch] = m.result;
        done++;
        showBatch(m.result, m.ms);
        progress();
      }, myRun);
    }));
    if (myRun !== run) return;
    tVerify = performance.now() - t1;
    finish(summary, results, nb, { total: performance.now() - t0, files: tFiles - t0, verify: tVerify, nworkers });
  } catch (e) {
    if (myRun !== run) return;
    setProgress(0, 1, 'The check could not run.');
    setVerdict('invalid', 'NOT verified: the check could not run', String(e.message || e), [
      'This page needs the published files next to it, WebAssembly and Web Workers. If you opened it from your ' +
        'disk, serve the folder over HTTP instead (for example: python3 -m http.server).',
    ]);
    document.body.dataset.done = 'error';
  } finally {
    if (myRun === run) {
      stopWorkers();
      $('rerun').disabled = false;
    }
  }
}

function showSummary(summary) {
  if (summary.cex.length) showTotals(summary);
}

function finish(summary, results, nb, t) {
  const failedProofs = results.filter((r) => r && r.status !== 'verified');
  const problems = [];
  if (summary.status !== 'ok') problems.push(explain(summary));
  for (const r of failedProofs) problems.push(`Batch ${r.batch}: ${r.message}`);
  const ok = summary.status === 'ok' && failedProofs.length === 0 && results.length === nb && nb > 0;

  // the list of checks, each with its outcome
  const checks = $('checks');
  checks.replaceChildren();
  // good: true (passed), false (failed), null (not reached after an earlier failure)
  const item = (good, text) => {
    const li = el('li', { className: good === null ? 'chk-skip' : good ? 'chk-ok' : 'chk-bad' });
    li.textContent = text + (good === null ? ' (not checked: an earlier check failed)' : good ? '.' : ': FAILED.');
    li.dataset.ok = String(good);
    checks.append(li);
  };
  const filesOk = summary.check !== 'files';
  item(filesOk, 'The published files are complete and well-formed (verifying key with one public input)');
  const chainOk = filesOk && !['count', 'order', 'chain'].includes(summary.check);
  item(filesOk ? chainOk : null, `The ${summary.batches} batches chain from the empty account tree and zero totals, ` +
    'each starting where the previous one ended');
  const finalOk = chainOk && summary.check !== 'final';
  item(chainOk ? finalOk : null, 'The last batch ends at the commitment of the published totals');
  const rootOk = finalOk && summary.check !== 'root';
  item(finalOk ? rootOk : null, 'The last batch ends at the published account tree root');
  const nv = results.filter((r) => r && r.status === 'verified').length;
  item(nb ? nv === nb : null, `${nv} of ${summary.batches} batch proofs (Groth16) verify against the commitments ` +
    'recomputed from the published roots and totals');
  $('checks-card').hidden = false;

  const tech = $('tech');
  tech.replaceChildren();
  addRow(tech, 'Published root', summary.root || 'missing', 'hash');
  addRow(tech, 'Last batch root', summary.lastRoot || 'not available', 'hash');
  addRow(tech, 'Batches', String(summary.batches));
  addRow(tech, 'Assets in the circuit', String(summary.assets));
  addRow(tech, 'Loading the files', `${t.files.toFixed(0)} ms`);
  const v = addRow(tech, 'Verifying the proofs',
    nb ? `${(t.verify / 1000).toFixed(2)} s (${(t.verify / nb).toFixed(1)} ms per proof, ${t.nworkers} worker${t.nworkers > 1 ? 's' : ''})` : 'not run');
  v.id = 'time';
  v.dataset.ms = String(t.verify);
  addRow(tech, 'Total time', `${(t.total / 1000).toFixed(2)} s`);
  $('technical').hidden = false;
  document.body.dataset.verifyMs = String(t.verify);
  document.body.dataset.totalMs = String(t.total);

  if (ok) {
    setProgress(nb, nb, `All ${nb} batch proofs verified in ${(t.verify / 1000).toFixed(2)} s.`);
    $('totals-note').textContent = 'These totals are the sum of every customer balance in the snapshot, as proven ' +
      'by the verified batch proofs. Compare them with the exchange\'s reserves.';
    setVerdict('verified', 'Verified: the snapshot is consistent',
      `All ${nb} batch proofs verify and chain from the empty account tree to the published root and to the ` +
      'published totals below.', [`Published root ${summary.root}`]);
  } else {
    setProgress(nb, nb || 1, !nb ? 'The check stopped.'
      : failedProofs.length ? `Checked ${nb} batch proofs: ${failedProofs.length} failed.`
        : `Checked ${nb} batch proofs: all verify, but another check failed.`);
    $('totals-note').textContent = 'These totals are NOT covered by a valid proof: the verification failed.';
    setVerdict(summary.status === 'invalid' ? 'invalid' : 'failed', 'NOT verified: the snapshot does not check out',
      'The published proofs do not support the published totals. Do not rely on them; the problems found:',
      problems.length ? problems : ['no batch proofs were published']);
  }
  document.body.dataset.done = ok ? 'verified' : 'failed';
}

$('rerun').addEventListener('click', verify);
let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => chartData && drawChart(chartData), 100);
});
verify();
