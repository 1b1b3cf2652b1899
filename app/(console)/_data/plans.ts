import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { plans } from "@/db/schema";

/** The plan in force: the most recently published active plan. */
export async function getActivePlan(db: Db) {
  const [plan] = await db
    .select({ id: plans.id, name: plans.name, publishedAt: plans.publishedAt })
    .from(plans)
    .where(eq(plans.status, "active"))
    .orderBy(desc(sql`coalesce(${plans.publishedAt}, ${plans.createdAt})`), desc(plans.id))
    .limit(1);
  return plan;
}
