import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { mayReadAssistance } from '../assistance';
import { kindLabel, rolesLabel } from '../format';
import { mayForward, mayReadIncidents } from '../incidents';
import { mayReadIsms } from '../isms';
import { mayReadRisk } from '../risk';
import { useLocation } from '../router';
import { primaryOrganisation, useSession } from '../session';
import { Link } from './Link';

interface NavItem {
  href: string;
  label: string;
  /** Also current for paths under it (e.g. /sectors/…). */
  prefix?: boolean;
}

const DIRECTORY: NavItem[] = [
  { href: '/sectors', label: 'Sectors', prefix: true },
  { href: '/organisations', label: 'Organisations', prefix: true },
  { href: '/mous', label: 'MOUs', prefix: true },
];

const ACCOUNT: NavItem[] = [
  { href: '/tokens', label: 'API tokens' },
  { href: '/profile', label: 'Profile' },
];

function matches(item: NavItem, path: string): boolean {
  return path === item.href || (!!item.prefix && path.startsWith(item.href + '/'));
}

/** The href of the most specific item matching path: one's own organisation beats "Organisations". */
function currentHref(items: NavItem[], path: string): string | undefined {
  let best: NavItem | undefined;
  for (const item of items) {
    if (matches(item, path) && (!best || item.href.length > best.href.length)) best = item;
  }
  return best?.href;
}

/** The frame of every signed-in page: header, navigation and main content. */
export function Layout({ children }: { children: ComponentChildren }) {
  const { session, signOut } = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const primary = primaryOrganisation(session);

  // On a phone the menu closes once a destination is chosen.
  useEffect(() => setMenuOpen(false), [path]);

  const home: NavItem = { href: '/', label: 'Home' };
  const mine: NavItem[] = session.memberships.map((m) => ({
    href: `/organisations/${m.organisation.id}`,
    label: m.organisation.short_name || m.organisation.name,
    prefix: true,
  }));
  const incidents: NavItem[] = [];
  if (mayReadIncidents(session)) {
    incidents.push({ href: '/incidents', label: 'Incidents', prefix: true });
    incidents.push({ href: '/incidents/compliance', label: 'Reporting compliance' });
  }
  if (mayForward(session)) incidents.push({ href: '/incidents/forwarding', label: 'Forwarding' });
  if (mayReadAssistance(session)) incidents.push({ href: '/assistance', label: 'Assistance', prefix: true });
  // Shared items reach members of organisations; the audience engine decides which.
  if (session.memberships.length > 0) incidents.push({ href: '/advisories', label: 'Advisories', prefix: true }, { href: '/shared-incidents', label: 'Shared incidents', prefix: true }, { href: '/guidelines', label: 'Guidelines', prefix: true }, { href: '/sharing-groups', label: 'Sharing groups' });
  const risk: NavItem[] = mayReadRisk(session) ? [{ href: '/risk', label: 'Risk analysis', prefix: true }] : [];
  const isms: NavItem[] = mayReadIsms(session) ? [{ href: '/soa', label: 'Statement of Applicability', prefix: true }] : [];
  if (mayReadIsms(session)) isms.push({ href: '/policy', label: 'Charter and policy', prefix: true });
  if (mayReadIsms(session)) isms.push({ href: '/cycle', label: 'ISMS cycle', prefix: true });
  // Posture: the organisation's own, or its sectors' for a regulator or CERT (the server decides).
  if (mayReadIsms(session) || session.memberships.some((m) => m.organisation.kind !== 'operator' && m.organisation.kind !== 'government')) isms.push({ href: '/posture', label: 'Posture', prefix: true });
  // Anyone in an organisation may be asked to acknowledge its charter or policy.
  if (session.memberships.length > 0) isms.push({ href: '/acknowledgements', label: 'Documents to acknowledge', prefix: true });
  isms.push({ href: '/frameworks', label: 'Frameworks', prefix: true });
  const current = currentHref([home, ...incidents, ...risk, ...isms, ...DIRECTORY, ...mine, ...ACCOUNT], path);

  const navLink = (item: NavItem) => (
    <li key={item.href}>
      <Link href={item.href} aria-current={item.href === current ? 'page' : undefined}>
        {item.label}
      </Link>
    </li>
  );

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <Link href="/" class="brand-link">
            <span class="brand-mark" aria-hidden="true" />
            <span>Rampart</span>
          </Link>
        </div>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen ? 'true' : 'false'}
          aria-controls="primary-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span class="menu-icon" aria-hidden="true" />
          Menu
        </button>
        <div class="who">
          {primary && (
            <span class="who-org" title={rolesLabel(primary.roles)}>
              <span class="who-org-name">{primary.organisation.name}</span>
              <span class="who-org-kind">{kindLabel(primary.organisation.kind)}</span>
            </span>
          )}
          <Link href="/profile" class="who-person">
            <span class="who-name" title={session.user.display_name}>
              {session.user.display_name}
            </span>
            {session.user.is_admin && <span class="badge badge-admin">Platform admin</span>}
          </Link>
          <button type="button" class="button button-quiet" onClick={onSignOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="primary-nav" class={menuOpen ? 'sidenav open' : 'sidenav'} aria-label="Main">
        <ul>{navLink(home)}</ul>
        {incidents.length > 0 && <NavGroup id="nav-incidents" label="Incident reporting" items={incidents.map(navLink)} />}
        {risk.length > 0 && <NavGroup id="nav-risk" label="Risk" items={risk.map(navLink)} />}
        <NavGroup id="nav-isms" label="ISMS" items={isms.map(navLink)} />
        <NavGroup id="nav-directory" label="Directory" items={DIRECTORY.map(navLink)} />
        {session.memberships.length > 0 && (
          <NavGroup
            id="nav-mine"
            label={mine.length > 1 ? 'Your organisations' : 'Your organisation'}
            items={mine.map(navLink)}
          />
        )}
        <NavGroup id="nav-account" label="Account" items={ACCOUNT.map(navLink)} />
      </nav>
      <main id="main" class="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** A labelled group of links (labels, not headings, so the page outline starts at its h1). */
function NavGroup({ id, label, items }: { id: string; label: string; items: ComponentChildren }) {
  return (
    <>
      <p class="nav-heading" id={id}>
        {label}
      </p>
      <ul aria-labelledby={id}>{items}</ul>
    </>
  );
}
