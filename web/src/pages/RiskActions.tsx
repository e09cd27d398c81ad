// The action plan of an analysis: its recommendations with importance, responsible person, due
// date and status (overdue ones marked), each opened with its history; a form to add one.

import { useState } from 'preact/hooks';
import { SelectField } from '../components/Field';
import { RecommendationForm, RecommendationList } from '../components/RiskActionBits';
import { AnalysisPage } from '../components/RiskParts';
import { RECOMMENDATION_STATUSES, recommendationStatusLabel } from '../risk';
import { navigate, useLocation } from '../router';

export function RiskActionsPage({ orgId, analysisId }: { orgId: string; analysisId: string }) {
  const { path, query } = useLocation();
  const status = query.get('status') ?? '';
  const [refresh, setRefresh] = useState(0);
  return (
    <AnalysisPage
      orgId={orgId}
      analysisId={analysisId}
      view="actions"
      title={(a) => `Action plan · ${a.name}`}
      lead={() => 'What the organisation will do about its risks, who answers for it, and by when. Open a line for its history.'}
    >
      {(frame) => (
        <>
          <div class="filters risk-action-filters">
            <SelectField
              label="Status"
              name="status"
              value={status}
              onValue={(v) => navigate(v ? `${path}?status=${v}` : path)}
              options={[{ value: '', label: 'Every status' }, ...RECOMMENDATION_STATUSES.map((s) => ({ value: s, label: recommendationStatusLabel(s) }))]}
            />
          </div>
          <RecommendationList analysis={frame.analysis} status={status} refresh={refresh} mayWrite={frame.mayWrite} />
          {frame.mayWrite && (
            <div class="card form-card">
              <RecommendationForm analysis={frame.analysis} onCreated={() => setRefresh((n) => n + 1)} />
            </div>
          )}
        </>
      )}
    </AnalysisPage>
  );
}
