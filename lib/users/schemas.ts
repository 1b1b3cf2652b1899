import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";

/** Error messages are keys of `userMessages`, so the form shows them in the user's language. */
export const CreateUserInput = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, "errUsernameFormat"),
  displayName: z.string().trim().min(1, "errDisplayName").max(40, "errDisplayName"),
  role: z.enum(ROLES, "errRole"),
  password: z.string().min(10, "errPasswordShort").max(128, "errPasswordLong"),
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const DeactivateUserInput = z.object({ userId: z.coerce.number().int().positive() });
export type DeactivateUserInput = z.infer<typeof DeactivateUserInput>;

export type UserFormField = keyof CreateUserInput;
