import { describe, expect, it } from "vitest";
import { HouseholdsImportError, parseHouseholdsCsv } from "./households";

describe("parseHouseholdsCsv", () => {
  it("accepts building_source_key or building_id headers", () => {
    expect(parseHouseholdsCsv('building_source_key,households\n"osm:w1",12\nosm:r2, 0\n')).toEqual({
      keyColumn: "building_source_key",
      rows: [
        { line: 2, key: "osm:w1", households: 12 },
        { line: 3, key: "osm:r2", households: 0 },
      ],
    });
    expect(parseHouseholdsCsv("building_id,households\n7,40\n").keyColumn).toBe("building_id");
  });

  it("reports every bad row with its line number and reason", () => {
    const text = "building_source_key,households\nosm:w1,12\nosm:w2,-3\nosm:w3,4.5\nosm:w1,7\n,9\nosm:w4,abc\n";
    let error: unknown;
    try {
      parseHouseholdsCsv(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HouseholdsImportError);
    const problems = (error as HouseholdsImportError).problems;
    expect(problems).toEqual([
      "line 3: households -3 is negative",
      'line 4: households "4.5" is not an integer',
      "line 5: duplicate key osm:w1 (first on line 2)",
      "line 6: building_source_key is empty",
      'line 7: households "abc" is not an integer',
    ]);
  });

  it("rejects a wrong header and an empty file", () => {
    expect(() => parseHouseholdsCsv("id,count\n1,2\n")).toThrow(/header/);
    expect(() => parseHouseholdsCsv("")).toThrow(/empty/);
  });
});
