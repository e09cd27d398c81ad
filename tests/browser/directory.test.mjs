// Browser tests of the directory foundation: sign-in, the role-aware home, the
// directory, people, and the phone layout. They drive Debian's Chromium through
// playwright-core against the real `rampart serve --demo` on a loopback port,
// and fail on any console error, uncaught exception or CSP violation.
//
//   RAMPART_BIN=/path/to/rampart node --test tests/browser/
//
// Screenshots of the main pages land in tests/artifacts/screenshots/.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchBrowser, openPage, signIn, DEMO_PASSWORD } from './browser.mjs';
import { totp } from './totp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const shots = path.join(root, 'tests/artifacts/screenshots');
const bin = process.env.RAMPART_BIN || path.join(root, 'build/release/rampart');
const webRoot = process.env.RAMPART_WEB_ROOT || path.join(root, 'web/dist');

let server;
let browser;
let workdir;

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-'));
  server = await startServer({ bin, workdir, webRoot });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

/** A full-page screenshot, taken from the top so the sticky header sits where it belongs. */
async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** A fresh browser context (no cookies) with console checking; closes itself after fn. */
async function withPage(opts, fn) {
  const p = await openPage(browser, server.url, opts);
  try {
    await fn(p.page);
    p.assertClean();
  } finally {
    await p.close();
  }
}

describe('sign-in and the role-aware home', () => {
  test('the national CERT administrator sees the national overview', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'cert.admin');
      await page.getByRole('heading', { level: 1, name: 'National Computer Emergency Response Team' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'National overview' }).waitFor();
      const sectors = page.locator('.stat', { hasText: 'Critical sectors' }).locator('.stat-value');
      assert.equal(await sectors.textContent(), '8');
      // Every sector heads a group of rows in the MOU overview, one row per regulator's MOU.
      const mouTable = page.getByRole('table', { name: /forwarding under the MOU/ });
      assert.equal(await mouTable.locator('tbody th[scope=row]').count(), 8);
      assert.ok((await mouTable.locator('tbody tr').count()) >= 8);
      await page.getByRole('table', { name: 'Organisations by kind' }).waitFor();
      // The header shows the person and their organisation.
      const header = page.locator('header');
      assert.match(await header.textContent(), /Sign out/);
      assert.match(await header.textContent(), /Platform admin/);
      await shot(page, 'home-national-cert');
    });
  });

  test('the head of the finance regulator sees their sector', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'regulator.finance');
      await page.getByRole('heading', { level: 1, name: 'Central Bank' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Your sector as Central Bank' }).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'National overview' }).count(), 0);
      const card = page.locator('article.card').first();
      assert.match(await card.locator('h3').textContent(), /financ/i);
      await card.getByRole('heading', { name: /Organisations in the sector/ }).waitFor();
      await card.getByRole('heading', { name: 'MOU with the national CERT' }).waitFor();
      assert.match(await card.textContent(), /Forward (on receipt|after regulator review|anonymised)/);
      // The sector's operators are listed, grouped by kind.
      await card.getByRole('region', { name: 'Operators' }).getByRole('link', { name: 'Harbour Commercial Bank' }).waitFor();
      await shot(page, 'home-regulator');
    });
  });

  test('the CISO of a bank sees their organisation and whom it reports to', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.getByRole('heading', { level: 1, name: 'Harbour Commercial Bank' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Your organisation', exact: true }).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'National overview' }).count(), 0);
      const reportsTo = page.locator('article', { has: page.getByRole('heading', { name: 'Who you report to' }) });
      await reportsTo.getByRole('link', { name: 'Central Bank' }).first().waitFor();
      const details = await page.locator('main').textContent();
      assert.match(details, /CISO/);
      assert.match(details, /Organisation administrator/);
      assert.match(details, /National CERT/);
      await page.getByRole('link', { name: 'Manage people' }).waitFor();
      await shot(page, 'home-operator');
    });
  });

  test('a wrong password is refused with a clear message', async () => {
    await withPage({}, async (page) => {
      await page.goto(server.url + '/');
      await page.waitForURL(/\/login$/);
      await page.getByLabel('Username').fill('regulator.finance');
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert').filter({ hasText: /not right/ });
      await alert.waitFor();
      assert.match(await alert.textContent(), /username or password is not right/);
      assert.match(page.url(), /\/login$/);
      await shot(page, 'login-error');
    });
  });

  test('repeated failures are throttled and the wait is shown', async () => {
    await withPage({ allowStatus: [429] }, async (page) => {
      await page.goto(server.url + '/login');
      const alert = page.getByRole('alert');
      // An account that does not exist is throttled like one that does (5 failures per account).
      for (let i = 0; i < 6; i++) {
        await page.getByLabel('Username').fill('nobody.throttled');
        await page.getByLabel('Password').fill(`wrong guess ${i}`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await alert.filter({ hasText: /not right|Too many/ }).waitFor();
        if (/Too many/.test(await alert.textContent())) break;
        await page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled);
      }
      assert.match(await alert.textContent(), /Too many attempts\. Try again in \d+ s/);
      const button = page.getByRole('button', { name: /^Try again in \d+ s$/ });
      assert.equal(await button.isDisabled(), true);
      await shot(page, 'login-throttled');
    });
  });
});

describe('the directory', () => {
  test('the sectors table lists the eight default sectors and a sector opens', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'cert.admin');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sectors' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sectors' }).waitFor();
      const rows = page.locator('main table tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 8);
      const names = await rows.locator('th').allTextContents();
      assert.ok(names.some((n) => /energy/i.test(n)), `no energy sector in ${names}`);
      await shot(page, 'sectors');

      const first = rows.first().locator('th a');
      const name = (await first.textContent()).trim();
      await first.click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await page.getByRole('heading', { name: /^Organisations \(/ }).waitFor();
      await page.getByRole('heading', { name: 'MOU with the national CERT' }).waitFor();
      await shot(page, 'sector');
    });
  });

  test('the organisations list filters by kind and an organisation page opens', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'cert.admin');
      await page.goto(server.url + '/organisations');
      await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor();
      const rows = page.locator('main table tbody tr');
      await rows.first().waitFor();
      // The list comes in pages; "Load more" follows the cursor.
      assert.equal(await rows.count(), 25);
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length > 25);
      const all = await rows.count();
      assert.ok(all > 25, `expected more than one page of demo organisations, saw ${all}`);
      const names = await rows.locator('th a').allTextContents();
      assert.equal(new Set(names).size, names.length, 'no organisation is shown twice');
      await shot(page, 'organisations');

      await page.getByLabel('Search').fill('harbour');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/q=harbour/);
      await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length === 1);
      assert.match(await rows.first().textContent(), /Harbour Commercial Bank/);

      await page.getByLabel('Search').fill('');
      await page.getByLabel('Kind').selectOption('regulator');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/kind=regulator/);
      // Wait for the filtered rows themselves: an empty table (still loading) is not an answer.
      await page.waitForFunction(() => {
        const badges = [...document.querySelectorAll('main tbody td .badge')];
        return badges.length > 0 && badges.every((b) => b.textContent === 'Regulator');
      });
      const regulators = await rows.count();
      assert.ok(regulators >= 1 && regulators < all, `regulators: ${regulators} of ${all}`);

      const link = rows.first().locator('th a');
      const name = (await link.textContent()).trim();
      await link.click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await page.getByRole('heading', { name: 'Details' }).waitFor();
      // A platform administrator may manage anyone's people.
      await page.getByRole('link', { name: 'People', exact: true }).waitFor();
      await shot(page, 'organisation');
    });
  });

  test('the MOUs table shows every sector and is editable by the national CERT', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'cert.admin');
      await page.goto(server.url + '/mous');
      await page.getByRole('heading', { level: 1, name: 'MOUs' }).waitFor();
      const rows = page.locator('main table tbody tr');
      await rows.first().waitFor();
      assert.ok((await rows.count()) >= 8);
      await rows.first().getByRole('button', { name: /^Edit/ }).click();
      const hours = page.getByLabel('Forward within (hours)');
      await hours.fill('48');
      await page.getByRole('button', { name: 'Save MOU' }).click();
      await page.getByRole('status').filter({ hasText: 'has been saved' }).waitFor();
      await rows.first().filter({ hasText: '48 h' }).waitFor();
      await shot(page, 'mous');
    });
  });
});

describe('people, tokens and profile', () => {
  test('the CISO opens the people of their bank and adds a person', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.getByRole('link', { name: 'Manage people' }).click();
      await page.getByRole('heading', { level: 1, name: /^People of / }).waitFor();
      const rows = page.locator('main table tbody tr');
      await rows.first().waitFor();
      const before = await rows.count();

      const username = `analyst.${Date.now().toString(36)}`;
      await page.getByRole('button', { name: 'Add a person' }).click();
      const form = page.locator('form', { has: page.getByLabel('Initial password') });
      await form.getByLabel('Username').fill(username);
      await form.getByLabel('Display name').fill('Ada Analyst');
      await form.getByLabel('E-mail').fill(`${username}@bank1.example`);
      await form.getByLabel('Initial password').fill('a long initial password 2026');
      await form.getByLabel('Reporter').check();
      await form.getByLabel('Risk owner').check();
      await shot(page, 'people-add');
      await form.getByRole('button', { name: 'Add person' }).click();

      await page.getByRole('status').filter({ hasText: 'Ada Analyst has been added' }).waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('main table tbody tr').length === n, before + 1);
      const row = await rows.filter({ hasText: username }).textContent();
      assert.match(row, /Risk owner/);
      assert.match(row, /Reporter/);
      await shot(page, 'people');
    });
  });

  test('an edit based on a stale version is refused and the list reloads', async () => {
    await withPage({ allowStatus: [412] }, async (page) => {
      await withPage({}, async (other) => {
        for (const p of [page, other]) {
          await signIn(p, 'ciso.bank1');
          await p.getByRole('link', { name: 'Manage people' }).click();
          await p.locator('main table tbody tr', { hasText: 'auditor.hcb' }).waitFor();
        }
        // One tab starts editing the auditor's roles; the other disables the auditor meanwhile.
        const mine = page.locator('main table tbody tr', { hasText: 'auditor.hcb' });
        await mine.getByRole('button', { name: /^Edit roles/ }).click();
        await mine.getByLabel('Viewer').check();
        const theirs = other.locator('main table tbody tr', { hasText: 'auditor.hcb' });
        await theirs.getByRole('button', { name: /^Disable/ }).click();
        await theirs.getByText('Disabled').waitFor();

        await mine.getByRole('button', { name: 'Save roles' }).click();
        await page.getByRole('alert').filter({ hasText: 'Someone else changed this person' }).waitFor();
        await mine.getByText('Disabled').waitFor();
        assert.doesNotMatch(await mine.textContent(), /Viewer/);
        await shot(page, 'people-stale');
        // Put things back for the other tests.
        await mine.getByRole('button', { name: /^Enable/ }).click();
        await mine.getByText('Active').waitFor();
      });
    });
  });

  test('a person turns on the second factor and then signs in with a code', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'fincert.analyst');
      await page.goto(server.url + '/profile');
      await page.getByRole('button', { name: 'Set up' }).click();
      const secret = (await page.locator('.totp-secret').textContent()).trim();
      await page.getByLabel('6-digit code').fill(totp(secret, 0));
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.getByRole('status').filter({ hasText: 'The second factor is on' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login$/);

      await page.getByLabel('Username').fill('fincert.analyst');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor();
      await shot(page, 'login-totp');
      // A code is accepted once: the next step's code (inside the allowed window) signs in.
      await page.getByLabel('6-digit code').fill(totp(secret, 1));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      await page.getByRole('heading', { level: 2, name: /^Your sector as / }).waitFor();
    });
  });

  test('a person creates an API token and sees its secret once', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'regulator.finance');
      await page.goto(server.url + '/tokens');
      await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
      await page.getByLabel('Name').fill('SIEM export');
      await page.getByLabel('Expires in (days)').fill('30');
      await page.getByLabel('Your password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Create token' }).click();
      const secret = page.locator('#token-secret');
      await secret.waitFor();
      assert.match(await secret.textContent(), /^rmp_/);
      const row = page.locator('main table tbody tr', { hasText: 'SIEM export' });
      await row.getByText('Active').waitFor();
      await shot(page, 'tokens');
      // Revoking asks for a second click, then the token shows as revoked.
      await row.getByRole('button', { name: /^Revoke/ }).click();
      await row.getByRole('button', { name: /^Revoke now/ }).click();
      await row.getByText('Revoked').waitFor();
    });
  });

  test('the profile shows the account and the second-factor set-up', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'regulator.finance');
      await page.goto(server.url + '/profile');
      await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
      await page.getByRole('button', { name: 'Set up' }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      await shot(page, 'profile-totp');
      await page.getByRole('button', { name: 'Cancel' }).click();
      // Sign out from the header ends the session.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login$/);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    });
  });
});

describe('password reset', () => {
  test('a platform administrator resets a password and the person signs in with the temporary one', async () => {
    // viewer.hcb is signed in somewhere: the reset must end that session.
    const earlier = await openPage(browser, server.url);
    try {
      await signIn(earlier.page, 'viewer.hcb');

      await withPage({}, async (page) => {
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
        await signIn(page, 'cert.admin');
        await page.goto(server.url + '/organisations?q=harbour');
        await page.getByRole('link', { name: 'Harbour Commercial Bank' }).click();
        await page.getByRole('link', { name: 'People', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'People of HCB' }).waitFor();

        const row = page.locator('main table tbody tr', { hasText: 'viewer.hcb' });
        const action = row.getByRole('button', { name: /^Reset password of / });
        // Keyboard: the action is a real button that takes focus and opens on Enter.
        await action.focus();
        await page.keyboard.press('Enter');
        const dialog = page.getByRole('dialog', { name: /^Reset the password of / });
        await dialog.waitFor();
        assert.match(await dialog.textContent(), /viewer\.hcb/);
        assert.match(await dialog.textContent(), /sessions end/);
        // Escape cancels and gives focus back to the button; nothing is reset.
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        assert.equal(await action.evaluate((el) => el === document.activeElement), true);
        assert.equal(await page.locator('#temporary-password').count(), 0);

        await action.click();
        await dialog.waitFor();
        // The safe choice has the focus when the dialog opens.
        assert.equal(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement), true);
        // The viewport only: the modal's backdrop covers the viewport, not a full-page capture.
        await page.screenshot({ path: path.join(shots, 'people-reset-confirm.png') });
        await dialog.getByRole('button', { name: 'Reset password', exact: true }).click();
        const card = page.getByRole('region', { name: /^Temporary password for / });
        await card.waitFor();
        await dialog.waitFor({ state: 'detached' });
        assert.match(await card.textContent(), /shown only now/);
        assert.match(await card.textContent(), /sessions of .* have been ended/);
        const temporary = (await page.locator('#temporary-password').textContent()).trim();
        assert.ok(temporary.length >= 12, `temporary password: ${temporary}`);
        await card.getByRole('button', { name: /^Copy/ }).click();
        await card.getByRole('status').filter({ hasText: /Copied|Copying is not allowed/ }).waitFor();
        if (/Copied/.test(await card.getByRole('status').textContent())) {
          assert.equal(await page.evaluate(() => navigator.clipboard.readText()), temporary);
        }
        await shot(page, 'people-reset');

        // The old session of viewer.hcb has ended: reloading sends it to sign in.
        await earlier.page.reload();
        await earlier.page.waitForURL(/\/login/);
        earlier.assertClean();

        // A fresh context signs in with the temporary password.
        await withPage({}, async (fresh) => {
          await signIn(fresh, 'viewer.hcb', temporary);
          await fresh.getByRole('heading', { level: 1, name: 'Harbour Commercial Bank' }).waitFor();
        });

        await card.getByRole('button', { name: 'I have handed it over' }).click();
        await card.waitFor({ state: 'detached' });
      });
    } finally {
      await earlier.close();
    }
  });

  test('an organisation administrator who is not a platform administrator is not offered the reset', async () => {
    await withPage({ allowStatus: [403] }, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.getByRole('link', { name: 'Manage people' }).click();
      await page.getByRole('heading', { level: 1, name: 'People of HCB' }).waitFor();
      const rows = page.locator('main table tbody tr');
      await rows.filter({ hasText: 'viewer.hcb' }).getByRole('button', { name: /^Edit roles/ }).waitFor();
      assert.equal(await page.getByRole('button', { name: /Reset password/ }).count(), 0);
      // And the server refuses it anyway.
      const status = await page.evaluate(async () => {
        const session = await (await fetch('/api/v1/session')).json();
        const people = await (await fetch(`/api/v1/organisations/${session.memberships[0].organisation.id}/people`)).json();
        const viewer = people.items.find((p) => p.user.username === 'viewer.hcb');
        const res = await fetch(`/api/v1/users/${viewer.user.id}/password-reset`, {
          method: 'POST',
          headers: { 'X-CSRF-Token': session.csrf_token },
        });
        return res.status;
      });
      assert.equal(status, 403);
    });
  });
});

describe('phone width', () => {
  test('the navigation collapses into a menu at 375 px', async () => {
    await withPage({ viewport: { width: 375, height: 812 } }, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.getByRole('heading', { level: 2, name: 'Your organisation', exact: true }).waitFor();
      const menu = page.getByRole('button', { name: 'Menu' });
      await menu.waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.equal(await nav.isVisible(), false, 'the navigation is folded away on a phone');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the page is ${width} px wide at a 375 px viewport`);
      await shot(page, 'phone-home');

      await menu.click();
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await nav.getByRole('link', { name: 'Sectors' }).waitFor();
      await shot(page, 'phone-menu');
      await nav.getByRole('link', { name: 'Sectors' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sectors' }).waitFor();
      assert.equal(await nav.isVisible(), false, 'the menu closes after a choice');
      await shot(page, 'phone-sectors');
    });
  });

  test('the sign-in page fits a phone', async () => {
    await withPage({ viewport: { width: 375, height: 812 } }, async (page) => {
      await page.goto(server.url + '/login');
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the page is ${width} px wide`);
      await shot(page, 'phone-login');
    });
  });
});
