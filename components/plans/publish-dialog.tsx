"use client";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planMessages } from "@/lib/i18n/messages/plans";
import type { PublishResponse } from "@/lib/plans/contract";

/** Confirmation before publishing (what will happen), then the result (re-assignments, flagged people). */
export function PublishDialog({
  communityNames,
  retiring,
  newGrids,
  busy,
  error,
  result,
  onConfirm,
  onClose,
}: {
  communityNames: string[];
  retiring: number;
  newGrids: number;
  busy: boolean;
  error: string | undefined;
  result: PublishResponse | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useT(planMessages);
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby="publish-title"
      data-testid="publish-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      {result ? (
        <div className="dialog-body" data-testid="publish-result">
          <h2 id="publish-title" className="dialog-title">
            {t("publishedTitle")}
          </h2>
          <p className="alert alert-success" role="status">
            {t("publishedGrids", {
              count: n(result.grids.length),
              kept: n(result.grids.filter((g) => g.keptCode).length),
              retired: n(result.retiredGrids),
            })}
          </p>
          <p>
            {t("publishedReassigned", {
              buildings: n(result.reassigned.buildings),
              cases: n(result.reassigned.openCases),
              members: n(result.reassigned.gridMembers),
              orgs: n(result.reassigned.partyOrganizations),
            })}
          </p>
          {result.flagged.length > 0 ? (
            <>
              <h3 className="section-title">{t("publishedFlagged", { count: n(result.flagged.length) })}</h3>
              <ul className="list-plain flagged-list">
                {result.flagged.map((item) => (
                  <li key={`${item.kind}:${item.id}`}>
                    <strong>{item.name}</strong>（{t(`flagged_${item.kind}`)}）
                    {locale === "en" ? <span className="muted small"> — {item.reason}</span> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <div className="dialog-actions">
            <Link href="/" className="btn btn-primary" data-testid="view-published">
              {t("viewOnMap")}
            </Link>
            <Link href="/grids" className="btn">
              {t("viewGridTable")}
            </Link>
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              {t("close")}
            </button>
          </div>
        </div>
      ) : (
        <div className="dialog-body">
          <h2 id="publish-title" className="dialog-title">
            {t("publishTitle")}
          </h2>
          <p>{t("publishIntro")}</p>
          <ul className="publish-steps">
            <li>{t("publishCommunities", { names: communityNames.join("、") })}</li>
            <li>{t("publishRetire", { count: n(retiring) })}</li>
            <li>{t("publishNew", { count: n(newGrids) })}</li>
            <li>{t("publishReassign")}</li>
            <li>{t("publishAudit")}</li>
          </ul>
          {error ? (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button
              type="button"
              className="btn btn-primary"
              onClick={onConfirm}
              disabled={busy}
              data-testid="publish-confirm"
            >
              {busy ? t("publishing") : t("publishConfirm")}
            </button>
            <button type="button" className="btn" onClick={onClose} disabled={busy}>
              {t("cancel")}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
