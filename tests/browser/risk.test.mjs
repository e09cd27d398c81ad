// Browser tests of the risk analysis pages: the demo bank's CISO opens the register, filters it,
// opens a scenario and changes its treatment and controls and sees the residual risk the server
// computes; builds a supporting asset and a primary asset depending on it and sees the inherited
// criticality (and a cycle refused on the field); follows a heat-map cell to the register; a
// viewer sees no edit control and the API refuses them anyway; management accepts a scenario.
// Real `rampart serve --demo`, real Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart RAMPART_WEB_ROOT=/path/to/web node --test tests/browser/risk.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/risk-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchBrowser, openPage, signIn } from './browser.mjs';
import { apiAs } from './scene.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const shots = path.join(root, 'tests/artifacts/screenshots');
const bin = process.env.RAMPART_BIN || path.join(root, 'build/release/rampart');
const webRoot = process.env.RAMPART_WEB_ROOT || path.join(root, 'web/dist');

let server;
let browser;
let workdir;
let register; // the path of the bank's current register, /risk/{org}/{analysis}

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-risk-'));
  server = await startServer({ bin, workdir, webRoot });
  browser = await launchBrowser();
  // The bank's current analysis, found as the browser would, so each test can start from it.
  const ciso = await apiAs(server.url, 'ciso.bank1');
  const org = ciso.session.memberships[0].organisation.id;
  const list = await ciso.get(`/api/v1/organisations/${org}/risk/analyses`);
  register = `/risk/${org}/${list.body.items.find((a) => a.current).id}`;
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

// Adds a dependency in the asset editor's "Depends on" fieldset. The asset list of the chosen type
// loads after the type is chosen and a late answer re-renders the picker, so choose and add again
// until the dependency shows (at most three times).
async function addDependency(fieldset, name) {
  const added = fieldset.getByRole('link', { name });
  for (let attempt = 0; attempt < 3 && !(await added.isVisible()); attempt++) {
    await fieldset.getByLabel('Asset').locator('option', { hasText: name }).waitFor({ state: 'attached' });
    await fieldset.getByLabel('Asset').selectOption({ label: name });
    await fieldset.getByRole('button', { name: 'Add the dependency' }).click();
    await added.waitFor({ timeout: 5000 }).catch(() => {});
  }
  await added.waitFor();
}

async function withPage(opts, fn) {
  const p = await openPage(browser, server.url, opts);
  try {
    await fn(p.page);
    p.assertClean();
  } catch (e) {
    // What the page showed when it failed, for whoever reads the failure.
    await p.page.screenshot({ path: path.join(shots, 'risk-failure.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await p.close();
  }
}

const rows = (page) => page.locator('table.risk-register tbody tr');

/** The text of the residual-risk badge in the scenario's head, e.g. "High · 48". */
const residualBadge = (page) => page.locator('.risk-scores > div').nth(1).locator('.badge');

describe('risk analysis pages', () => {
  test('the CISO opens the register from the navigation and filters it by level', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Risk analysis' }).click();
      await page.getByRole('heading', { level: 1, name: 'Risk analysis' }).waitFor();
      await page.locator('main table tbody tr').first().waitFor();
      await shot(page, 'risk-analyses');
      await page.getByRole('link', { name: 'Open the current register' }).click();
      await page.getByRole('heading', { level: 1, name: /^Risk register/ }).waitFor();
      await rows(page).first().waitFor();
      assert.equal(new URL(page.url()).pathname, register);
      // A page of the cursor, not the whole register.
      assert.equal(await rows(page).count(), 50);
      await shot(page, 'risk-register');

      await page.getByLabel('Level').selectOption('high');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL((u) => u.searchParams.get('level') === 'high');
      await page.locator('.list-foot').filter({ hasText: 'Showing' }).waitFor();
      const levels = await rows(page).locator('td:nth-child(3) .badge').allTextContents();
      assert.ok(levels.length > 0, 'some high risks');
      for (const l of levels) assert.match(l, /^High/);
      await shot(page, 'risk-register-high');
    });
  });

  test('the CISO changes a scenario’s treatment and controls and sees the new residual risk', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.goto(`${register}?level=high`);
      await rows(page).first().waitFor();
      const first = rows(page).first().locator('th a');
      const threat = await first.textContent();
      await first.click();
      await page.getByRole('heading', { level: 1, name: 'Risk scenario' }).waitFor();
      await page.locator('.risk-scenario-head h2').filter({ hasText: threat }).waitFor();
      const before = await residualBadge(page).textContent();

      await page.getByRole('radio', { name: 'Reduce' }).check();
      const reduction = page.getByLabel('Controls in place lower the vulnerability');
      const now = await reduction.inputValue();
      const options = await reduction.locator('option').evaluateAll((os) => os.map((o) => o.value));
      // Any other reduction moves the residual risk (the demo's high risks are not at the scale's floor).
      await reduction.selectOption(now === '0' ? options.at(-1) : '0');
      await page.getByLabel('Planned controls').fill('Second HSM in the other data centre; quarterly failover test.');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved; the risk below is the server’s new score.').waitFor();
      const after = await residualBadge(page).textContent();
      assert.notEqual(after, before, `residual risk still ${before}`);
      assert.equal(await page.locator('.risk-scores').getByText('Reduce').count(), 1);
      await shot(page, 'risk-scenario');
    });
  });

  test('a new primary asset passes its criticality to the supporting asset it depends on; a cycle is refused on the field', async () => {
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.goto(`${register}/assets`);
      await page.getByRole('heading', { level: 1, name: /^Assets/ }).waitFor();
      await page.locator('.risk-tree li').first().waitFor();
      await page.getByRole('button', { name: /^Show what / }).first().click();
      await page.locator('.risk-tree ul[role=group] li').first().waitFor();
      await shot(page, 'risk-asset-tree');

      // The supporting asset first: nothing depends on it, so it is not rated.
      await page.getByRole('link', { name: 'New asset' }).click();
      await page.getByRole('heading', { level: 1, name: 'New asset' }).waitFor();
      await page.getByRole('textbox', { name: /^Name/ }).fill('Test card HSM pair');
      await page.getByLabel('Type', { exact: true }).first().selectOption('hardware');
      await page.getByRole('button', { name: 'Create the asset' }).click();
      await page.getByRole('heading', { level: 2, name: 'Test card HSM pair' }).waitFor();
      assert.equal(await page.locator('.risk-asset-head .badge').first().textContent(), 'Not rated');
      const hsm = new URL(page.url()).pathname;

      // The primary asset, rated and depending on it.
      await page.goto(`${register}/assets/new`);
      await page.getByRole('textbox', { name: /^Name/ }).fill('Test card clearing');
      await page.getByLabel('Type', { exact: true }).first().selectOption('business_process');
      await page.getByLabel('Availability: Operations').selectOption('4');
      await page.getByLabel('Confidentiality: Legal and regulatory').selectOption('2');
      const deps = page.locator('fieldset:has(> legend:text-is("Depends on"))');
      await deps.getByLabel('Type').selectOption('hardware');
      await addDependency(deps, 'Test card HSM pair');
      await page.getByRole('button', { name: 'Create the asset' }).click();
      await page.getByRole('heading', { level: 2, name: 'Test card clearing' }).waitFor();
      assert.match(await page.locator('.risk-asset-head .badge').first().textContent(), /^4 · Critical \(own\)/);

      // The supporting asset now inherits 4.
      await page.goto(hsm);
      await page.getByRole('heading', { level: 2, name: 'Test card HSM pair' }).waitFor();
      assert.match(await page.locator('.risk-asset-head .badge').first().textContent(), /^4 · Critical \(inherited\)/);
      await shot(page, 'risk-asset-inherited');

      // A scenario on it from the catalogue, then the catalogue's suggestions for the rest.
      await page.getByRole('link', { name: 'New scenario on it' }).click();
      await page.getByRole('heading', { level: 1, name: 'New risk scenario' }).waitFor();
      await page.locator('fieldset:has(> legend:text-is("Threat from"))').getByLabel('The catalogue').check();
      const threat = page.locator('select[name=threat]');
      await threat.locator('option').nth(1).waitFor({ state: 'attached' });
      await threat.selectOption({ index: 1 });
      await page.locator('fieldset:has(> legend:text-is("Vulnerability from"))').getByLabel('The catalogue').check();
      const vuln = page.locator('select[name=vulnerability]');
      await vuln.selectOption({ index: 1 });
      assert.match(await vuln.locator('option:checked').textContent(), /^★ /);
      await shot(page, 'risk-scenario-new');
      await page.getByRole('button', { name: 'Create the scenario' }).click();
      await page.getByRole('heading', { level: 1, name: 'Risk scenario' }).waitFor();
      await page.locator('.risk-scenario-head h2').filter({ hasText: 'Test card HSM pair' }).waitFor();
      await page.goto(hsm);
      await page.getByRole('button', { name: 'Suggest scenarios from the catalogue' }).click();
      const done = page.getByText(/scenarios? added, 1 already there/);
      await done.waitFor();
      assert.match(await done.textContent(), /^\d+ scenarios? added/);

      // Making it depend on the process would close a cycle: the API's message shows on the field.
      const deps2 = page.locator('fieldset:has(> legend:text-is("Depends on"))');
      await deps2.getByLabel('Type').selectOption('business_process');
      await addDependency(deps2, 'Test card clearing');
      await page.getByRole('button', { name: 'Save the asset' }).click();
      const error = deps2.locator('.field-error');
      await error.waitFor();
      assert.match(await error.textContent(), /cycle: .*Test card/);
      await shot(page, 'risk-asset-cycle');

      await page.goto(`${register}/assets?view=classes`);
      await page.locator('table.risk-classes tbody tr').first().waitFor();
      await shot(page, 'risk-classification');
    });
  });

  test('a heat-map cell opens the register at its level with its scenarios marked', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.goto(`${register}/heatmap`);
      await page.getByRole('heading', { level: 1, name: /^Heat map/ }).waitFor();
      await page.locator('.risk-top-list li').first().waitFor();
      await shot(page, 'risk-heatmap');
      // The cell of the highest risk: its scenarios lead the register at its level.
      const cells = page.locator('section.risk-heat').first().locator('td a');
      const labels = await cells.evaluateAll((as) => as.map((a) => a.getAttribute('aria-label')));
      const risk = (l) => {
        const m = /impact (\d+), likelihood (\d+)/.exec(l);
        return Number(m[1]) * Number(m[2]);
      };
      let best = 0;
      labels.forEach((l, k) => {
        if (risk(l) > risk(labels[best])) best = k;
      });
      const cell = cells.nth(best);
      const count = Number(await cell.textContent());
      await cell.click();
      await page.waitForURL((u) => u.searchParams.has('cell_risk') && u.searchParams.has('level'));
      await page.locator('.list-foot').filter({ hasText: 'Showing' }).waitFor();
      const level = new URL(page.url()).searchParams.get('level');
      const badges = await rows(page).locator('td:nth-child(3) .badge').allTextContents();
      for (const b of badges) assert.match(b, new RegExp(`^${level}`, 'i'));
      // Every scenario of the cell is at the cell's level; the first page shows them highest first.
      const marked = await rows(page).filter({ hasText: 'In cell' }).count();
      assert.ok(marked >= 1 && marked <= count, `${marked} marked of ${count}`);
      await shot(page, 'risk-register-cell');
    });
  });

  test('the action plan and the management summary', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.goto(`${register}/actions`);
      await page.getByRole('heading', { level: 1, name: /^Action plan/ }).waitFor();
      await page.locator('table.risk-actions tbody tr').first().waitFor();
      await page.locator('table.risk-actions tbody tr').first().locator('th button').click();
      await page.getByRole('heading', { level: 3, name: 'History' }).waitFor();
      await shot(page, 'risk-actions');
      await page.goto(`${register}/summary`);
      await page.getByRole('heading', { level: 1, name: /^Management summary/ }).waitFor();
      await page.locator('table.risk-summary-table tbody tr').first().waitFor();
      await shot(page, 'risk-summary');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false);
      assert.equal(await page.getByRole('navigation', { name: 'Risk analysis' }).isVisible(), false);
      await shot(page, 'risk-summary-print');
    });
  });

  test('a viewer reads the register but has no edit control, and the API refuses a write anyway', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'viewer.hcb');
      await page.goto(register);
      await rows(page).first().waitFor();
      assert.equal(await page.getByRole('link', { name: 'New scenario' }).count(), 0);
      await rows(page).first().locator('th a').click();
      await page.getByRole('heading', { level: 1, name: 'Risk scenario' }).waitFor();
      await page.locator('.risk-scores').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /Accept the residual risk/ }).count(), 0);
      assert.ok(await page.getByRole('radio', { name: 'Reduce' }).isDisabled());
      await shot(page, 'risk-scenario-viewer');
    });
    const viewer = await apiAs(server.url, 'viewer.hcb');
    const [, org, analysis] = register.split('/').filter(Boolean);
    const res = await viewer.post(`/api/v1/organisations/${org}/risk/analyses/${analysis}/recommendations`, {
      title: 'A viewer may not add this',
    });
    assert.equal(res.status, 403);
  });

  test('management accepts the residual risk of a scenario', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'mgmt.bank1');
      await page.goto(`${register}?treatment=none`);
      await rows(page).first().waitFor();
      await rows(page).first().locator('th a').click();
      await page.getByRole('heading', { level: 2, name: "Management's acceptance" }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).count(), 0);
      await page.getByLabel('Note', { exact: true }).fill('Within appetite until the second HSM is installed.');
      await page.getByRole('button', { name: 'Accept the residual risk' }).click();
      await page.locator('.risk-acceptance').getByText(/^Accepted:/).waitFor();
      assert.match(await page.locator('.risk-acceptance').textContent(), /Within appetite/);
      await shot(page, 'risk-acceptance');
    });
  });
});
