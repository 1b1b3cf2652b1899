import type { ReactNode } from "react";

export const dynamic = "force-dynamic";

/** Print pages: no top bar and no console map behind them, just the sheet (pages check roles themselves). */
export default function PrintLayout({ children }: { children: ReactNode }) {
  return <main id="main">{children}</main>;
}
