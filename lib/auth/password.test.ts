import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("wangge-demo");
    expect(stored.startsWith("scrypt$")).toBe(true);
    expect(stored).not.toContain("wangge-demo");
    await expect(verifyPassword("wangge-demo", stored)).resolves.toBe(true);
    await expect(verifyPassword("wangge-demo!", stored)).resolves.toBe(false);
  });

  it("salts every hash and rejects malformed stored values", async () => {
    expect(await hashPassword("x")).not.toBe(await hashPassword("x"));
    await expect(verifyPassword("x", "plain-text")).resolves.toBe(false);
  });
});
