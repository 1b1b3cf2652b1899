import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import { PAGE_ACCESS } from "@/lib/auth/roles";
import { formatNumber } from "@/lib/i18n/core";
import { commonMessages } from "@/lib/i18n/messages/common";
import { userMessages } from "@/lib/i18n/messages/users";
import { getLocale, getTranslator } from "@/lib/i18n/server";
import { listUsers } from "@/lib/users/queries";
import { CreateUserForm, DeactivateUserButton } from "./user-forms-client";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(userMessages);
  return { title: t("title") };
}

export default async function AdminUsersPage() {
  const admin = await requireRole(...PAGE_ACCESS.adminUsers);
  const [users, locale, t, tc] = await Promise.all([
    listUsers(db),
    getLocale(),
    getTranslator(userMessages),
    getTranslator(commonMessages),
  ]);
  const active = users.filter((user) => user.active).length;
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "Asia/Shanghai" });

  return (
    <Panel
      size="wide"
      title={t("title")}
      subtitle={t("subtitle", { count: formatNumber(users.length, locale), active: formatNumber(active, locale) })}
      footer={t("auditNote")}
    >
      <div className="section">
        <h2 className="section-title">{t("addHeading")}</h2>
        <CreateUserForm />
      </div>
      <div className="section">
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t("colUsername")}</th>
                <th scope="col">{t("colDisplayName")}</th>
                <th scope="col">{t("colRole")}</th>
                <th scope="col">{t("colStatus")}</th>
                <th scope="col">{t("colCreated")}</th>
                <th scope="col">{t("colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} data-username={user.username}>
                  <td className="mono">{user.username}</td>
                  <td>
                    {user.displayName}
                    {user.id === admin.id ? <span className="muted small"> {t("you")}</span> : null}
                  </td>
                  <td className="cell-nowrap">{tc(`role_${user.role}`)}</td>
                  <td className="cell-nowrap">
                    <Badge tone={user.active ? "success" : "neutral"}>
                      {user.active ? t("statusActive") : t("statusInactive")}
                    </Badge>
                  </td>
                  <td className="num">{dateFormat.format(user.createdAt)}</td>
                  <td>
                    {user.active && user.id !== admin.id ? (
                      <DeactivateUserButton userId={user.id} username={user.username} />
                    ) : (
                      <span className="faint">{tc("none")}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Panel>
  );
}
