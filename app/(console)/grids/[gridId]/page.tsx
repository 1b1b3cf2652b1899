import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import { canOpen, PAGE_ACCESS } from "@/lib/auth/roles";
import { formatNumber } from "@/lib/i18n/core";
import { commonMessages } from "@/lib/i18n/messages/common";
import { gridMessages } from "@/lib/i18n/messages/grids";
import { getLocale, getTranslator } from "@/lib/i18n/server";
import { deviationClass, formatDeviation } from "../../_data/format";
import { getGridDetail } from "../../_data/grids";

type Props = { params: Promise<{ gridId: string }> };

function parseId(value: string): number | undefined {
  return /^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = parseId((await params).gridId);
  const t = await getTranslator(gridMessages);
  return { title: t("detailTitle", { name: id ? `#${id}` : "" }) };
}

export default async function GridDetailPage({ params }: Props) {
  const user = await requireRole(...PAGE_ACCESS.gridDetail);
  const id = parseId((await params).gridId);
  if (!id) notFound();
  const [grid, locale, t, tc] = await Promise.all([
    getGridDetail(db, id),
    getLocale(),
    getTranslator(gridMessages),
    getTranslator(commonMessages),
  ]);
  if (!grid) notFound();
  const n = (value: number) => formatNumber(value, locale);
  const backHref = canOpen(user.role, "grids") ? `/grids?grid=${grid.id}` : "/";

  return (
    <Panel
      size="auto"
      title={t("detailTitle", { name: grid.name })}
      subtitle={
        <>
          {t("detailKind")} · <span className="mono">{grid.code}</span>
        </>
      }
      actions={
        <Link href={backHref} className="btn btn-small btn-ghost">
          {tc("back")}
        </Link>
      }
    >
      <div className="section" data-testid="grid-detail">
        <dl className="kv">
          <dt>{t("community")}</dt>
          <dd>{grid.communityName}</dd>
          <dt>{t("plan")}</dt>
          <dd>
            {grid.planName}{" "}
            <Badge tone={grid.planStatus === "active" ? "success" : "neutral"}>
              {t(`planStatus_${grid.planStatus}`)}
            </Badge>
          </dd>
          <dt>{t("estateKind")}</dt>
          <dd>{tc(`estateKind_${grid.estateKind}`)}</dd>
          <dt>{t("households")}</dt>
          <dd className="num">
            {tc("households", { count: n(grid.households) })}
            <div className="small muted">
              {t("householdsBreakdown", {
                estimated: n(grid.householdsEstimated),
                surveyedBuildings: n(grid.surveyedBuildings),
              })}
            </div>
          </dd>
          <dt>{t("householdTarget")}</dt>
          <dd className="num">{tc("households", { count: n(grid.householdTarget) })}</dd>
          <dt>{t("deviation")}</dt>
          <dd className={`num ${deviationClass(grid.deviationPct)}`}>{formatDeviation(grid.deviationPct, locale)}</dd>
          <dt>{t("buildingCount")}</dt>
          <dd className="num">{n(grid.buildingCount)}</dd>
          <dt>{t("areaKm2")}</dt>
          <dd className="num">
            {t("areaValue", {
              value: formatNumber(grid.areaKm2, locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }),
            })}
          </dd>
        </dl>
        {grid.validTo ? (
          <p className="alert alert-info">{t("validTo", { date: grid.validTo.toLocaleDateString(locale) })}</p>
        ) : null}
      </div>

      <div className="section" data-testid="grid-team">
        <h2 className="section-title">{t("team")}</h2>
        {grid.members.length === 0 ? (
          <p className="note">{t("teamEmpty")}</p>
        ) : (
          <ul className="list-plain">
            {grid.members.map((member) => (
              <li key={member.id} className="member">
                <div>
                  <div className="member-name">
                    {member.name} {member.isDemo ? <Badge tone="demo">{tc("demoLabel")}</Badge> : null}
                  </div>
                  <div className="member-meta">
                    {t(`teamRole_${member.teamRole}`)} · {t(`specialty_${member.specialty}`)}
                  </div>
                </div>
                <div className="member-side">
                  <Badge tone={member.onDuty ? "success" : "neutral"}>
                    {member.onDuty ? t("memberOnDuty") : t("memberOffDuty")}
                  </Badge>
                  {member.phone ? (
                    <div>
                      <a href={`tel:${member.phone}`} className="num">
                        {member.phone}
                      </a>
                    </div>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>

      <div className="section" data-testid="grid-party">
        <h2 className="section-title">{t("partyOrgs")}</h2>
        {grid.partyOrgs.length === 0 ? (
          <p className="note">{t("partyOrgsEmpty")}</p>
        ) : (
          <ul className="list-plain">
            {grid.partyOrgs.map((org) => (
              <li key={org.id} className="member">
                <div>
                  <div className="member-name">
                    {org.name} {org.isDemo ? <Badge tone="demo">{tc("demoLabel")}</Badge> : null}
                  </div>
                  <div className="member-meta">
                    <Badge tone="party">{t(`partyOrgKind_${org.kind}`)}</Badge>{" "}
                    {org.buildingId ? (
                      <Link href={`/buildings/${org.buildingId}?building=${org.buildingId}`}>{tc("details")}</Link>
                    ) : null}
                  </div>
                </div>
                <div className="member-side num">{t("memberCount", { count: n(org.memberCount) })}</div>
              </li>
            ))}
          </ul>
        )}
      </div>

      {grid.topBuildings.length > 0 ? (
        <div className="section">
          <h2 className="section-title">{t("buildingsInGrid")}</h2>
          <p className="note">
            {t("buildingsMore", { count: n(grid.buildingCount), shown: n(grid.topBuildings.length) })}
          </p>
          <ul className="list-plain">
            {grid.topBuildings.map((building) => (
              <li key={building.id} className="member">
                <Link href={`/buildings/${building.id}?building=${building.id}`}>
                  {building.name ?? t("unnamedBuilding", { id: building.id })}
                </Link>
                <span className="member-side num">{tc("households", { count: n(building.households) })}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Panel>
  );
}
