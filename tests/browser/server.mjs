// Starts the real `rampart serve` on a loopback port for a test run, and stops it.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { access, constants } from 'node:fs/promises';

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:(\d+))/;

/**
 * Start `rampart serve --demo` with a fresh SQLite database in workdir.
 * Resolves once the server has printed its address and /readyz answers 200.
 */
export async function startServer({ bin, workdir, webRoot, timeoutMs = 60_000 }) {
  try {
    await access(bin, constants.X_OK);
  } catch {
    throw new Error(`the rampart binary is missing or not executable: ${bin} (set RAMPART_BIN)`);
  }
  const args = [
    'serve',
    '--listen', '127.0.0.1:0',
    '--db', `sqlite:${path.join(workdir, 'rampart.db')}`,
    '--demo',
    '--web-root', webRoot,
  ];
  const child = spawn(bin, args, { cwd: workdir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stderr.on('data', keep);

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`rampart did not print its address within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      keep(chunk);
      buffer += chunk.toString();
      const m = LISTENING.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`rampart exited (${code ?? signal}) before listening:\n${output}`));
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url + '/readyz');
      if (res.status === 200) break;
    } catch {
      // Not accepting yet.
    }
    if (Date.now() > deadline) throw new Error(`/readyz did not answer 200 within ${timeoutMs} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
