import { z } from "zod";

const ServerEnv = z.object({
  DATABASE_URL: z.string().url().default("postgres://wangge:wangge@127.0.0.1:54329/wangge"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  /** Optional external basemap style URL for deployments with internet; the default is our own tiles. */
  NEXT_PUBLIC_BASEMAP_STYLE_URL: z.string().url().optional(),
});

export type ServerEnv = z.infer<typeof ServerEnv>;

let cached: ServerEnv | undefined;

/** Validated server environment; throws naming the bad variable. */
export function serverEnv(): ServerEnv {
  if (!cached) {
    const parsed = ServerEnv.safeParse(process.env);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
      throw new Error(`Invalid environment: ${issues}`);
    }
    cached = parsed.data;
  }
  return cached;
}
