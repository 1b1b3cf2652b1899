import Link from "next/link";
import { canOpen, type Role } from "@/lib/auth/roles";
import { type Locale, translator } from "@/lib/i18n/core";
import { commonMessages } from "@/lib/i18n/messages/common";
import { planMessages } from "@/lib/i18n/messages/plans";
import { shellMessages } from "@/lib/i18n/messages/shell";
import { LocaleSwitch } from "./locale-switch";
import { type NavItem, NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

/** Console top bar: product name, the pages this role may open, the user, language switch and sign-out. */
export function TopBar({ user, locale }: { user: { name: string; role: Role }; locale: Locale }) {
  const t = translator(shellMessages, locale);
  const tc = translator(commonMessages, locale);
  const items: NavItem[] = [];
  if (canOpen(user.role, "overview")) items.push({ href: "/", label: t("navOverview") });
  if (canOpen(user.role, "grids")) items.push({ href: "/grids", label: t("navGrids") });
  if (canOpen(user.role, "plans")) items.push({ href: "/plans", label: translator(planMessages, locale)("navPlans") });
  if (canOpen(user.role, "stations")) items.push({ href: "/stations", label: t("navStations") });
  if (canOpen(user.role, "adminUsers")) items.push({ href: "/admin/users", label: t("navUsers") });
  items.push({ href: "/resident", label: t("navResident") });
  const roleName = tc(`role_${user.role}`);

  return (
    <header className="topbar" data-testid="top-bar">
      <Link href="/" className="brand" aria-label={tc("productFull")}>
        <span className="brand-mark" aria-hidden="true">
          {locale === "en" ? "W" : "网"}
        </span>
        <span>{tc("productName")}</span>
        {locale === "en" ? null : <span className="brand-latin">· Wangge</span>}
      </Link>
      <NavLinks items={items} label={t("mainNavigation")} />
      <div className="topbar-spacer" />
      <div className="topbar-user">
        <div className="user-chip" title={t("signedInAs", { name: user.name, role: roleName })} data-testid="user-chip">
          <span className="user-chip-name">{user.name}</span>
          <span
            className={user.name === roleName ? "user-chip-role visually-hidden" : "user-chip-role"}
            data-testid="user-role"
          >
            {roleName}
          </span>
        </div>
        <LocaleSwitch />
        <SignOutButton />
      </div>
    </header>
  );
}
