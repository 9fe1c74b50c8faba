import { type ReactNode, useEffect, useRef } from "react";

export function Screen({
  title,
  intro,
  children,
  aside,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
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
      </section>
      {aside}
    </div>
  );
}
