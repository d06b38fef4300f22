// Loader of zkpos.wasm, the zkpos C verifier compiled to WebAssembly
// (scripts/build-wasm.sh).
//
// Design: the module is a WASI reactor built against wasi-libc. The verifier
// itself never touches files, clocks or the network, but libc's stdio code
// is linked in and names a few WASI functions, so every WASI import the
// module declares is answered here: random_get and clock_time_get with the
// browser's own sources (for later verifiers), everything else with
// ENOSYS. Building the import object from the module's own import list
// means a rebuilt module that names another WASI function still loads.
// Results come back as JSON text (see web/wasm/exports.c); numbers inside
// are decimal strings because totals exceed 2^53.

const ENOSYS = 52;
const ESUCCESS = 0;

function wasiImports(module, getMemory) {
  const impl = {
    random_get(ptr, len) {
      const buf = new Uint8Array(getMemory().buffer, ptr, len);
      for (let i = 0; i < len; i += 65536) crypto.getRandomValues(buf.subarray(i, Math.min(len, i + 65536)));
      return ESUCCESS;
    },
    clock_time_get(_id, _precision, out) {
      const ns = BigInt(Math.round(performance.now() * 1e6));
      new DataView(getMemory().buffer).setBigUint64(out, ns, true);
      return ESUCCESS;
    },
    proc_exit(code) {
      throw new Error(`zkpos.wasm exited with status ${code}`);
    },
  };
  const wasi = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'wasi_snapshot_preview1') {
      throw new Error(`zkpos.wasm needs an unknown import ${imp.module}.${imp.name}`);
    }
    wasi[imp.name] = impl[imp.name] || (() => ENOSYS);
  }
  return { wasi_snapshot_preview1: wasi };
}

// Compiles and instantiates the module from its bytes (an ArrayBuffer).
export async function instantiate(bytes) {
  const module = await WebAssembly.compile(bytes);
  let memory = null;
  const instance = await WebAssembly.instantiate(module, wasiImports(module, () => memory));
  const x = instance.exports;
  memory = x.memory;
  if (x._initialize) x._initialize();
  return new Verifier(x);
}

// Fetches and instantiates zkpos.wasm (a URL relative to the page).
export async function load(url = 'zkpos.wasm') {
  const resp = await fetch(url, { cache: 'no-cache' });
  if (!resp.ok) throw new Error(`could not load ${url}: HTTP ${resp.status}`);
  return instantiate(await resp.arrayBuffer());
}

class Verifier {
  constructor(exports) {
    this.x = exports;
  }

  // Calls export fn(ptr1, len1, ptr2, len2, ...) on the UTF-8 bytes of each
  // text and parses the JSON string it returns.
  callJson(fn, ...texts) {
    return this.readJson(this.callRaw(fn, ...texts));
  }

  // Calls export fn on the UTF-8 bytes of each text (ptr, len pairs), the
  // copies released afterwards; returns what fn returns (a pointer).
  callRaw(fn, ...texts) {
    const x = this.x;
    const args = [];
    const ptrs = [];
    try {
      for (const text of texts) {
        const input = new TextEncoder().encode(text);
        const ptr = x.zkpos_alloc(input.length);
        if (!ptr) throw new Error('out of memory');
        ptrs.push(ptr);
        new Uint8Array(x.memory.buffer, ptr, input.length).set(input);
        args.push(ptr, input.length);
      }
      return x[fn](...args);
    } finally {
      for (const p of ptrs) x.zkpos_free(p);
    }
  }

  // Parses and releases a NUL-terminated JSON string returned by an export.
  readJson(out) {
    const x = this.x;
    if (!out) throw new Error('out of memory');
    const mem = new Uint8Array(x.memory.buffer);
    let end = out;
    while (mem[end] !== 0) end++;
    const json = new TextDecoder().decode(mem.subarray(out, end));
    x.zkpos_free(out);
    return JSON.parse(json);
  }

  // Verifies a user-proof JSON document (Binance v1 layout, or v2 with
  // TotalCollateral) exactly as `zkpos verify-user` does. Returns
  // { status: 'verified' | 'mismatch' | 'invalid', message, and for
  // well-formed input: version, accountIndex, accountIdHash, totalEquity,
  // totalDebt, [totalCollateral], assets, leaf, root, claimedRoot }.
  // assetCount: entries of the asset table the tree was built over (350 for
  // Binance v1; published/root.json says so for other pipeline runs).
  verifyUser(text, assetCount = 350) {
    const x = this.x;
    const input = new TextEncoder().encode(text);
    const ptr = x.zkpos_alloc(input.length);
    if (!ptr) throw new Error('out of memory');
    try {
      new Uint8Array(x.memory.buffer, ptr, input.length).set(input);
      return this.readJson(x.zkpos_verify_user(ptr, input.length, assetCount >>> 0));
    } finally {
      x.zkpos_free(ptr);
    }
  }

  // Verifies a Groth16 proof given the texts of snarkjs's
  // verification_key.json, proof.json and public.json. Returns
  // { status: 'verified' | 'failed' | 'invalid', message, npublic }.
  verifyGroth16(vkJson, proofJson, publicJson) {
    return this.callJson('zkpos_verify_groth16', vkJson, proofJson, publicJson);
  }

  // The snapshot check of `zkpos verify` (web/wasm/exports_snapshot.c), in
  // steps: snapshotOpen takes the texts of the published
  // verification_key.json, config.json, cex_assets_info.json, proofs.json
  // and root.json, runs every check that is not a proof and returns a
  // handle; snapshotSummary(h) says how those went (status 'ok' | 'failed'
  // | 'invalid', message, check, batch, batches, cex totals as strings...);
  // snapshotVerifyBatch(h, i) verifies batch i's Groth16 proof ({batch,
  // status: 'verified' | 'failed' | 'invalid', message}); snapshotFree(h).
  snapshotOpen(vk, config, cex, proofs, root) {
    const h = this.callRaw('zkpos_snapshot_open', vk, config, cex, proofs, root);
    if (!h) throw new Error('out of memory');
    return h;
  }

  snapshotSummary(h) {
    return this.readJson(this.x.zkpos_snapshot_summary(h));
  }

  snapshotVerifyBatch(h, i) {
    return this.readJson(this.x.zkpos_snapshot_verify_batch(h, i));
  }

  snapshotFree(h) {
    this.x.zkpos_snapshot_free(h);
  }
}
