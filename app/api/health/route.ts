import { pool } from "@/db";
import { getHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const { httpStatus, body } = await getHealth(pool);
  return Response.json(body, { status: httpStatus, headers: { "Cache-Control": "no-store" } });
}
