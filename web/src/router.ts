// A tiny router over the History API. Paths are real paths (/sectors/…); the
// server answers index.html for any path it does not know (SPA fallback).

import { useEffect, useState } from 'preact/hooks';

export interface AppLocation {
  path: string;
  query: URLSearchParams;
}

const NAVIGATE = 'rampart:navigate';

function current(): AppLocation {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

/** Go to a path inside the application (pushes a history entry unless replace). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE));
}

/** The current location; re-renders on navigation and on back/forward. */
export function useLocation(): AppLocation {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE, update);
    };
  }, []);
  return loc;
}

/**
 * Match a path against a pattern such as "/organisations/:id/people".
 * Returns the named parameters (decoded), or null when it does not match.
 */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    const seg = s[i]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(seg);
      } catch {
        return null;
      }
    } else if (part !== seg) {
      return null;
    }
  }
  return params;
}

/**
 * Click handler for in-app links: lets the browser handle modified clicks
 * (new tab, download) and anything that is not a plain left click.
 */
export function onLinkClick(e: MouseEvent, href: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(href);
}
