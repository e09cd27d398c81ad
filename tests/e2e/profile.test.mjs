// The national threat profile over HTTP: live figures from roll-ups kept with every incident
// write, what each audience sees, and small cells withheld so that no withheld figure can be
// worked out from the published ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, all, cli } from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const HOUR = 3600_000;
const month = (d = new Date()) => d.toISOString().slice(0, 7);

async function sectors() {
  return all(await signedIn(server, 'cert.admin'), '/api/v1/sectors');
}

// Whether any withheld figure of a two-way table (cells, both margins, total) can be computed from
// the published ones: by the graph argument, a withheld figure is determined exactly when its edge
// is a bridge of the graph of withheld figures (rows and columns as nodes, plus a "total" node on
// each side). Returns the keys of such figures.
function computable(table) {
  const [a, b] = table.by;
  const edges = [];
  for (const c of table.cells) edges.push({ u: `r:${c.key[a]}`, v: `c:${c.key[b]}`, f: c });
  for (const m of table.margins[a]) edges.push({ u: `r:${m.key[a]}`, v: 'c:*', f: m });
  for (const m of table.margins[b]) edges.push({ u: 'r:*', v: `c:${m.key[b]}`, f: m });
  edges.push({ u: 'r:*', v: 'c:*', f: table.total });
  const hidden = edges.filter((e) => e.f.suppressed);
  const out = [];
  for (const e of hidden) {
    const adj = new Map();
    for (const o of hidden) {
      if (o === e) continue;
      for (const [x, y] of [[o.u, o.v], [o.v, o.u]]) {
        if (!adj.has(x)) adj.set(x, []);
        adj.get(x).push(y);
      }
    }
    const seen = new Set([e.u]);
    const stack = [e.u];
    while (stack.length) {
      for (const y of adj.get(stack.pop()) ?? []) if (!seen.has(y)) { seen.add(y); stack.push(y); }
    }
    if (!seen.has(e.v)) out.push(e.f.key);
  }
  return out;
}

test('TheNationalCertSeesEveryFigureAndAFiledIncidentCountsAtOnce', async () => {
  const cert = await signedIn(server, 'cert.analyst');
  const url = `/api/v1/profile/incidents?by=sector,class&from=${month(new Date(Date.now() - 400 * 24 * HOUR))}`;
  const before = await cert.get(url);
  assert.equal(before.status, 200, JSON.stringify(before.body));
  assert.equal(before.body.view.national, true);
  assert.equal(before.body.any_suppressed, false);
  assert.ok(before.body.total.incidents > 100, 'the demo country has a year of incidents');
  assert.ok(before.body.cells.every((c) => typeof c.organisations === 'number'));
  const sum = before.body.cells.reduce((s, c) => s + c.incidents, 0);
  assert.equal(sum, before.body.total.incidents, 'cells add up to the total');

  const reporter = await signedIn(server, 'reporter.bank1');
  const me = (await reporter.get('/api/v1/me')).body;
  const hcb = me.memberships.find((m) => m.organisation.short_name === 'HCB').organisation.id;
  const filed = await reporter.post(`/api/v1/organisations/${hcb}/incidents`, {
    title: 'Card switch down', aware_at: new Date(Date.now() - HOUR).toISOString(),
    suspected_malicious: 'unknown', may_affect_others: false,
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const after = await cert.get(url);
  assert.equal(after.body.total.incidents, before.body.total.incidents + 1);
});

test('AnOperatorSeesAggregatesWithSmallCellsWithheldAndNoneCanBeWorkedOut', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const res = await ciso.get('/api/v1/profile/incidents?by=sector,class');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.view.national, false);
  assert.equal(res.body.min_organisations, 5);
  assert.equal(res.body.any_suppressed, true, 'a demo country of a few organisations per sector has small cells');
  for (const c of res.body.cells) {
    if (c.suppressed) assert.equal(c.incidents, null);
    assert.equal(c.organisations, undefined, 'how many organisations stand behind a figure is not shown outside');
  }
  assert.deepEqual(computable(res.body), [], 'no withheld figure follows from the published ones');
  const hidden = res.body.cells.filter((c) => c.suppressed).length;
  assert.notEqual(hidden, 1, 'one withheld cell alone would be given away by its row');
});

test('ARegulatorSeesItsSectorInFullAndTheOthersAsAggregates', async () => {
  const finance = (await sectors()).find((s) => s.slug === 'finance');
  const cb = await signedIn(server, 'regulator.finance');
  const res = await cb.get('/api/v1/profile/incidents?by=sector,severity');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.view.full_sectors, [finance.id]);
  const own = res.body.cells.filter((c) => c.key.sector === finance.id);
  assert.ok(own.length > 0);
  for (const c of own) {
    assert.equal(c.suppressed, false);
    assert.equal(typeof c.organisations, 'number');
  }
  assert.deepEqual(computable(res.body), []);
  // Its own sector by type: allowed. The nation by type: not.
  assert.equal((await cb.get(`/api/v1/profile/incidents?by=type&sector=${finance.id}`)).status, 200);
  const refused = await cb.get('/api/v1/profile/incidents?by=type');
  assert.equal(refused.status, 422);
  assert.equal(refused.body.errors[0].field, 'by');
});

test('MonthlyBinsKeepEmptyMonthsInPlace', async () => {
  const cert = await signedIn(server, 'cert.analyst');
  const res = await cert.get('/api/v1/profile/incidents?by=month&from=2025-01&to=2025-12');
  assert.equal(res.status, 200);
  assert.equal(res.body.bins.length, 12);
  assert.equal(res.body.bins[0], '2025-01');
  assert.equal(res.body.bins[11], '2025-12');
  const q = await cert.get('/api/v1/profile/incidents?by=quarter&from=2025-01&to=2025-12');
  assert.deepEqual(q.body.bins, ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
});

test('BadQueriesAreRefusedNamingTheParameter', async () => {
  const cert = await signedIn(server, 'cert.analyst');
  for (const [query, field] of [
    ['from=2026-13', 'from'],
    ['to=26-01', 'to'],
    ['from=2026-06&to=2026-01', 'from'],
    ['by=colour', 'by'],
    ['by=month,year', 'by'],
    ['by=sector,sector', 'by'],
    ['class=not-a-class', 'class'],
    ['severity=dire', 'severity'],
  ]) {
    const res = await cert.get(`/api/v1/profile/incidents?${query}`);
    assert.equal(res.status, 422, query);
    assert.equal(res.body.errors[0].field, field, query);
  }
  const anonymous = await fetch(`${server.url}/api/v1/profile/incidents`);
  assert.equal(anonymous.status, 401);
});

test('TheRollupsAgreeWithARecomputationFromTheIncidents', async () => {
  const res = cli(['profile', 'verify', '--db', server.db]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /agree with the incidents: \d+ incidents/);
});

test('DrillingDownListsTheIncidentsOfAMonth', async () => {
  const cert = await signedIn(server, 'cert.analyst');
  const m = month();
  const from = `${m}-01T00:00:00Z`;
  const next = new Date(Date.parse(from));
  next.setUTCMonth(next.getUTCMonth() + 1);
  const table = await cert.get(`/api/v1/profile/incidents?from=${m}&to=${m}`);
  const listed = await all(cert, `/api/v1/incidents?aware_from=${from}&aware_to=${next.toISOString()}`, 200);
  // Every case listed became known in that month; the national CERT holds most of them (some
  // wait for their regulator's review), and the profile counts all but rejected, duplicate and
  // merged ones.
  assert.ok(listed.length > 0);
  for (const i of listed) {
    assert.ok(Date.parse(i.aware_at) >= Date.parse(from) && Date.parse(i.aware_at) < next.getTime(), i.aware_at);
  }
  const counted = listed.filter((i) => !['rejected', 'duplicate', 'merged'].includes(i.state));
  assert.ok(counted.length <= table.body.total.incidents);
  const bad = await cert.get('/api/v1/incidents?aware_from=yesterday');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, 'aware_from');
});
