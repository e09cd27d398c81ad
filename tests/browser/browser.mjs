// Debian's Chromium driven by playwright-core (no downloaded browser), and the
// checks every page gets: no console error, no uncaught exception, no CSP violation.

import { chromium } from 'playwright-core';

export const DEMO_PASSWORD = 'rampart-demo-2026';

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Chromium logs every non-2xx answer as "Failed to load resource". The one the
 * application always expects is 401 from /api/v1/session: asking whether anyone
 * is signed in, or a refused sign-in. A test that provokes another refusal on
 * purpose names its status in allowStatus; everything else counts as an error.
 */
function expected(msg, allowStatus) {
  const url = msg.location()?.url ?? '';
  const m = /Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text());
  if (!m || !url.includes('/api/v1/')) return false;
  const status = Number(m[1]);
  return (status === 401 && /\/api\/v1\/session$/.test(url)) || allowStatus.includes(status);
}

/** A new context (no cookies) and page; collect problems for assertClean(). */
export async function openPage(browser, baseURL, { viewport = { width: 1280, height: 800 }, allowStatus = [] } = {}) {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (msg) => {
    if ((msg.type() === 'error' || /Content.Security.Policy/i.test(msg.text())) && !expected(msg, allowStatus)) {
      problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location()?.url ?? ''})`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  return {
    page,
    assertClean() {
      if (problems.length) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
    },
    close: () => context.close(),
  };
}

/** Sign in through the form and wait for the home page. */
export async function signIn(page, username, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.locator('main h1').waitFor();
}
