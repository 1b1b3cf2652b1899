import { Pool } from "pg";
import { describe, expect, it } from "vitest";
import { getHealth } from "@/lib/health";
import { testPool } from "./helpers";

describe("getHealth", () => {
  it("reports the database and PostGIS version with 200", async () => {
    const { httpStatus, body } = await getHealth(testPool);
    expect(httpStatus).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.app.name).toBe("wangge");
    expect(body.database.ok).toBe(true);
    expect(body.database.postgis).toMatch(/^3\./);
    expect(body.database.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it("answers 503 with the reason when the database is unreachable", async () => {
    const unreachable = new Pool({ connectionString: "postgres://wangge:wangge@127.0.0.1:1/none", max: 1 });
    try {
      const { httpStatus, body } = await getHealth(unreachable);
      expect(httpStatus).toBe(503);
      expect(body.status).toBe("error");
      expect(body.database.ok).toBe(false);
      expect(body.database.error).toBeTruthy();
      expect(JSON.stringify(body)).not.toContain("wangge:wangge");
    } finally {
      await unreachable.end();
    }
  });
});
