// Shared by the browser tests and the web benchmark: a static file server
// on 127.0.0.1 (the pages need HTTP: browsers do not load WebAssembly from
// file:// pages) and headless Debian chromium through playwright-core with a
// throwaway profile. Kept free of checks so each caller keeps its own.
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';

const SRC = resolve(new URL('..', import.meta.url).pathname);
const { chromium } = createRequire(join(SRC, 'package.json'))('playwright-core');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain',
};

// Serves the files under root (index.html for directories, 404 otherwise,
// nothing outside root). Returns { origin, requested (paths), close }.
export async function serveStatic(root) {
  const requested = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requested.push(path);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    let st = null;
    try {
      st = file.startsWith(root) && statSync(file);
    } catch {
      st = null;
    }
    if (!st || !st.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, requested, close: () => server.close() };
}

// Headless chromium ($CHROMIUM or Debian's /usr/bin/chromium) with a fresh
// profile. Returns { ctx, page, close }.
export async function launchBrowser(viewport = { width: 1000, height: 900 }) {
  const profile = mkdtempSync(join(tmpdir(), 'zkpos-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
    timeout: 60000,
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  return {
    ctx, page,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
