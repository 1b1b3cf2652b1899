"use client";
import { createContext, type ReactNode, useContext, useMemo } from "react";
import { DEFAULT_LOCALE, type Locale, type Messages, type Translate, translator } from "./core";

const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

export function useT<M extends Messages>(messages: M): Translate<M> {
  const locale = useLocale();
  return useMemo(() => translator(messages, locale), [messages, locale]);
}
