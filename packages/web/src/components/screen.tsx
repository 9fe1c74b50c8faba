import { type ReactNode, useEffect, useRef } from "react";

/** The card every screen is: its heading (focused when the screen opens), intro, content and links. */
export function Screen({
  title,
  intro,
  children,
  links,
  aside,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  /** Ways to the other screens, under the card's content. */
  links?: ReactNode;
  aside?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) {
      heading.current?.focus();
    }
  }, []);
  return (
    <div className="layout">
      <section className="card" aria-labelledby="screen-title">
        <h1 id="screen-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {intro ? <p className="intro">{intro}</p> : null}
        {children}
        {links ? <div className="links">{links}</div> : null}
      </section>
      {aside}
    </div>
  );
}
