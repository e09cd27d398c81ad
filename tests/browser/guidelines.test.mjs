// Browser tests of the guidelines library: an operator reads the national CERT's published
// guideline rendered from Markdown, compares its two versions, comments on the draft open for
// comments and records adoption; the CERT answers the comment and reads the adoption share per
// sector. Real `rampart serve --demo`, real Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart RAMPART_WEB_ROOT=/path/to/web node --test tests/browser/guidelines.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/guidelines-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchBrowser, openPage, signIn } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const shots = path.join(root, 'tests/artifacts/screenshots');
const bin = process.env.RAMPART_BIN || path.join(root, 'build/release/rampart');
const webRoot = process.env.RAMPART_WEB_ROOT || path.join(root, 'web/dist');

const ISM = 'Minimum measures for information security management';
const OT = 'Remote access to operational technology';
const COMMENT = 'Small operators would welcome a shared access point run by the sector CERT.';

let server;
let browser;
let workdir;

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-guidelines-'));
  server = await startServer({ bin, workdir, webRoot });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function withPage(opts, fn) {
  const p = await openPage(browser, server.url, opts);
  try {
    await fn(p.page);
    p.assertClean();
  } finally {
    await p.close();
  }
}

async function openGuideline(page, title) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Guidelines' }).click();
  await page.getByRole('heading', { level: 1, name: 'Guidelines' }).waitFor();
  await page.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe('guidelines', () => {
  test('an operator reads a guideline, compares versions, comments on a draft', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.isb');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Guidelines' }).click();
      await page.getByRole('heading', { level: 1, name: 'Guidelines' }).waitFor();
      await page.getByText(/Open for comments until/).waitFor();
      await shot(page, 'guidelines-list');
      await page.getByRole('link', { name: ISM }).click();
      await page.getByRole('heading', { level: 1, name: ISM }).waitFor();
      // Markdown becomes headings, lists and bold text; no markup is shown as such.
      const body = page.locator('article.guideline-body');
      await body.getByRole('heading', { name: '1. Leadership' }).waitFor();
      assert.ok((await body.locator('li').count()) >= 10);
      assert.doesNotMatch(await body.innerText(), /##|\*\*/);
      await page.getByLabel('Compare with').selectOption({ label: 'Version 1' });
      const diff = page.locator('.guideline-diff');
      await diff.locator('.diff-removed', { hasText: 'three months' }).waitFor();
      await diff.locator('.diff-added', { hasText: 'six months' }).waitFor();
      await shot(page, 'guidelines-detail-diff');

      await openGuideline(page, OT);
      await page.getByText(/open for comments until/).waitFor();
      await page.getByLabel('Your comment').fill(COMMENT);
      await page.getByRole('button', { name: 'Send the comment' }).click();
      await page.getByText(/Your comment is recorded/).waitFor();
      const mine = page.locator('.guideline-comment', { hasText: COMMENT });
      await mine.getByText("Waiting for the CERT's answer.").waitFor();
      await shot(page, 'guidelines-comment');
    });
  });

  test('an organisation records adoption', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.ccb');
      await openGuideline(page, ISM);
      const form = page.getByRole('form', { name: /Adoption by Coral Coast Bank/ });
      await form.getByText(/Planned \(version 2/).waitFor();
      await form.getByLabel('Adoption').selectOption('adopted');
      await form.getByLabel('Note').fill('Log retention extended to six months.');
      await form.getByRole('button', { name: 'Record adoption' }).click();
      await page.getByText(/Recorded for Coral Coast Bank: adopted/).waitFor();
      await form.getByText(/Adopted \(version 2/).waitFor();
      await shot(page, 'guidelines-adoption');
    });
  });

  test('the CERT answers the comment and reads adoption by sector', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'cert.analyst');
      await openGuideline(page, OT);
      const comment = page.locator('.guideline-comment', { hasText: COMMENT });
      await comment.getByLabel('Answer').fill('Agreed: version 2 will allow one access point per operator.');
      await comment.getByRole('button', { name: 'Accept' }).click();
      await comment.getByText(/Accepted/).waitFor();
      await openGuideline(page, ISM);
      await page.getByRole('link', { name: 'Adoption by sector' }).click();
      await page.getByRole('heading', { level: 1, name: /Adoption of GL-/ }).waitFor();
      const finance = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Finance', exact: true }) });
      // HCB, ISB, NPS from the demo and Coral Coast Bank just now.
      assert.equal(await finance.locator('td').nth(1).innerText(), '4');
      await shot(page, 'guidelines-cert-adoption');
    });
  });
});
