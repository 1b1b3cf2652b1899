import { describe, expect, it } from "vitest";
import { connectionParams, OsmImportError } from "./osm2pgsql";

describe("connectionParams", () => {
  it("turns a postgres URL into libpq arguments, with the password only in the environment", () => {
    const { args, env } = connectionParams("postgres://wang%40ge:p%3Ass@127.0.0.1:54329/wangge_test?sslmode=disable");
    expect(args).toEqual([
      "--database",
      "wangge_test",
      "--host",
      "127.0.0.1",
      "--port",
      "54329",
      "--username",
      "wang@ge",
    ]);
    expect(env).toEqual({ PGPASSWORD: "p:ss", PGSSLMODE: "disable" });
    expect(args.join(" ")).not.toContain("p:ss");
  });

  it("rejects URLs that are not postgres URLs or name no database", () => {
    expect(() => connectionParams("mysql://x@localhost/db")).toThrow(OsmImportError);
    expect(() => connectionParams("postgres://x@localhost/")).toThrow(/no database/);
  });
});
