// Latency of the Statement of Applicability reads one at a time (a request that does not queue
// behind others), as the CISO of the bank, with every organisation's SoAs in the database: p50 and
// p95 over N requests each, and the time of the HTTP exports. Prints one JSON object.
//
//   node bench/isms/reads.mjs URL ORG_ID [N]
const [base, org, nArg = '200'] = process.argv.slice(2);
const N = Number(nArg);
const login = await fetch(base + '/api/v1/session', {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'ciso.bank1', password: 'rampart-demo-2026' }),
});
const cookie = login.headers.get('set-cookie').split(';')[0];
const fetchOk = async (p) => {
  const r = await fetch(base + p, { headers: { cookie } });
  const b = Buffer.from(await r.arrayBuffer());
  if (r.status !== 200) throw new Error(`${p}: ${r.status} ${b.toString().slice(0, 300)}`);
  return b;
};
const get = async (p) => JSON.parse((await fetchOk(p)).toString());
const S = `/api/v1/organisations/${org}/soa/iso27001-2022`;
const page = await get(`${S}?limit=50`);
const ids = page.items.map((e) => e.requirement_id);
const cases = {
  soa_list: () => `/api/v1/organisations/${org}/soa`,
  soa_page: () => `${S}?limit=50`,
  soa_page_2: () => `${S}?limit=50&cursor=${encodeURIComponent(page.next_cursor)}`,
  soa_filtered: () => `${S}?limit=50&status=implemented`,
  soa_text_search: () => `${S}?limit=50&q=access`,
  requirement_detail: () => `${S}/entries/${ids[Math.floor(Math.random() * ids.length)]}`,
  csf_page: () => `/api/v1/organisations/${org}/soa/nist-csf-2.0?limit=50`,
};
const out = { reads: {}, exports_ms: {} };
for (const [name, path] of Object.entries(cases)) {
  for (let i = 0; i < 10; i++) await fetchOk(path());  // warm the caches first
  const t = [];
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    await fetchOk(path());
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  out.reads[name] = { p50_ms: +t[Math.floor(N * 0.5)].toFixed(1), p95_ms: +t[Math.floor(N * 0.95)].toFixed(1) };
}
for (const [name, path] of Object.entries({
  'export.xlsx (1,000 controls)': `/api/v1/organisations/${org}/soa/bench-1000/export.xlsx`,
  'export.html (1,000 controls)': `/api/v1/organisations/${org}/soa/bench-1000/export.html`,
})) {
  const t = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    bytes = (await fetchOk(path)).length;
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  out.exports_ms[name] = { median_ms: Math.round(t[2]), bytes };
}
console.log(JSON.stringify(out));
