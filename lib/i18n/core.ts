/** Locales of the UI: Chinese first, English second. */
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export const LOCALE_COOKIE = "wangge-locale";

/** One message in both languages; `{name}` placeholders are filled by `format`. */
export type Message = Readonly<Record<Locale, string>>;
export type Messages = Readonly<Record<string, Message>>;

/** Declares a namespace of messages; every key must carry every locale, so nothing is left untranslated. */
export function defineMessages<const M extends Messages>(messages: M): M {
  return messages;
}

export function parseLocale(value: string | undefined | null): Locale {
  return value === "en" ? "en" : DEFAULT_LOCALE;
}

export type Translate<M extends Messages> = (key: keyof M & string, vars?: Record<string, string | number>) => string;

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translator<M extends Messages>(messages: M, locale: Locale): Translate<M> {
  return (key, vars) => {
    const message = messages[key];
    if (!message) return key;
    return format(message[locale], vars);
  };
}

/** Numbers the way the locale writes them (e.g. 1,234). */
export function formatNumber(value: number, locale: Locale, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(value);
}
