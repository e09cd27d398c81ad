// Browser tests of requests for assistance: the CISO of a bank asks the finance CERT for help
// through the form, the CERT's analyst finds the request in the list, accepts it, writes an
// internal note and answers, and the CISO reads the answer but never the note.
// Real `rampart serve --demo`, real Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart node --test tests/browser/assistance.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/assistance-*.png.

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

const UUID = /\/assistance\/([0-9a-f-]{36})$/;
const NOTE = 'Same loader as the March bank cases; check the C2 list before calling.';
const ANSWER = 'We accept. An analyst will call your desk within the hour; keep the server powered.';

let server;
let browser;
let workdir;
let asked; // { id, reference } of the request the CISO makes

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-assistance-'));
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

describe('requests for assistance', () => {
  test('a CISO asks the sector CERT for help and lands on the request', async () => {
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assistance' }).click();
      await page.getByRole('heading', { level: 1, name: 'Requests for assistance' }).waitFor();
      await page.locator('main').getByRole('link', { name: 'Ask a CERT for help' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ask a CERT for help' }).waitFor();
      const cert = page.getByLabel('CERT to ask');
      await cert.locator('option', { hasText: 'Finance Sector CERT' }).waitFor({ state: 'attached' });
      const offered = await cert.locator('option').allTextContents();
      assert.deepEqual(offered, ['Finance Sector CERT (your sector)', 'National Computer Emergency Response Team (national)']);
      await page.getByLabel('Kind of help').selectOption('forensics');
      await page.getByLabel('Urgency').selectOption('high');
      await page.getByLabel('What you need').fill('A file server of the card division shows an unknown service; we need a forensic image.');

      // Without a title the server refuses, and says so beside the field.
      await page.getByRole('button', { name: 'Send the request' }).click();
      const title = page.getByLabel('Title');
      const titleField = page.locator('.field', { has: title });
      await titleField.locator('.field-error').waitFor();
      assert.match(await titleField.locator('.field-error').textContent(), /^Title /);

      await title.fill('Forensic image of a card division file server');
      await page.getByLabel('How to reach you out of hours').fill('Security desk +230 555 0100');
      await shot(page, 'assistance-new');
      await page.getByRole('button', { name: 'Send the request' }).click();

      await page.waitForURL(UUID);
      await page.getByRole('heading', { level: 1, name: 'Forensic image of a card division file server' }).waitFor();
      const reference = (await page.locator('.case-lead .ref').textContent()).trim();
      assert.match(reference, /^AST-\d{4}-\d{6}$/);
      asked = { id: UUID.exec(new URL(page.url()).pathname)[1], reference };
      assert.match(await page.locator('.case-lead').textContent(), /Open/);
      assert.match(await page.locator('.notice-due').textContent(), /First answer of the CERT due in 7 h/);
      const details = page.getByRole('region', { name: 'Request', exact: true });
      assert.match(await details.textContent(), /Finance Sector CERT/);
      assert.match(await details.textContent(), /Security desk \+230 555 0100/);
      // The requester may withdraw while nobody has taken the request up, and nothing else.
      const moves = page.getByRole('region', { name: 'Your request' });
      assert.deepEqual(await moves.getByRole('button').allTextContents(), ['Withdraw the request']);
      await shot(page, 'assistance-request-ciso');
    });
  });

  test('the CERT analyst finds the request, accepts it, notes and answers', async () => {
    assert.ok(asked, 'the request was made');
    await withPage({}, async (page) => {
      await signIn(page, 'fincert.analyst');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assistance' }).click();
      const row = page.locator('tr', { has: page.getByRole('link', { name: asked.reference }) });
      await row.waitFor();
      assert.match(await row.textContent(), /Harbour Commercial Bank/);
      assert.match(await row.textContent(), /due in 7 h/);
      await shot(page, 'assistance-list-cert');
      await row.getByRole('link', { name: asked.reference }).click();
      await page.waitForURL(UUID);

      const handle = page.getByRole('region', { name: 'Handle the request' });
      await handle.getByRole('button', { name: 'Accept' }).click();
      await page.getByText('The request is now accepted.').waitFor();
      assert.match(await page.locator('.case-lead').textContent(), /Accepted/);
      assert.match(await handle.textContent(), /Handled by you/);

      const talk = page.getByRole('region', { name: 'Conversation' });
      await talk.getByLabel('Internal note: only your CERT reads it').check();
      await talk.locator('textarea[name="text"]').fill(NOTE);
      await talk.getByRole('button', { name: 'Add note' }).click();
      await page.getByText('Note added.').waitFor();
      await talk.getByLabel('Internal note: only your CERT reads it').uncheck();
      await talk.getByLabel('Message to Harbour Commercial Bank').fill(ANSWER);
      await talk.getByRole('button', { name: 'Send' }).click();
      await page.getByText('Message sent.').waitFor();
      const messages = talk.locator('.conversation li');
      assert.equal(await messages.count(), 2);
      assert.match(await messages.nth(0).textContent(), /Internal note/);
      assert.match(await messages.nth(1).textContent(), /An analyst will call your desk/);
      await shot(page, 'assistance-request-cert');
    });
  });

  test('the CISO reads the answer but never the CERT\'s note', async () => {
    assert.ok(asked, 'the request was made');
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.goto(`/assistance/${asked.id}`);
      const talk = page.getByRole('region', { name: 'Conversation' });
      await talk.getByText('An analyst will call your desk').waitFor();
      assert.equal(await talk.locator('.conversation li').count(), 1);
      assert.ok(!(await page.locator('main').textContent()).includes('March bank cases'), 'the note shows nowhere');
      assert.match(await page.locator('.case-lead').textContent(), /Accepted/);
      assert.equal(await page.getByRole('region', { name: 'Your request' }).count(), 0, 'nothing left to move');
      await shot(page, 'assistance-request-ciso-answered');
    });
  });
});
