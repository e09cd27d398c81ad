// Latency of threat-profile queries one at a time, as the three audiences (the national CERT, the
// finance regulator, a bank's CISO): p50 and p99 over N requests of each query. Prints JSON.
//
//   node bench/profile/reads.mjs URL [N]
const [base, nArg = '200'] = process.argv.slice(2);
const N = Number(nArg);

async function session(username) {
  const login = await fetch(base + '/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'rampart-demo-2026' }),
  });
  if (login.status !== 200 && login.status !== 201) throw new Error(`${username}: ${login.status}`);
  return login.headers.get('set-cookie').split(';')[0];
}

const now = new Date();
const ym = (d) => d.toISOString().slice(0, 7);
const yearAgo = ym(new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1)));
const queries = {
  sector_by_class_12_months: `by=sector,class&from=${yearAgo}`,
  class_by_month_12_months: `by=class,month&from=${yearAgo}`,
  severity_by_year_10_years: `by=severity,year&from=${now.getUTCFullYear() - 9}-01`,
  root_causes_12_months: `by=root_cause&from=${yearAgo}`,
  totals_this_month: `from=${ym(now)}&to=${ym(now)}`,
};
const out = { reads: {} };
for (const who of ['cert.analyst', 'regulator.finance', 'ciso.bank1']) {
  const cookie = await session(who);
  for (const [name, q] of Object.entries(queries)) {
    // Root causes are shown only to those who see every sector in full.
    if (name.startsWith('root_causes') && who !== 'cert.analyst') continue;
    const t = [];
    let cells = 0;
    for (let i = 0; i < N; i++) {
      const s = performance.now();
      const r = await fetch(`${base}/api/v1/profile/incidents?${q}`, { headers: { cookie } });
      const b = await r.json();
      t.push(performance.now() - s);
      if (r.status !== 200) throw new Error(`${who} ${q}: ${r.status} ${JSON.stringify(b)}`);
      cells = b.cells.length;
    }
    t.sort((a, b) => a - b);
    out.reads[`${who} ${name}`] = {
      cells,
      p50_ms: +t[Math.floor(N * 0.5)].toFixed(2),
      p99_ms: +t[Math.min(N - 1, Math.floor(N * 0.99))].toFixed(2),
    };
  }
}
console.log(JSON.stringify(out));
