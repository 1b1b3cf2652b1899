"use client";
import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";

/** A submit button that disables itself and shows `pendingLabel` while its form's action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  small,
}: {
  children: ReactNode;
  pendingLabel: ReactNode;
  variant?: "primary" | "danger" | "default";
  small?: boolean;
}) {
  const { pending } = useFormStatus();
  const variantClass = variant === "default" ? "" : ` btn-${variant}`;
  return (
    <button
      type="submit"
      className={`btn${variantClass}${small ? " btn-small" : ""}`}
      disabled={pending}
      aria-busy={pending}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
