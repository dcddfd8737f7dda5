// What the composer offers for each kind of mail; kept apart from the component so it is tested
// without a webview.
import type { TemplateDto } from "../../ipc";

export type ComposeKind = "reply" | "reply_all" | "forward" | "delegate";

export const COMPOSE_TITLES: Record<ComposeKind, string> = {
  reply: "Reply",
  reply_all: "Reply to all",
  forward: "Forward",
  delegate: "Delegate",
};

/** The templates made for this kind of mail first, then the rest (the EP may use any). */
export function templatesFor(all: TemplateDto[], kind: ComposeKind): TemplateDto[] {
  const use = kind === "reply_all" ? "reply" : kind;
  return [...all.filter((t) => t.used_for === use), ...all.filter((t) => t.used_for !== use)];
}
