// Web Worker of the "verify the snapshot" page: runs the C verifier
// (zkpos.wasm, web/wasm/exports_snapshot.c) off the page's thread.
//
// Design: the wasm module is single-threaded (no shared memory, no
// pthreads); the page stays responsive because the work happens here, and
// it can start several of these workers, each with its own instance, to
// use several cores. Every worker opens the same published files (parsing
// and key preparation take milliseconds) and verifies the batches it is
// given, posting one message per batch so that the page can show progress.
//
// Messages in:  {files: {vk, config, cex, proofs, root}, batches: [i, ...], summary: bool}
// Messages out: {type: 'summary', summary} (when asked), {type: 'batch', result, ms}
//               per batch, {type: 'done'}, or {type: 'error', message}.
import { load } from './zkpos.js';

const verifier = load(new URL('../zkpos.wasm', import.meta.url));

self.onmessage = async (ev) => {
  const { files, batches, summary } = ev.data;
  let snap = null;
  let v;
  try {
    v = await verifier;
    snap = v.snapshotOpen(files.vk, files.config, files.cex, files.proofs, files.root);
    if (summary) self.postMessage({ type: 'summary', summary: v.snapshotSummary(snap) });
    for (const i of batches) {
      const t0 = performance.now();
      const result = v.snapshotVerifyBatch(snap, i);
      self.postMessage({ type: 'batch', result, ms: performance.now() - t0 });
    }
    self.postMessage({ type: 'done' });
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e?.message || e) });
  } finally {
    if (snap) v.snapshotFree(snap);
  }
};
