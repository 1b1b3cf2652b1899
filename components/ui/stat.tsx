import Link from "next/link";
import type { ReactNode } from "react";

type StatProps = {
  label: ReactNode;
  value: ReactNode;
  detail?: ReactNode;
  href?: string;
  wide?: boolean;
  alert?: boolean;
  testId?: string;
};

/** One figure of the overview: label, big number, optional detail line; a link when `href` is given. */
export function Stat({ label, value, detail, href, wide, alert, testId }: StatProps) {
  const className = `stat${wide ? " stat-wide" : ""}${alert ? " stat-alert" : ""}`;
  const content = (
    <>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {detail ? <span className="stat-detail">{detail}</span> : null}
    </>
  );
  return href ? (
    <Link href={href} className={className} data-testid={testId}>
      {content}
    </Link>
  ) : (
    <div className={className} data-testid={testId}>
      {content}
    </div>
  );
}
