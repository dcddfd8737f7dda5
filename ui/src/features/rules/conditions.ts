// The conditions a rule can have, as the rules form edits them. The names and value shapes are
// the TOML document's (core::rules::Conditions); the backend validates, this only presents.

export type Kind = "list" | "text" | "bool" | "bounds";

export interface Condition {
  key: string;
  label: string;
  kind: Kind;
  hint?: string;
}

export const CONDITIONS: Condition[] = [
  { key: "organizer", label: "Organizer is", kind: "list", hint: "board, vip, external, @acme.com, name@acme.com" },
  { key: "attendee", label: "Another attendee is", kind: "list", hint: "directs, @acme.com" },
  { key: "title", label: "Title mentions", kind: "list", hint: "interview, 1:1" },
  { key: "calendar", label: "In calendar", kind: "list", hint: "Invitations, Board" },
  { key: "weekdays", label: "On", kind: "list", hint: "mon, fri" },
  { key: "time", label: "Overlaps the time", kind: "text", hint: "13:00-24:00" },
  { key: "outside_working_hours", label: "Outside working hours", kind: "bool" },
  { key: "duration_minutes", label: "Lasts (minutes)", kind: "bounds" },
  { key: "lead_hours", label: "Notice (hours)", kind: "bounds" },
  { key: "recurring", label: "Recurring", kind: "bool" },
  { key: "attendee_count", label: "People invited", kind: "bounds" },
  { key: "role", label: "Executive is", kind: "list", hint: "required, optional, chair" },
  { key: "conflicts_with", label: "Clashes with", kind: "list", hint: "anything, busy, P0, focus, buffers" },
  { key: "in_person_elsewhere", label: "In person elsewhere", kind: "bool" },
];

export const ACTIONS: { value: string; label: string }[] = [
  { value: "accept", label: "Accept" },
  { value: "tentative", label: "Tentatively accept" },
  { value: "decline", label: "Decline" },
  { value: "counter_propose", label: "Propose the best free time" },
  { value: "hold_for_review", label: "Hold for my review" },
  { value: "delegate", label: "Delegate" },
  { value: "set_priority", label: "Set priority tier (then go on)" },
];

export function conditionOf(key: string): Condition {
  return CONDITIONS.find((c) => c.key === key) ?? { key, label: key, kind: "text" };
}

/** A condition's value as the form shows it. */
export function toText(kind: Kind, value: unknown): string {
  if (kind === "list") return (Array.isArray(value) ? value : value == null ? [] : [value]).join(", ");
  if (kind === "bool") return value ? "yes" : "no";
  if (kind === "bounds") {
    const b = (value ?? {}) as { min?: number; max?: number };
    return `${b.min ?? ""}–${b.max ?? ""}`;
  }
  return value == null ? "" : String(value);
}

/** A value typed in the form, in the document's shape. Bounds are "min–max", either may be empty. */
export function fromText(kind: Kind, text: string): unknown {
  if (kind === "list") return text.split(",").map((s) => s.trim()).filter(Boolean);
  if (kind === "bool") return text.trim().toLowerCase() === "yes";
  if (kind === "bounds") {
    const [lo, hi] = text.split(/[–-]/).map((s) => s.trim());
    const out: { min?: number; max?: number } = {};
    if (lo) out.min = Number(lo);
    if (hi) out.max = Number(hi);
    return out;
  }
  return text.trim();
}

/** A starting value for a condition just added. */
export function blank(kind: Kind): unknown {
  return kind === "list" ? [] : kind === "bool" ? true : kind === "bounds" ? {} : "";
}
