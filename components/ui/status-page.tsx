import Link from "next/link";
import type { ReactNode } from "react";

/** 403 / 404 card: big code, title, explanation and links. */
export function StatusCard({
  code,
  title,
  body,
  actions,
  testId,
}: {
  code: string;
  title: string;
  body: ReactNode;
  actions: { href: string; label: string; primary?: boolean }[];
  testId?: string;
}) {
  return (
    <div className="status-card" role="alert" data-testid={testId}>
      <div className="status-code" aria-hidden="true">
        {code}
      </div>
      <h1 className="status-title">{title}</h1>
      <p className="status-body">{body}</p>
      <div className="status-actions">
        {actions.map((action) => (
          <Link key={action.href} href={action.href} className={`btn${action.primary ? " btn-primary" : ""}`}>
            {action.label}
          </Link>
        ))}
      </div>
    </div>
  );
}
