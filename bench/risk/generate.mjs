// A synthetic risk analysis at the size, in the export format `rampart risk import` reads:
// 10,000 assets (500 primary, rated; each depending on two later ones, so no cycle), every
// catalogue threat and vulnerability, and 50,000 distinct scenarios. Deterministic for one seed.
// Also writes the assets and scenarios as CSV, for the sqlite3 shell's import (the ceiling).
//
//   node bench/risk/generate.mjs OUT.json OUT_PREFIX [ASSETS] [SCENARIOS]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [out, csvPrefix, nAssets = '10000', nScenarios = '50000'] = process.argv.slice(2);
const A = Number(nAssets);
const S = Number(nScenarios);

// mulberry32: 32-bit integer arithmetic only, so the sequence is exact (a float LCG loses bits
// and falls into a short cycle).
let seed = 2026;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(random() * xs.length)];

const T = JSON.parse(readFileSync(path.join(root, 'catalogues/risk-threats.json'))).threats;
const V = JSON.parse(readFileSync(path.join(root, 'catalogues/risk-vulnerabilities.json'))).vulnerabilities;
const primaryTypes = ['business_process', 'information'];
const supportingTypes = ['hardware', 'software', 'network', 'people', 'site', 'organisation'];
const consequences = ['reputation', 'operations', 'legal', 'financial', 'persons'];

const assets = [];
for (let k = 0; k < A; k++) {
  const primary = k < A / 20;
  const ratings = {};
  if (primary) {
    for (const c of ['confidentiality', 'integrity', 'availability']) {
      ratings[c] = {};
      for (const t of consequences) if (random() < 0.6) ratings[c][t] = int(0, 4);
    }
  }
  const depends = [];
  for (let d = 0; d < 2 && k + 1 < A; d++) {
    const j = int(k + 1, Math.min(k + 199, A - 1));
    if (!depends.includes(`a${j}`)) depends.push(`a${j}`);
  }
  assets.push({
    id: `a${k}`, name: `Asset ${String(k).padStart(5, '0')}`, type: pick(primary ? primaryTypes : supportingTypes),
    description: '', owner: null, ratings, override: { impact: {}, reason: '' }, depends_on: depends,
  });
}
const threats = T.map((t, i) => ({
  id: `t${i}`, urn: t.urn, custom: false, family: t.family, name: t.name, description: t.description,
  criteria: { ...t.criteria, authenticity: false }, likelihood: int(0, 4),
}));
const vulnerabilities = V.map((v, i) => ({
  id: `v${i}`, urn: v.urn, custom: false, name: v.name, description: v.description, qualification: int(1, 5),
}));
const scenarios = [];
const seen = new Set();
while (scenarios.length < S) {
  const a = int(0, A - 1);
  const t = int(0, T.length - 1);
  const v = int(0, V.length - 1);
  const key = `${a}/${t}/${v}`;
  if (seen.has(key)) continue;
  seen.add(key);
  scenarios.push({
    id: `s${scenarios.length}`, asset: `a${a}`, threat: `t${t}`, vulnerability: `v${v}`, description: '',
    probability: null, residual_probability: null, reduction: int(0, 2), controls_in_place: '',
    treatment: pick(['none', 'reduce', 'accept', 'avoid', 'share']), owner: null, planned_controls: '', acceptances: [],
  });
}
writeFileSync(out, JSON.stringify({
  format: 'rampart-risk-analysis', format_version: 1,
  analysis: { name: `Synthetic ${A} assets, ${S} scenarios`, description: '', current: true,
    created_at: '2026-01-01T00:00:00.000Z', settings: { method: 'itv' } },
  assets, threats, vulnerabilities, scenarios, recommendations: [],
}));
writeFileSync(`${csvPrefix}-assets.csv`, 'id,name,type,depends_on\n' +
  assets.map((a) => `${a.id},${a.name},${a.type},${a.depends_on.join(' ')}`).join('\n') + '\n');
writeFileSync(`${csvPrefix}-scenarios.csv`, 'id,asset,threat,vulnerability,reduction,treatment\n' +
  scenarios.map((s) => `${s.id},${s.asset},${threats[Number(s.threat.slice(1))].urn},${vulnerabilities[Number(s.vulnerability.slice(1))].urn},${s.reduction},${s.treatment}`).join('\n') + '\n');
