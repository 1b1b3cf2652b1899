import "server-only";
import { cookies } from "next/headers";
import { LOCALE_COOKIE, type Locale, type Messages, parseLocale, type Translate, translator } from "./core";

/** The request's locale from its cookie (zh-CN unless the user switched to English). */
export async function getLocale(): Promise<Locale> {
  const store = await cookies();
  return parseLocale(store.get(LOCALE_COOKIE)?.value);
}

export async function getTranslator<M extends Messages>(messages: M): Promise<Translate<M>> {
  return translator(messages, await getLocale());
}
