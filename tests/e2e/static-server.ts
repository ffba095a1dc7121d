/**
 * A minimal static file server for a built web app (web/dist or a test's own
 * build), on 127.0.0.1 and a free port: the browser end-to-end tests load
 * the app from it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Serves `dir` until the server is closed. */
export async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Debian's Chromium (never a downloaded browser); SKYLANE_CHROMIUM overrides the path. */
export const CHROMIUM = process.env.SKYLANE_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium with software WebGL (SwiftShader), no network chatter. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects a page's errors (uncaught exceptions and console errors) into the returned list. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  return problems;
}

const WEB = fileURLToPath(new URL('../../web', import.meta.url));

/** The running app of an e2e test: its address and the browser; `close` shuts both. */
export interface App {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the web app with Vite (into `outDir`, or web/dist), serves it and
 * launches Chromium. Fails with a clear message when Chromium is missing:
 * CI installs it from Debian; a test never downloads a browser.
 */
export async function startApp(outDir?: string): Promise<App> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: CI must install it (e.g. apt-get install chromium) or point SKYLANE_CHROMIUM at it. The e2e tests never download a browser.`);
  }
  const dist = outDir ?? join(WEB, 'dist');
  const { build } = await import('vite');
  await build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn', ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}) });
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`the web build wrote no ${join(dist, 'index.html')}`);
  const { server, url } = await serve(dist);
  const browser = await launchChromium();
  return {
    url,
    browser,
    close: async () => {
      await browser.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** The app of a describe block: built, served and launched before its tests, closed after them. */
export interface AppUse {
  readonly url: string;
  readonly browser: Browser;
  /** A 1440 x 900 page and the list its errors go to. */
  newPage(): Promise<{ page: Page; problems: string[] }>;
}

/** Call inside a `describe`: registers the app's start (before all) and close (after all). */
export function useApp(outDir?: string): AppUse {
  let app: App | undefined;
  beforeAll(async () => {
    app = await startApp(outDir);
  }, 150_000);
  afterAll(async () => {
    await app?.close();
  });
  return {
    get url() {
      return app!.url;
    },
    get browser() {
      return app!.browser;
    },
    async newPage() {
      const page = await app!.browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      return { page, problems: pageProblems(page) };
    },
  };
}
