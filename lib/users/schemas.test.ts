import { describe, expect, it } from "vitest";
import { CreateUserInput } from "./schemas";

describe("CreateUserInput", () => {
  it("accepts a valid user and normalises the username", () => {
    const parsed = CreateUserInput.parse({
      username: " Zhang.Wei ",
      displayName: "张伟",
      role: "worker",
      password: "0123456789",
    });
    expect(parsed.username).toBe("zhang.wei");
  });

  it("reports each bad field with its message key", () => {
    const result = CreateUserInput.safeParse({ username: "a", displayName: "", role: "resident", password: "short" });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path[0], issue.message]));
    expect(messages).toEqual({
      username: "errUsernameFormat",
      displayName: "errDisplayName",
      role: "errRole",
      password: "errPasswordShort",
    });
  });
});
