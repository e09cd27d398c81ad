// Shared by the HTTP end-to-end tests: start the real `rampart serve` on a loopback port against
// SQLite or PostgreSQL, talk to it as a browser or an API client would, and check every answer
// against the OpenAPI document the server publishes.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const BIN = process.env.RAMPART_BIN ?? path.join(ROOT, 'build/release/rampart');
export const DEMO_PASSWORD = 'rampart-demo-2026';
// "sqlite" (default) or "postgresql": with postgresql, RAMPART_TEST_PG_DIR names the running
// cluster started by scripts/pg.sh, and every server gets a database of its own.
export const STORE = process.env.RAMPART_TEST_STORE ?? 'sqlite';

let dbCounter = 0;

// A fresh, empty database URL for one server (or several sharing it).
export function freshDatabase() {
  if (STORE === 'postgresql') {
    const dir = process.env.RAMPART_TEST_PG_DIR;
    if (!dir) throw new Error('RAMPART_TEST_PG_DIR must name the cluster started by scripts/pg.sh');
    const name = `e2e_${process.pid}_${Date.now()}_${dbCounter++}`;
    return execFileSync('bash', [path.join(ROOT, 'scripts/pg.sh'), 'createdb', dir, name], {
      encoding: 'utf8',
    }).trim();
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-e2e-'));
  return `sqlite:${path.join(dir, 'rampart.db')}`;
}

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:(\d+))/;

// Starts a server; resolves when it listens and /readyz answers. `db` defaults to a fresh one.
export async function startServer({ db = freshDatabase(), demo = true, env = {}, args = [] } = {}) {
  const argv = ['serve', '--listen', '127.0.0.1:0', '--db', db, ...(demo ? ['--demo'] : []), ...args];
  const child = spawn(BIN, argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RAMPART_WEB_ROOT: path.join(ROOT, 'web/dist'), ...env },
  });
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stderr.on('data', keep);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address within 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      keep(chunk);
      const m = LISTENING.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`rampart exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url + '/readyz')).status === 200) break;
    } catch {}
    if (i > 300) throw new Error(`/readyz never answered:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    db,
    child,
    output: () => output,
    // SIGTERM and wait; the exit code tells whether the shutdown was clean.
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill9() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

// Runs the rampart command line; returns {code, stdout, stderr}.
export function cli(args, { input = '', env = {} } = {}) {
  try {
    const stdout = execFileSync(BIN, args, {
      input,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    return { code: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// ---- the OpenAPI document as a response checker ----

const checkers = new Map();

async function checkerFor(base) {
  if (checkers.has(base)) return checkers.get(base);
  const doc = await (await fetch(base + '/api/v1/openapi.json')).json();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi' });
  // A literal segment beats a parameter, as in the server's router: most literal segments first.
  const literals = (p) => p.split('/').filter((seg) => seg && !seg.startsWith('{')).length;
  const routes = Object.keys(doc.paths).map((p) => ({
    template: p,
    re: new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
  })).sort((a, b) => literals(b.template) - literals(a.template));
  const compiled = new Map();
  const checker = (method, urlPath, status, contentType, body) => {
    const route = routes.find((r) => r.re.test(urlPath));
    if (!route) return; // static files and unknown paths are not the API
    const op = doc.paths[route.template][method.toLowerCase()];
    if (!op) return; // 405: the document describes what exists
    let response = op.responses[String(status)];
    if (!response) {
      throw new Error(`${method} ${route.template} answered ${status}, which the OpenAPI document does not describe`);
    }
    if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()];
    if (!response.content) return;
    const type = (contentType ?? '').split(';')[0].trim();
    const media = response.content[type];
    if (!media) {
      throw new Error(`${method} ${route.template} ${status} answered ${type}, documented: ${Object.keys(response.content)}`);
    }
    if (typeof body !== 'object' || body === null) return;
    const key = `${route.template} ${method} ${status} ${type}`;
    if (!compiled.has(key)) {
      const schema = media.schema.$ref
        ? { $ref: 'openapi' + media.schema.$ref }
        : rewriteRefs(media.schema);
      compiled.set(key, ajv.compile(schema));
    }
    const validate = compiled.get(key);
    if (!validate(body)) {
      throw new Error(`${method} ${route.template} ${status}: the body does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
    }
  };
  checkers.set(base, checker);
  return checker;
}

function rewriteRefs(schema) {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"openapi#/'));
}

// ---- a client that behaves like the browser application ----

export class Client {
  constructor(base) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
    this.token = null;
    this.session = null;
  }

  // Sends a request; returns {status, headers, body} with body parsed when JSON. Every answer is
  // checked against the OpenAPI document unless `check: false`.
  async req(method, urlPath, { body, json, headers = {}, check = true, raw = false } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (this.csrf && !['GET', 'HEAD'].includes(method) && !('x-csrf-token' in h)) {
      h['x-csrf-token'] = this.csrf;
    }
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.base + urlPath, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    let parsed = text;
    if (!raw && type.includes('json') && text.length > 0) parsed = JSON.parse(text);
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0];
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    if (check) {
      const checker = await checkerFor(this.base);
      checker(method, new URL(this.base + urlPath).pathname, res.status, type, parsed);
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get(p, o) { return this.req('GET', p, o); }
  post(p, json, o = {}) { return this.req('POST', p, { json, ...o }); }
  put(p, json, o = {}) { return this.req('PUT', p, { json, ...o }); }
  patch(p, json, o = {}) { return this.req('PATCH', p, { json, ...o }); }
  delete(p, o) { return this.req('DELETE', p, o); }

  async signIn(username, password = DEMO_PASSWORD, extra = {}) {
    const res = await this.post('/api/v1/session', { username, password, ...extra });
    if (res.status === 200) {
      this.csrf = res.body.csrf_token;
      this.session = res.body;
    }
    return res;
  }
}

export async function signedIn(server, username, password = DEMO_PASSWORD) {
  const c = new Client(server.url);
  const res = await c.signIn(username, password);
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return c;
}

// Every item of a paged list, following next_cursor.
export async function all(client, urlPath, limit = 50) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const sep = urlPath.includes('?') ? '&' : '?';
    const res = await client.get(`${urlPath}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status !== 200) throw new Error(`${urlPath}: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.next_cursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

// ---- raw sockets, for what fetch will not send ----

// Sends `data` (string or Buffer) and resolves with everything received until the server closes
// or `timeoutMs` passes.
export function rawExchange(port, data, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    const finish = () => {
      if (closed) return;
      closed = true;
      socket.destroy();
      resolve({ text: received, closedByServer: !timer.timedOut });
    };
    const timer = setTimeout(() => { timer.timedOut = true; finish(); }, timeoutMs);
    socket.on('data', (d) => { received += d.toString('latin1'); });
    socket.on('close', () => { clearTimeout(timer); finish(); });
    socket.on('error', () => {});
    socket.on('connect', () => socket.write(data));
  });
}

export function statusOf(rawText) {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(rawText);
  return m ? Number(m[1]) : null;
}

// TOTP (RFC 6238, SHA-1, 6 digits) for the second-factor tests.
import crypto from 'node:crypto';
export function totp(base32Secret, when = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32Secret.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when / 30000)));
  const mac = crypto.createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const off = mac[19] & 15;
  const code = ((mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000).toString();
  return code.padStart(6, '0');
}

export function cleanupDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}
