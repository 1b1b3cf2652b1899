"use client";
import { useRouter, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";

/** A table row that selects its station on the map (`?station=<id>`) when clicked. */
export function StationRow({ stationId, title, children }: { stationId: number; title: string; children: ReactNode }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const selected = searchParams.get("station") === String(stationId);
  return (
    <tr
      aria-selected={selected}
      title={title}
      style={{ cursor: "pointer" }}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest("a, button")) return;
        const params = new URLSearchParams(searchParams.toString());
        params.set("station", String(stationId));
        router.replace(`/stations?${params.toString()}`, { scroll: false });
      }}
    >
      {children}
    </tr>
  );
}
