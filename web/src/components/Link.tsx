import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../router';

interface Props {
  href: string;
  class?: string;
  children: ComponentChildren;
  'aria-current'?: 'page' | undefined;
}

/** An in-app link: a real <a href> that navigates without reloading the page. */
export function Link({ href, children, ...rest }: Props) {
  return (
    <a href={href} onClick={(e) => onLinkClick(e, href)} {...rest}>
      {children}
    </a>
  );
}
