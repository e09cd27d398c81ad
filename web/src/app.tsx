// The application: who is signed in, and which page the path shows.

import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api, setCsrfToken, setUnauthenticatedHandler } from './api';
import { Layout } from './components/Layout';
import { Loading } from './components/Status';
import { invalidateDirectory } from './directory';
import { AssistanceNewPage, AssistancePage } from './pages/Assistance';
import { AssistanceRequestPage } from './pages/AssistanceRequest';
import { AdvisoriesPage } from './pages/Advisories';
import { AdvisoryPage } from './pages/Advisory';
import { AdvisoryComposerPage } from './pages/AdvisoryNew';
import { SharingGroupsPage } from './pages/SharingGroups';
import { SharedIncidentPage, SharedIncidentsPage } from './pages/SharedIncidents';
import { GuidelineComposerPage, GuidelinesPage } from './pages/Guidelines';
import { GuidelineAdoptionPage, GuidelinePage } from './pages/Guideline';
import { ForwardingPage } from './pages/Forwarding';
import { FrameworkPage, FrameworksPage } from './pages/Frameworks';
import { CompliancePage } from './pages/Compliance';
import { HomePage } from './pages/Home';
import { IncidentPage } from './pages/Incident';
import { IncidentNewPage } from './pages/IncidentNew';
import { IncidentsPage } from './pages/Incidents';
import { LoginPage } from './pages/Login';
import { MousPage } from './pages/Mous';
import { NotFoundPage } from './pages/NotFound';
import { OrganisationPage } from './pages/Organisation';
import { OrganisationsPage } from './pages/Organisations';
import { PeoplePage } from './pages/People';
import { ProfilePage } from './pages/Profile';
import { RiskPage } from './pages/Risk';
import { RiskActionsPage } from './pages/RiskActions';
import { RiskAssetPage } from './pages/RiskAsset';
import { RiskAssetsPage } from './pages/RiskAssets';
import { RiskHeatMapPage } from './pages/RiskHeatMap';
import { RiskRegisterPage } from './pages/RiskRegister';
import { RiskScenarioPage } from './pages/RiskScenario';
import { RiskSummaryPage } from './pages/RiskSummary';
import { SectorPage } from './pages/Sector';
import { SoaListPage, SoaPage } from './pages/Soa';
import { CyclePage } from './pages/Cycle';
import { FindingsPage } from './pages/Findings';
import { CertificationPage } from './pages/Certification';
import { ObligationsPage } from './pages/Obligations';
import { PosturePage } from './pages/Posture';
import { PolicyAcknowledgementPage, PolicyAcknowledgementsPage } from './pages/PolicyAcknowledgements';
import { PolicyDocsPage } from './pages/PolicyDocs';
import { PolicyEditorPage } from './pages/PolicyEditor';
import { SectorsPage } from './pages/Sectors';
import { TokensPage } from './pages/Tokens';
import { match, navigate, useLocation } from './router';
import { SessionContext, type SessionContextValue } from './session';
import type { Session } from './types';

type Route = [pattern: string, render: (params: Record<string, string>) => preact.JSX.Element];

const ROUTES: Route[] = [
  ['/', () => <HomePage />],
  ['/incidents', () => <IncidentsPage />],
  // Before /incidents/:id, which would take "new", "forwarding" and "compliance" for ids.
  ['/incidents/new', () => <IncidentNewPage />],
  ['/incidents/compliance', () => <CompliancePage />],
  ['/incidents/forwarding', () => <ForwardingPage />],
  ['/incidents/:id', (p) => <IncidentPage id={p.id!} />],
  ['/assistance', () => <AssistancePage />],
  // Before /assistance/:id, which would take "new" for an id.
  ['/assistance/new', () => <AssistanceNewPage />],
  ['/assistance/:id', (p) => <AssistanceRequestPage id={p.id!} />],
  ['/advisories', () => <AdvisoriesPage />],
  // Before /advisories/:id, which would take "new" for an id.
  ['/advisories/new', () => <AdvisoryComposerPage />],
  ['/advisories/:id', (p) => <AdvisoryPage id={p.id!} />],
  ['/advisories/:id/edit', (p) => <AdvisoryComposerPage id={p.id!} />],
  ['/sharing-groups', () => <SharingGroupsPage />],
  ['/shared-incidents', () => <SharedIncidentsPage />],
  ['/shared-incidents/:id', (p) => <SharedIncidentPage id={p.id!} />],
  ['/guidelines', () => <GuidelinesPage />],
  // Before /guidelines/:id, which would take "new" for an id.
  ['/guidelines/new', () => <GuidelineComposerPage />],
  ['/guidelines/:id', (p) => <GuidelinePage id={p.id!} />],
  ['/guidelines/:id/adoption', (p) => <GuidelineAdoptionPage id={p.id!} />],
  ['/risk', () => <RiskPage />],
  ['/risk/:org/:analysis', (p) => <RiskRegisterPage orgId={p.org!} analysisId={p.analysis!} />],
  ['/risk/:org/:analysis/assets', (p) => <RiskAssetsPage orgId={p.org!} analysisId={p.analysis!} />],
  // "new" before the :asset and :scenario ids, which would take it for one.
  ['/risk/:org/:analysis/assets/new', (p) => <RiskAssetPage orgId={p.org!} analysisId={p.analysis!} />],
  ['/risk/:org/:analysis/assets/:asset', (p) => <RiskAssetPage orgId={p.org!} analysisId={p.analysis!} assetId={p.asset!} />],
  ['/risk/:org/:analysis/scenarios/new', (p) => <RiskScenarioPage orgId={p.org!} analysisId={p.analysis!} />],
  ['/risk/:org/:analysis/scenarios/:scenario', (p) => <RiskScenarioPage orgId={p.org!} analysisId={p.analysis!} scenarioId={p.scenario!} />],
  ['/risk/:org/:analysis/heatmap', (p) => <RiskHeatMapPage orgId={p.org!} analysisId={p.analysis!} />],
  ['/risk/:org/:analysis/actions', (p) => <RiskActionsPage orgId={p.org!} analysisId={p.analysis!} />],
  ['/risk/:org/:analysis/summary', (p) => <RiskSummaryPage orgId={p.org!} analysisId={p.analysis!} />],
  ['/frameworks', () => <FrameworksPage />],
  ['/frameworks/:ref', (p) => <FrameworkPage frameworkRef={p.ref!} />],
  ['/soa', () => <SoaListPage />],
  ['/soa/:frameworkRef', (p) => <SoaPage frameworkRef={p.frameworkRef!} />],
  ['/cycle', () => <CyclePage />],
  ['/cycle/findings', () => <FindingsPage />],
  ['/cycle/certification', () => <CertificationPage />],
  ['/cycle/obligations', () => <ObligationsPage />],
  ['/posture', () => <PosturePage />],
  ['/policy', () => <PolicyDocsPage />],
  ['/policy/:org/:doc', (p) => <PolicyEditorPage orgId={p.org!} docId={p.doc!} />],
  ['/acknowledgements', () => <PolicyAcknowledgementsPage />],
  ['/acknowledgements/:id', (p) => <PolicyAcknowledgementPage id={p.id!} />],
  ['/sectors', () => <SectorsPage />],
  ['/sectors/:id', (p) => <SectorPage id={p.id!} />],
  ['/organisations', () => <OrganisationsPage />],
  ['/organisations/:id', (p) => <OrganisationPage id={p.id!} />],
  ['/organisations/:id/people', (p) => <PeoplePage orgId={p.id!} />],
  ['/mous', () => <MousPage />],
  ['/tokens', () => <TokensPage />],
  ['/profile', () => <ProfilePage />],
];

function routeFor(path: string): preact.JSX.Element {
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return render(params);
  }
  return <NotFoundPage />;
}

/** Where to go after signing in: a path inside the application, never another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function App() {
  // undefined: not known yet; null: signed out.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const { path, query } = useLocation();

  const adopt = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrf_token ?? null);
    if (!s) invalidateDirectory();
    setSession(s);
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => adopt(null));
    api.get<Session>('/session', { quiet401: true }).then(adopt, () => adopt(null));
    return () => setUnauthenticatedHandler(null);
  }, [adopt]);

  // Keep the path and the sign-in state in step.
  useEffect(() => {
    if (session === null && path !== '/login') {
      const here = path + window.location.search;
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    } else if (session && path === '/login') {
      navigate(safeNext(query.get('next')), { replace: true });
    }
  }, [session, path, query]);

  const ctx = useMemo<SessionContextValue | null>(() => {
    if (!session) return null;
    return {
      session,
      refresh: async () => adopt(await api.get<Session>('/session')),
      signOut: async () => {
        try {
          await api.delete('/session');
        } catch {
          // Signed out already, or the server is gone: either way the session is over here.
        }
        // A deliberate sign-out starts afresh, without "come back to this page".
        adopt(null);
        navigate('/login');
      },
    };
  }, [session, adopt]);

  if (session === undefined) {
    return (
      <main id="main" class="boot">
        <Loading what="Starting Rampart" />
      </main>
    );
  }
  if (!ctx) {
    return path === '/login' ? <LoginPage onSignedIn={adopt} /> : <main id="main" class="boot" />;
  }
  return (
    <SessionContext.Provider value={ctx}>
      <Layout>{path === '/login' ? <Loading /> : routeFor(path)}</Layout>
    </SessionContext.Provider>
  );
}
