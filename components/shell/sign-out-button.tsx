"use client";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { shellMessages } from "@/lib/i18n/messages/shell";

export function SignOutButton() {
  const t = useT(shellMessages);
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="btn"
      disabled={pending}
      data-testid="sign-out"
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/login" });
      }}
    >
      {pending ? t("signingOut") : t("signOut")}
    </button>
  );
}
