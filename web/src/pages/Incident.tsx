// One incident case as the person may see it: its clocks, what they may do now, the reports
// filed, how the case travelled, its observables and its timeline. Every action answers
// with the updated case, which replaces the one shown.

import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { Assignment, CommentBox, ForwardForm, forwardsThis, RequestReport, StateActions } from '../components/CaseActions';
import { CaseAttachments } from '../components/CaseAttachments';
import { CaseSharing } from '../components/CaseSharing';
import { Links, Tasks } from '../components/CaseWork';
import { CaseDetails, Clocks, Handovers, Observables, Parties, Reports, Requests, Timeline } from '../components/CaseParts';
import { Disclosures } from '../components/Disclosures';
import { CaseOrg, SeverityBadge, StateBadge } from '../components/IncidentBits';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { AddObservables, StageReportForm } from '../components/ReportForms';
import { ErrorMessage, Loading, SuccessMessage } from '../components/Status';
import { dueLabel } from '../format';
import { asApiError, useAsync, useNow } from '../hooks';
import { loadProfile, loadTaxonomy, stageLabel, type IncidentCase } from '../incidents';
import { useSession } from '../session';

export function IncidentPage({ id }: { id: string }) {
  const { session } = useSession();
  const now = useNow();
  const [c, setC] = useState<IncidentCase | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<{ where: string; text: string } | null>(null);
  const [forwarding, setForwarding] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const taxonomy = useAsync(loadTaxonomy, []);
  const profileState = useAsync(async () => (c ? loadProfile(c.profile_id) : undefined), [c?.profile_id]);

  useEffect(() => {
    let current = true;
    setError(null);
    api.get<IncidentCase>(`/incidents/${encodeURIComponent(id)}`).then(
      (data) => current && setC(data),
      (e: unknown) => current && setError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [id, tick]);
  useEffect(() => {
    setC(null);
    setNotice(null);
  }, [id]);

  if (error && !c) {
    return (
      <Page title="Incident">
        <ErrorMessage error={error} />
        <p>
          <Link href="/incidents">Back to the incidents</Link>
        </p>
      </Page>
    );
  }
  if (!c) return <Loading what="Loading the case" />;

  const profile = profileState.data;
  const changed = (where: string) => (updated: IncidentCase, text: string) => {
    setC(updated);
    setNotice({ where, text });
    setForwarding(null);
  };
  const noticeAt = (where: string) => <SuccessMessage>{notice?.where === where ? notice.text : null}</SuccessMessage>;
  const you = c.you;
  const handles = you.may_handle || you.may_request || you.may_comment || you.next_states.length > 0;
  // The case names its assignee by id only; the person shown is "you" or one of the CERTs' analysts.
  const someone = 'An analyst of a CERT holding the case';
  const assignee = c.assignee_id ? (c.assignee_id === session.user.id ? 'You' : someone) : null;

  const actionsCard = handles && (
    <section class="card" aria-labelledby="case-actions">
      <h2 id="case-actions">Handle the case</h2>
      {noticeAt('actions')}
      <div class="action-grid">
        {you.next_states.length > 0 && <StateActions c={c} onChanged={changed('actions')} />}
        {you.may_handle && <Assignment c={c} onChanged={changed('actions')} />}
        {you.may_request && <RequestReport c={c} onChanged={changed('actions')} />}
        {you.may_comment && <CommentBox c={c} onChanged={changed('actions')} />}
      </div>
    </section>
  );

  return (
    <Page
      title={c.title}
      lead={
        <span class="case-lead">
          <span class="ref">{c.reference}</span>
          <StateBadge state={c.state} />
          <SeverityBadge severity={c.severity} rule={c.severity_rule} />
          <span>
            <CaseOrg org={c.organisation} note={false} />
            <span class="muted"> · {c.sector_name}</span>
          </span>
        </span>
      }
      actions={
        <button type="button" class="button button-quiet" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
      }
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/incidents">Incidents</Link> <span aria-hidden="true">›</span> <span>{c.reference}</span>
      </nav>
      {error && <ErrorMessage error={error} />}
      {c.organisation.anonymised && (
        <p class="notice notice-info">
          Your CERT holds this case <strong>anonymised</strong>: the reporting organisation is shown as “
          {c.organisation.label}”.
        </p>
      )}
      {c.next_due_stage && c.next_due_at && you.may_report && (
        <p class={c.overdue ? 'notice notice-error' : 'notice notice-due'}>
          <strong>{stageLabel(c.next_due_stage)}</strong> {dueLabel(c.next_due_at, now)}.{' '}
          <a href="#file-report">File it below</a>.
        </p>
      )}

      <div class="grid-2 grid-wide-right grid-top">
        <section class="card" aria-labelledby="case-details">
          <h2 id="case-details">Case</h2>
          <CaseDetails c={c} taxonomy={taxonomy.data} profile={profile} assignee={assignee} />
        </section>
        <div>
          <section class="card" aria-labelledby="case-clocks">
            <h2 id="case-clocks">Clocks</h2>
            <Clocks c={c} now={now} profile={profile} />
          </section>
          <section class="card" aria-labelledby="case-parties">
            <h2 id="case-parties">Who holds the case</h2>
            <Parties c={c} />
            <h3>How it got there</h3>
            {noticeAt('forward')}
            <Handovers
              c={c}
              now={now}
              action={(h) =>
                you.may_forward && forwardsThis(session, h) ? (
                  forwarding === h.id ? (
                    <ForwardForm
                      incidentId={c.id}
                      handoverId={h.id}
                      defaultAnonymised={h.mode === 'anonymised'}
                      onForwarded={changed('forward')}
                      onCancel={() => setForwarding(null)}
                    />
                  ) : (
                    <button type="button" class="button button-small button-primary" onClick={() => setForwarding(h.id)}>
                      Forward…
                    </button>
                  )
                ) : null
              }
            />
            {c.requests.length > 0 && (
              <>
                <h3>Requests for intermediate reports</h3>
                <Requests c={c} now={now} />
              </>
            )}
          </section>
        </div>
      </div>

      {!you.may_report && actionsCard}
      {you.may_report && (
        <section class="card form-card" id="file-report" aria-labelledby="file-report-h">
          <h2 id="file-report-h">File a report</h2>
          {noticeAt('report')}
          <StageReportForm
            key={`${c.id}-${c.reports.length}`}
            c={c}
            profile={profile}
            taxonomy={taxonomy.data}
            onFiled={changed('report')}
          />
        </section>
      )}

      {you.may_report && actionsCard}

      <section class="card" aria-labelledby="case-reports">
        <h2 id="case-reports">Reports</h2>
        <Reports c={c} taxonomy={taxonomy.data} />
      </section>

      <section class="card" aria-labelledby="case-observables">
        <h2 id="case-observables">Observables</h2>
        {noticeAt('observables')}
        <Observables c={c} />
        {you.may_report && (
          <details class="more-fields">
            <summary>Add observables without a report</summary>
            <AddObservables c={c} onAdded={changed('observables')} />
          </details>
        )}
      </section>

      <CaseAttachments c={c} onUploaded={() => setTick((t) => t + 1)} />

      <div class="grid-2 grid-top">
        {you.may_task && <Tasks c={c} now={now} onChanged={() => setTick((t) => t + 1)} />}
        <Links c={c} onChanged={changed('links')} />
      </div>

      {you.may_handle && !c.organisation.anonymised && <Disclosures c={c} onChanged={() => setTick((t) => t + 1)} />}

      <CaseSharing c={c} onChanged={() => setTick((t) => t + 1)} />

      <section class="card" aria-labelledby="case-timeline">
        <h2 id="case-timeline">Timeline</h2>
        <Timeline c={c} />
      </section>
    </Page>
  );
}
