// Latency of threat-profile queries one at a time, as the three audiences (the national CERT, the
// finance regulator, a bank's CISO), for periods of 1, 3, 12, 36 and 120 months ending this month
// and the groupings the API offers: p50 and p99 over N requests of each. Prints JSON.
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
const monthsBack = (n) => ym(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (n - 1), 1)));
const periods = [1, 3, 12, 36, 120];
// Every dimension alone and the usual pairs and triples; type and root cause only for those who
// see every sector in full (the others are refused them).
const groupings = {
  total: { by: '' },
  sector: { by: 'sector' },
  sector_class: { by: 'sector,class' },
  class_severity: { by: 'class,severity' },
  sector_class_severity: { by: 'sector,class,severity' },
  class_month: { by: 'class,month' },
  sector_quarter: { by: 'sector,quarter' },
  severity_year: { by: 'severity,year' },
  type: { by: 'type', full: true },
  class_type_month: { by: 'class,type,month', full: true },
  root_cause: { by: 'root_cause', full: true },
  type_severity: { by: 'type,severity', full: true },
};
const out = { n: N, reads: {} };
for (const who of ['cert.analyst', 'regulator.finance', 'ciso.bank1']) {
  const cookie = await session(who);
  for (const months of periods) {
    for (const [name, g] of Object.entries(groupings)) {
      if (g.full && who !== 'cert.analyst') continue;
      const q = `by=${g.by}&from=${monthsBack(months)}&to=${ym(now)}`;
      const t = [];
      let cells = 0;
      let suppressed = 0;
      // Two unmeasured requests first: the server's caches and the connection warm up.
      for (let i = -2; i < N; i++) {
        const s = performance.now();
        const r = await fetch(`${base}/api/v1/profile/incidents?${q}`, { headers: { cookie } });
        const b = await r.json();
        if (i >= 0) t.push(performance.now() - s);
        if (r.status !== 200) throw new Error(`${who} ${q}: ${r.status} ${JSON.stringify(b)}`);
        cells = b.cells.length;
        suppressed = b.cells.filter((c) => c.suppressed).length;
      }
      t.sort((a, b) => a - b);
      out.reads[`${who} ${months} ${name}`] = {
        who, months, grouping: name, by: g.by, cells, suppressed,
        p50_ms: +t[Math.floor(N * 0.5)].toFixed(2),
        p99_ms: +t[Math.min(N - 1, Math.floor(N * 0.99))].toFixed(2),
      };
    }
  }
}
console.log(JSON.stringify(out));
