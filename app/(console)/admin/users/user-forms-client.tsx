"use client";
import { useActionState, useEffect, useRef } from "react";
import { describedBy, Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ROLES } from "@/lib/auth/roles";
import { useT } from "@/lib/i18n/client";
import { commonMessages } from "@/lib/i18n/messages/common";
import { userMessages } from "@/lib/i18n/messages/users";
import { type CreateUserState, createUserAction, type DeactivateUserState, deactivateUserAction } from "./actions";

export function CreateUserForm() {
  const t = useT(userMessages);
  const tc = useT(commonMessages);
  const [state, formAction] = useActionState<CreateUserState, FormData>(createUserAction, { status: "idle" });
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "ok") formRef.current?.reset();
  }, [state]);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const values = state.status === "invalid" ? state.values : undefined;
  const error = (field: keyof typeof errors) => (errors[field] ? t(errors[field]) : undefined);

  return (
    <form ref={formRef} action={formAction} className="user-form" noValidate data-testid="create-user-form">
      <Field id="new-username" label={t("username")} hint={t("usernameHint")} error={error("username")}>
        <input
          id="new-username"
          name="username"
          className="input"
          autoComplete="off"
          spellCheck={false}
          defaultValue={values?.username}
          key={`u-${values?.username ?? ""}-${state.status}`}
          aria-invalid={Boolean(errors.username)}
          aria-describedby={describedBy("new-username", errors.username, true)}
          required
        />
      </Field>
      <Field id="new-display-name" label={t("displayName")} error={error("displayName")}>
        <input
          id="new-display-name"
          name="displayName"
          className="input"
          autoComplete="off"
          defaultValue={values?.displayName}
          key={`d-${values?.displayName ?? ""}-${state.status}`}
          aria-invalid={Boolean(errors.displayName)}
          aria-describedby={describedBy("new-display-name", errors.displayName, false)}
          required
        />
      </Field>
      <Field id="new-role" label={t("role")} error={error("role")}>
        <select
          id="new-role"
          name="role"
          className="select"
          defaultValue={values?.role ?? "worker"}
          key={`r-${values?.role ?? ""}-${state.status}`}
          aria-invalid={Boolean(errors.role)}
          aria-describedby={describedBy("new-role", errors.role, false)}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {tc(`role_${role}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="new-password" label={t("password")} hint={t("passwordHint")} error={error("password")}>
        <input
          id="new-password"
          name="password"
          type="password"
          className="input"
          autoComplete="new-password"
          minLength={10}
          aria-invalid={Boolean(errors.password)}
          aria-describedby={describedBy("new-password", errors.password, true)}
          required
        />
      </Field>
      <div className="form-actions">
        <SubmitButton pendingLabel={t("submitting")}>{t("submit")}</SubmitButton>
        <div aria-live="polite">
          {state.status === "ok" ? (
            <p className="alert alert-success" role="status">
              {t("created", { username: state.username })}
            </p>
          ) : state.status === "error" ? (
            <p className="alert alert-error" role="alert">
              {t(state.message)}
            </p>
          ) : null}
        </div>
      </div>
    </form>
  );
}

export function DeactivateUserButton({ userId, username }: { userId: number; username: string }) {
  const t = useT(userMessages);
  const [state, formAction] = useActionState<DeactivateUserState, FormData>(deactivateUserAction, {
    status: "idle",
  });
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(t("deactivateConfirm", { username }))) event.preventDefault();
      }}
    >
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton variant="danger" small pendingLabel={t("deactivating")}>
        {t("deactivate")}
      </SubmitButton>
      {state.status === "error" ? (
        <p className="field-error" role="alert">
          {t(state.message)}
        </p>
      ) : null}
    </form>
  );
}
