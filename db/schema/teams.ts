import { boolean, index, integer, pgEnum, pgTable, serial, text } from "drizzle-orm/pg-core";
import { buildings } from "./buildings";
import { createdAt, updatedAt } from "./columns";
import { grids } from "./grids";
import { users } from "./users";

/** 网格长, 网格指导员, 网格员, 驻格网格员, 兼职网格员. */
export const teamRole = pgEnum("team_role", [
  "grid_leader",
  "grid_instructor",
  "grid_worker",
  "resident_worker",
  "part_time_worker",
]);
/** 党建引领, 矛盾调处, 民生服务, 社会治安, 城建物业, 综合执法. */
export const specialty = pgEnum("specialty", [
  "party_building",
  "dispute_mediation",
  "livelihood",
  "public_security",
  "urban_property",
  "law_enforcement",
]);
/** 网格党支部, 党小组, 党员中心户. */
export const partyOrgKind = pgEnum("party_org_kind", ["grid_branch", "party_group", "member_household"]);

export const gridMembers = pgTable(
  "grid_members",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    phone: text(),
    teamRole: teamRole().notNull(),
    specialty: specialty().notNull(),
    gridId: integer().references(() => grids.id, { onDelete: "set null" }),
    userId: integer().references(() => users.id, { onDelete: "set null" }),
    onDuty: boolean().notNull().default(true),
    active: boolean().notNull().default(true),
    isDemo: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("grid_members_grid_idx").on(t.gridId)],
);

export const partyOrganizations = pgTable(
  "party_organizations",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    kind: partyOrgKind().notNull(),
    gridId: integer().references(() => grids.id, { onDelete: "set null" }),
    parentId: integer(),
    /** The member's home building, for 党员中心户. */
    buildingId: integer().references(() => buildings.id, { onDelete: "set null" }),
    memberCount: integer().notNull().default(0),
    isDemo: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("party_organizations_grid_idx").on(t.gridId)],
);

export type GridMember = typeof gridMembers.$inferSelect;
export type PartyOrganization = typeof partyOrganizations.$inferSelect;
