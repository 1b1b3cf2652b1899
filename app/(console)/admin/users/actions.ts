"use server";
import { revalidatePath } from "next/cache";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import type { userMessages } from "@/lib/i18n/messages/users";
import {
  createUser,
  deactivateUser,
  SelfDeactivationError,
  UserNotFoundError,
  UsernameTakenError,
} from "@/lib/users/commands";
import { CreateUserInput, DeactivateUserInput, type UserFormField } from "@/lib/users/schemas";

type MessageKey = keyof typeof userMessages;

export type CreateUserState =
  | { status: "idle" }
  | { status: "ok"; username: string }
  | {
      status: "invalid";
      fieldErrors: Partial<Record<UserFormField, MessageKey>>;
      values: { username: string; displayName: string; role: string };
    }
  | { status: "error"; message: MessageKey };

export type DeactivateUserState =
  | { status: "idle" }
  | { status: "ok"; username: string }
  | { status: "error"; message: MessageKey };

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function createUserAction(_previous: CreateUserState, form: FormData): Promise<CreateUserState> {
  const admin = await requireRole("admin");
  const raw = {
    username: text(form, "username"),
    displayName: text(form, "displayName"),
    role: text(form, "role"),
    password: text(form, "password"),
  };
  const parsed = CreateUserInput.safeParse(raw);
  const values = { username: raw.username, displayName: raw.displayName, role: raw.role };
  if (!parsed.success) {
    const fieldErrors: Partial<Record<UserFormField, MessageKey>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as UserFormField;
      fieldErrors[field] ??= issue.message as MessageKey;
    }
    return { status: "invalid", fieldErrors, values };
  }
  try {
    const created = await createUser(db, { userId: admin.id, role: admin.role }, parsed.data);
    revalidatePath("/admin/users");
    return { status: "ok", username: created.username };
  } catch (error) {
    if (error instanceof UsernameTakenError) {
      return { status: "invalid", fieldErrors: { username: "errUsernameTaken" }, values };
    }
    console.error("[admin/users] create failed", error);
    return { status: "error", message: "errGeneric" };
  }
}

export async function deactivateUserAction(
  _previous: DeactivateUserState,
  form: FormData,
): Promise<DeactivateUserState> {
  const admin = await requireRole("admin");
  const parsed = DeactivateUserInput.safeParse({ userId: form.get("userId") });
  if (!parsed.success) return { status: "error", message: "errNotFound" };
  try {
    const updated = await deactivateUser(db, { userId: admin.id, role: admin.role }, parsed.data);
    revalidatePath("/admin/users");
    return { status: "ok", username: updated.username };
  } catch (error) {
    if (error instanceof SelfDeactivationError) return { status: "error", message: "errSelf" };
    if (error instanceof UserNotFoundError) return { status: "error", message: "errNotFound" };
    console.error("[admin/users] deactivate failed", error);
    return { status: "error", message: "errGeneric" };
  }
}
