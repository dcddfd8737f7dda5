// The invitations queue as one list the keyboard walks: held for review first (the EP's work),
// then not yet decided, then what the rules decided, then what the EP answered.
import type { DecisionDto, InvitationDto, InvitationQueue } from "../../ipc";

export type Section = "held" | "pending" | "decided" | "answered";

export const SECTION_TITLES: Record<Section, string> = {
  held: "Held for review",
  pending: "Not yet decided",
  decided: "Decided by the rules",
  answered: "Answered by you",
};

export interface Row {
  section: Section;
  invitation: InvitationDto;
}

export function rows(q: InvitationQueue | null): Row[] {
  if (!q) return [];
  const order: Section[] = ["held", "pending", "decided", "answered"];
  return order.flatMap((section) => q[section].map((invitation) => ({ section, invitation })));
}

/** How a decision reads in a badge. */
export function actionLabel(action: string): string {
  switch (action) {
    case "accept":
      return "Accepted";
    case "tentative":
      return "Tentative";
    case "decline":
      return "Declined";
    case "counter_propose":
      return "New time proposed";
    case "delegate":
      return "Delegated";
    case "hold_for_review":
      return "Held";
    default:
      return action;
  }
}

/** Whether the reply a decision queued has left, is waiting, or was taken back. */
export function replyState(d: DecisionDto | null | undefined): string {
  if (!d || d.outbox.length === 0) return "";
  const states = new Set(d.outbox.map((o) => o.state));
  if (states.has("sent")) return "sent";
  if (states.has("sending")) return "sending";
  if (states.has("queued")) return "waiting in the outbox";
  if (states.has("failed")) return "failed to send";
  return "taken back";
}
