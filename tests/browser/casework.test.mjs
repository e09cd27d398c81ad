// Browser tests of the work around cases: a regulator tightens its sector's reporting profile
// (and sees a laxer value refused beside its field), a CERT analyst keeps a task and links two
// cases, and two analysts of the national CERT approve a police request before it is released.
// Real `rampart serve --demo`, real Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart node --test tests/browser/casework.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/casework-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchBrowser, openPage, signIn } from './browser.mjs';
import { apiAs as apiAt, fileByApi as fileAt } from './scene.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const shots = path.join(root, 'tests/artifacts/screenshots');
const bin = process.env.RAMPART_BIN || path.join(root, 'build/release/rampart');
const webRoot = process.env.RAMPART_WEB_ROOT || path.join(root, 'web/dist');

let server;
let browser;
let workdir;

const apiAs = (username) => apiAt(server.url, username);
const fileByApi = (username, title) =>
  fileAt(server.url, username, title, { suspected_malicious: 'yes', may_affect_others: true });

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-casework-'));
  server = await startServer({ bin, workdir, webRoot });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

async function shot(page, name) {
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

describe('work around cases', () => {
  test('a regulator tightens its sector profile within the law; a laxer deadline is refused beside its field', async () => {
    const water = (await (await apiAs('head.ura')).get('/api/v1/sectors')).body.items.find((s) => s.slug === 'water');
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'head.ura');
      await page.goto(`/sectors/${water.id}`);
      const card = page.getByRole('region', { name: 'How the sector reports incidents' });
      await card.getByText('within 24 h of awareness').waitFor();
      await card.getByRole('button', { name: 'Change the profile…' }).click();
      const early = card.getByLabel('Early warning within (hours)');
      await early.fill('48');
      await card.getByRole('button', { name: "Save as the sector's profile" }).click();
      const field = card.locator('.field', { has: page.getByLabel('Early warning within (hours)') });
      await field.locator('.field-error').waitFor();
      assert.match(await field.locator('.field-error').textContent(), /at most 24 hours/);
      await early.fill('12');
      await card.getByLabel('Users affected, high').fill('5000');
      await card.getByRole('group', { name: 'The final report also asks for' }).getByLabel('Cross-border impact').check();
      await shot(page, 'casework-sector-profile-form');
      await card.getByRole('button', { name: "Save as the sector's profile" }).click();
      await card.getByText('within 12 h of awareness').waitFor();
      assert.match(await card.textContent(), /version 1/);
      assert.match(await card.textContent(), /cross-border impact/);
      await shot(page, 'casework-sector-profile');
    });
    // Someone who does not head the sector's regulator reads the profile but changes nothing.
    await withPage({}, async (page) => {
      await signIn(page, 'regulator.finance');
      await page.goto(`/sectors/${water.id}`);
      const card = page.getByRole('region', { name: 'How the sector reports incidents' });
      await card.getByText('within 12 h of awareness').waitFor();
      assert.equal(await card.getByRole('button', { name: 'Change the profile…' }).count(), 0);
    });
  });

  test('a CERT analyst keeps a task on a case and links it to another report', async () => {
    const a = await fileByApi('reporter.bank1', 'Credential phishing against online banking');
    const b = await fileByApi('reporter.bank1', 'Look-alike domain of the bank registered');
    await withPage({}, async (page) => {
      await signIn(page, 'fincert.analyst');
      await page.goto(`/incidents/${a.id}`);
      const tasks = page.getByRole('region', { name: "Your team's tasks" });
      await tasks.getByLabel('New task').fill('Ask the registrar to suspend the look-alike domain');
      await tasks.getByRole('button', { name: 'Add the task' }).click();
      const item = tasks.getByRole('checkbox', { name: 'Ask the registrar to suspend the look-alike domain' });
      await item.waitFor();
      // The box follows the server: it shows ticked once the task is recorded as done.
      await item.click();
      await tasks.locator('.task-closed').waitFor();
      assert.equal(await item.isChecked(), true);

      const links = page.getByRole('region', { name: 'Linked cases' });
      await links.getByLabel('Other case').fill(b.reference);
      await links.getByRole('button', { name: 'Link', exact: true }).click();
      await links.getByRole('link', { name: b.reference }).waitFor();
      await shot(page, 'casework-tasks-links');
      // An open task of one's own waits on the home page.
      await tasks.getByLabel('New task').fill('Brief the other banks of the sector');
      await tasks.getByRole('button', { name: 'Add the task' }).click();
      await tasks.getByRole('checkbox', { name: 'Brief the other banks of the sector' }).waitFor();
      await page.goto('/');
      const mine = page.getByRole('region', { name: 'Your tasks' });
      await mine.getByText('Brief the other banks of the sector').waitFor();
      assert.equal(await mine.getByText('Ask the registrar').count(), 0, 'a done task is not waiting');
    });
    // The reporting bank sees the link (both cases are its own) but not the CERT's task.
    await withPage({}, async (page) => {
      await signIn(page, 'reporter.bank1');
      await page.goto(`/incidents/${a.id}`);
      await page.getByRole('region', { name: 'Linked cases' }).getByRole('link', { name: b.reference }).waitFor();
      const tasks = page.getByRole('region', { name: "Your team's tasks" });
      await tasks.getByText('No tasks yet.').waitFor();
    });
  });

  test('a police request is released only after two analysts of the CERT approve it', async () => {
    const c = await fileByApi('reporter.bank1', 'Extortion e-mail after data theft');
    const record = async (page) => {
      const card = page.getByRole('region', { name: 'Law-enforcement requests' });
      await card.getByText('No requests.').waitFor();
      await card.getByText('Record a request').click();
      await card.getByLabel('Requesting authority').fill('National Police, Cybercrime Unit');
      await card.getByLabel('Legal basis').fill('Order of the investigating judge no. 2026/1187');
      await card.getByLabel('Scope').fill('Indicators and timeline of the extortion attempt.');
      await card.getByRole('button', { name: 'Record the request' }).click();
      await card.getByText('Waiting for approvals').waitFor();
      await card.getByRole('button', { name: 'Approve' }).click();
      await card.getByText('You have decided; another person of your CERT must too.').waitFor();
      assert.equal(await card.getByRole('button', { name: /^Release/ }).count(), 0, 'one approval releases nothing');
    };
    await withPage({}, async (page) => {
      await signIn(page, 'analyst.natcert');
      await page.goto(`/incidents/${c.id}`);
      await record(page);
      await shot(page, 'casework-disclosure-pending');
    });
    await withPage({}, async (page) => {
      await signIn(page, 'analyst2.natcert');
      await page.goto(`/incidents/${c.id}`);
      const card = page.getByRole('region', { name: 'Law-enforcement requests' });
      await card.getByRole('button', { name: 'Approve' }).click();
      await card.getByText('Approved: may be released').waitFor();
      const download = page.waitForEvent('download');
      await card.getByRole('button', { name: 'Release and save the file' }).click();
      const file = await download;
      const released = JSON.parse(await readFile(await file.path(), 'utf8'));
      assert.equal(released.case.reference, c.reference);
      assert.equal(released.request.state, 'released');
      await card.locator('.badge-released').waitFor();
      await shot(page, 'casework-disclosure-released');
    });
  });
});
