"use client";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Field } from "@/components/ui/field";
import { useT } from "@/lib/i18n/client";
import { authMessages } from "@/lib/i18n/messages/auth";
import { commonMessages } from "@/lib/i18n/messages/common";

type ErrorKey = "errorCredentials" | "errorInactive" | "errorThrottled" | "errorMissing" | "errorGeneric";

/** next-auth's error codes → our messages (`AccountInactive`, `TooManyAttempts`: thrown by authorize, lib/auth/config.ts). */
function errorKey(code: string | undefined): ErrorKey | undefined {
  if (!code) return undefined;
  if (code === "CredentialsSignin") return "errorCredentials";
  if (code === "AccountInactive") return "errorInactive";
  if (code === "TooManyAttempts") return "errorThrottled";
  return "errorGeneric";
}

const DEMO_ACCOUNTS = [
  { username: "admin", role: "role_admin" },
  { username: "planner", role: "role_planner" },
  { username: "commander", role: "role_commander" },
  { username: "worker", role: "role_worker" },
] as const;
const DEMO_PASSWORD = "Wangge@2026";

export function LoginForm({
  callbackUrl,
  initialError,
  showDemo,
}: {
  callbackUrl: string;
  initialError?: string;
  showDemo: boolean;
}) {
  const t = useT(authMessages);
  const tc = useT(commonMessages);
  const router = useRouter();
  const [error, setError] = useState<ErrorKey | undefined>(errorKey(initialError));
  const [pending, setPending] = useState(false);
  // Until React has hydrated, submitting would fall back to a native form post; keep the button disabled until then.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get("username") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!username || !password) {
      setError("errorMissing");
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const result = await signIn("credentials", { username, password, redirect: false, callbackUrl });
      if (!result || result.error) {
        setError(errorKey(result?.error ?? "unknown"));
        setPending(false);
        passwordRef.current?.select();
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError("errorGeneric");
      setPending(false);
    }
  }

  return (
    <>
      <form className="auth-form" method="post" onSubmit={onSubmit} noValidate data-testid="login-form">
        {error ? (
          <p className="alert alert-error" role="alert" data-testid="login-error">
            {t(error)}
          </p>
        ) : null}
        <Field id="login-username" label={t("username")}>
          <input
            ref={usernameRef}
            id="login-username"
            name="username"
            className="input"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
          />
        </Field>
        <Field id="login-password" label={t("password")}>
          <input
            ref={passwordRef}
            id="login-password"
            name="password"
            type="password"
            className="input"
            autoComplete="current-password"
            required
          />
        </Field>
        <button type="submit" className="btn btn-primary btn-block" disabled={pending || !hydrated} aria-busy={pending}>
          {pending ? t("submitting") : t("submit")}
        </button>
      </form>
      {showDemo ? (
        <aside className="demo-box" style={{ marginTop: 18 }} data-testid="demo-accounts">
          <div className="demo-box-title">
            <span>{t("demoTitle")}</span>
            <span>
              {t("demoPasswordLabel")}
              <span className="mono">{DEMO_PASSWORD}</span>
            </span>
          </div>
          <div className="demo-accounts">
            {DEMO_ACCOUNTS.map((account) => (
              <button
                key={account.username}
                type="button"
                className="demo-account"
                title={t("demoUseTitle", { username: account.username })}
                onClick={() => {
                  if (usernameRef.current) usernameRef.current.value = account.username;
                  if (passwordRef.current) passwordRef.current.value = DEMO_PASSWORD;
                  setError(undefined);
                  passwordRef.current?.focus();
                }}
              >
                <span className="demo-account-user">{account.username}</span>
                <span className="demo-account-role">{tc(account.role)}</span>
              </button>
            ))}
          </div>
        </aside>
      ) : null}
    </>
  );
}
