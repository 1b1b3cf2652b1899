"use client";
import { type ReactNode, useState } from "react";
import { useT } from "@/lib/i18n/client";
import { commonMessages } from "@/lib/i18n/messages/common";

type PanelProps = {
  title: ReactNode;
  subtitle?: ReactNode;
  /** Buttons or links at the right of the header. */
  actions?: ReactNode;
  /** A row under the header for filters. */
  toolbar?: ReactNode;
  footer?: ReactNode;
  /** `wide` for tables; `auto` for short content that should not stretch to the bottom. */
  size?: "normal" | "wide" | "auto";
  flush?: boolean;
  children: ReactNode;
  labelledBy?: string;
};

/** A card floating over the map (left side on desktop, bottom sheet on phones) that can be collapsed to see the map. */
export function Panel({ title, subtitle, actions, toolbar, footer, size = "normal", flush, children }: PanelProps) {
  const t = useT(commonMessages);
  const [collapsed, setCollapsed] = useState(false);
  if (collapsed) {
    return (
      <button type="button" className="panel-collapsed" onClick={() => setCollapsed(false)} aria-expanded="false">
        <span aria-hidden="true">▸</span>
        <span>{title}</span>
        <span className="visually-hidden">{t("expandPanel")}</span>
      </button>
    );
  }
  const sizeClass = size === "wide" ? " panel-wide" : size === "auto" ? " panel-auto" : "";
  return (
    <section className={`panel${sizeClass}`} aria-label={typeof title === "string" ? title : undefined}>
      <header className="panel-header">
        <div className="panel-heading">
          <h1 className="panel-title">{title}</h1>
          {subtitle ? <p className="panel-subtitle">{subtitle}</p> : null}
        </div>
        <div className="panel-actions">
          {actions}
          <button
            type="button"
            className="icon-btn"
            onClick={() => setCollapsed(true)}
            title={t("collapsePanel")}
            aria-label={t("collapsePanel")}
            aria-expanded="true"
          >
            <span aria-hidden="true">–</span>
          </button>
        </div>
      </header>
      {toolbar ? <div className="panel-toolbar">{toolbar}</div> : null}
      <div className={`panel-body${flush ? " panel-body-flush" : ""}`}>{children}</div>
      {footer ? <footer className="panel-footer">{footer}</footer> : null}
    </section>
  );
}
