// Latency of the risk reads one at a time (a request that does not queue behind others), as the
// CISO of the bank that holds the large analysis: p50 and p95 over N requests each. Also the
// scale change (PATCH of the impact scale: remap and rescore every scenario), three times.
// Prints one JSON object.
//
//   node bench/risk/reads.mjs URL [N]
const [base, nArg = '200'] = process.argv.slice(2);
const N = Number(nArg);
const login = await fetch(base + '/api/v1/session', {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'ciso.bank1', password: 'rampart-demo-2026' }),
});
const cookie = login.headers.get('set-cookie').split(';')[0];
const csrf = (await login.json()).csrf_token;
const get = async (p) => {
  const r = await fetch(base + p, { headers: { cookie } });
  const b = await r.json();
  if (r.status !== 200) throw new Error(`${p}: ${r.status} ${JSON.stringify(b)}`);
  return b;
};
const org = (await get('/api/v1/organisations?limit=200')).items.find((o) => o.short_name === 'HCB').id;
const analyses = (await get(`/api/v1/organisations/${org}/risk/analyses`)).items;
const an = analyses.reduce((a, b) => (b.counts.scenarios > a.counts.scenarios ? b : a));
const A = `/api/v1/organisations/${org}/risk/analyses/${an.id}`;
const page = await get(`${A}/scenarios?limit=50`);
const assets = await get(`${A}/assets?limit=50`);
const cases = {
  register: () => `${A}/scenarios?limit=50`,
  register_filtered: () => `${A}/scenarios?limit=50&basis=residual&level=high`,
  register_page_2: () => `${A}/scenarios?limit=50&cursor=${encodeURIComponent(page.next_cursor)}`,
  register_one_asset: () => `${A}/scenarios?asset=${page.items[0].asset.id}`,
  scenario_detail: () => `${A}/scenarios/${page.items[Math.floor(Math.random() * page.items.length)].id}`,
  asset_list: () => `${A}/assets?limit=50&sort=criticality`,
  asset_detail: () => `${A}/assets/${assets.items[Math.floor(Math.random() * assets.items.length)].id}`,
  analysis_detail: () => A,
  heat_map: () => `${A}/heatmap`,
};
const out = { scenarios: an.counts.scenarios, assets: an.counts.assets, reads: {}, rescale_ms: [] };
for (const [name, path] of Object.entries(cases)) {
  const t = [];
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    await get(path());
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  out.reads[name] = { p50_ms: +t[Math.floor(N * 0.5)].toFixed(1), p95_ms: +t[Math.floor(N * 0.95)].toFixed(1) };
}
let version = (await get(A)).version;
for (const scale of [{ min: 1, max: 5 }, { min: 0, max: 4 }, { min: 1, max: 5 }]) {
  const s = performance.now();
  const r = await fetch(base + A, {
    method: 'PATCH',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', 'if-match': `"${version}"` },
    body: JSON.stringify({ settings: { impact: scale } }),
  });
  const b = await r.json();
  if (r.status !== 200) throw new Error(`rescale: ${r.status} ${JSON.stringify(b)}`);
  out.rescale_ms.push(Math.round(performance.now() - s));
  version = b.version;
}
console.log(JSON.stringify(out));
