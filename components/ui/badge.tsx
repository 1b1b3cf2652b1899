import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "demo" | "success" | "danger" | "party" | "primary";

export function Badge({
  tone = "neutral",
  title,
  children,
}: {
  tone?: BadgeTone;
  title?: string;
  children: ReactNode;
}) {
  const toneClass = tone === "neutral" ? "" : ` badge-${tone}`;
  return (
    <span className={`badge${toneClass}`} title={title}>
      {children}
    </span>
  );
}
