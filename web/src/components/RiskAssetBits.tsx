// An asset's criticality as a badge: the value with its label on the impact scale, and where it
// comes from (its own ratings, inherited from the primary assets depending on it, or overridden).

import type { Asset, Settings } from '../risk';

function criticalityClass(settings: Settings, value: number): string {
  const { min, max } = settings.impact;
  const r = max === min ? 1 : (value - min) / (max - min);
  if (r <= 0.25) return 'risk-level-low';
  if (r <= 0.5) return 'risk-level-medium';
  return r < 1 ? 'risk-level-high' : 'risk-level-top';
}

const SOURCE: Record<string, string> = { ratings: 'own', inherited: 'inherited', override: 'overridden' };

export function CriticalityBadge({
  settings,
  asset,
  value,
  label,
}: {
  settings: Settings;
  asset?: Asset;
  value?: number | null;
  label?: string | null;
}) {
  const v = asset ? asset.criticality : (value ?? null);
  const l = asset ? asset.criticality_label : (label ?? null);
  if (v === null) return <span class="badge risk-level risk-level-none">Not rated</span>;
  const title = asset?.criticality_source === 'override' ? `Overridden: ${asset.override.reason}` : undefined;
  return (
    <span class={`badge risk-level ${criticalityClass(settings, v)}`} title={title}>
      {v} · {l}
      {asset && <span class="risk-source"> ({SOURCE[asset.criticality_source] ?? asset.criticality_source})</span>}
    </span>
  );
}
