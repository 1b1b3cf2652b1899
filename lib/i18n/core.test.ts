import { describe, expect, it } from "vitest";
import { defineMessages, format, parseLocale, translator } from "./core";

const messages = defineMessages({
  households: { "zh-CN": "{count} 户", en: "{count} households" },
});

describe("i18n core", () => {
  it("translates with placeholders in both locales", () => {
    expect(translator(messages, "zh-CN")("households", { count: 200 })).toBe("200 户");
    expect(translator(messages, "en")("households", { count: 200 })).toBe("200 households");
  });

  it("defaults to Chinese for unknown locales and keeps unknown placeholders", () => {
    expect(parseLocale(undefined)).toBe("zh-CN");
    expect(parseLocale("fr")).toBe("zh-CN");
    expect(parseLocale("en")).toBe("en");
    expect(format("{a} {b}", { a: 1 })).toBe("1 {b}");
  });
});
