import { describe, expect, it } from "vitest";
import { readSelectionFromSearch, readViewFromSearch, writeSelectionToSearch, writeViewToSearch } from "./url-state";

describe("map URL state", () => {
  it("round-trips the view and keeps other params", () => {
    const search = writeViewToSearch("?grid=12", { longitude: 118.7791234, latitude: 32.04351, zoom: 15.456 });
    const params = new URLSearchParams(search);
    expect(params.get("grid")).toBe("12");
    expect(readViewFromSearch(params)).toEqual({ longitude: 118.77912, latitude: 32.04351, zoom: 15.46 });
  });

  it("ignores a missing or broken view and clamps the zoom", () => {
    expect(readViewFromSearch(new URLSearchParams("z=15&lng=118.7"))).toBeUndefined();
    expect(readViewFromSearch(new URLSearchParams("z=abc&lng=118.7&lat=32"))).toBeUndefined();
    expect(readViewFromSearch(new URLSearchParams("z=30&lng=118.7&lat=32"))?.zoom).toBe(19);
  });

  it("reads one selection and writes exactly one", () => {
    expect(readSelectionFromSearch(new URLSearchParams("building=7"))).toEqual({ kind: "building", id: 7 });
    expect(readSelectionFromSearch(new URLSearchParams("grid=0&station=3"))).toEqual({ kind: "station", id: 3 });
    expect(readSelectionFromSearch(new URLSearchParams("grid=-1"))).toBeUndefined();
    expect(writeSelectionToSearch("?grid=1&z=15", { kind: "station", id: 4 })).toBe("?z=15&station=4");
    expect(writeSelectionToSearch("?grid=1", undefined)).toBe("");
  });
});
