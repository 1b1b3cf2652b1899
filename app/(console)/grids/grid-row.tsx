"use client";
import { useRouter, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";

/** A table row that selects its grid on the map (`?grid=<id>`, read by the map) when clicked anywhere. */
export function GridRow({ gridId, title, children }: { gridId: number; title: string; children: ReactNode }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const selected = searchParams.get("grid") === String(gridId);
  return (
    <tr
      aria-selected={selected}
      title={title}
      data-grid-id={gridId}
      style={{ cursor: "pointer" }}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest("a, button")) return;
        const params = new URLSearchParams(searchParams.toString());
        params.set("grid", String(gridId));
        router.replace(`/grids?${params.toString()}`, { scroll: false });
      }}
    >
      {children}
    </tr>
  );
}
