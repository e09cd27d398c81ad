// Writes a STIX 2.1 bundle of N indicators (with a few custom properties, as feeds send them) for
// bench/stix.sh: node bench/stix/generate.mjs OUT.json N
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const [out, nText] = process.argv.slice(2);
const n = Number(nText ?? 100000);
const file = createWriteStream(out);
const hex = (i, width) => i.toString(16).padStart(width, '0');
await write('{"type": "bundle", "id": "bundle--6f1e2a57-3c4d-4e8f-9a0b-1c2d3e4f5a6b", "objects": [\n');
for (let i = 0; i < n; i++) {
  const kind = i % 3;
  const pattern = kind === 0
    ? `[ipv4-addr:value = '${10 + (i >> 16) % 200}.${(i >> 8) % 256}.${i % 256}.${(i * 7) % 256}']`
    : kind === 1
      ? `[domain-name:value = 'host-${hex(i, 6)}.bench-feed.example']`
      : `[file:hashes.'SHA-256' = '${hex(i, 8).repeat(8)}']`;
  const obj = {
    type: 'indicator', spec_version: '2.1', id: `indicator--${hex(i, 8)}-0000-4000-8000-${hex(i * 2654435761 % 2 ** 32, 12)}`,
    created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
    name: `Bench indicator ${i}`, description: 'Seen in a phishing campaign against payment operators.',
    indicator_types: ['malicious-activity'], pattern, pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z', labels: ['bench', kind === 2 ? 'malware' : 'infrastructure'],
    confidence: 70, x_feed_score: i % 100,
  };
  await write((i ? ',\n' : '') + JSON.stringify(obj));
}
await write('\n]}\n');
file.end();
await once(file, 'finish');

async function write(text) {
  if (!file.write(text)) await once(file, 'drain');
}
