import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useTitle } from '../hooks';

interface Props {
  title: string;
  /** A short line under the heading. */
  lead?: ComponentChildren;
  /** Buttons or links beside the heading. */
  actions?: ComponentChildren;
  children?: ComponentChildren;
}

let firstPage = true;

/**
 * A page: its title (in the tab and as the h1) and its content. After an
 * in-app navigation the h1 takes focus, so a screen reader announces the new
 * page; on the first load focus is left where the browser put it.
 */
export function Page({ title, lead, actions, children }: Props) {
  useTitle(title);
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else h1.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <>
      <div class="page-head">
        <div>
          <h1 tabIndex={-1} ref={h1}>
            {title}
          </h1>
          {lead && <p class="lead">{lead}</p>}
        </div>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
