import type { SyncStatusDto } from "../../ipc";

// The ports mail clients use by default, shown as the port field's placeholder (the backend
// applies the same defaults when the field is left empty).
export function defaultPort(kind: "imap" | "smtp" | "caldav", security: "tls" | "starttls"): number {
  if (kind === "caldav") return 443;
  if (kind === "imap") return security === "tls" ? 993 : 143;
  return security === "tls" ? 465 : 587;
}


/** The status bar's connection pill: what it says, how loudly, and its tooltip. */
export interface Connection {
  label: string;
  tone: "ok" | "offline" | "failing";
  title: string;
}

/**
 * The connection as the EP needs it: the laptop offline (the browser engine's own signal), or
 * online but an account's last sync failed (its server down, a login refused), or fine. The
 * second is what `navigator.onLine` alone misses: on a hotel network the laptop is "online"
 * while the executive's servers are out of reach, and changes pile up.
 */
export function connection(online: boolean, status: SyncStatusDto | null): Connection {
  if (!online) return { label: "Offline", tone: "offline", title: "Offline: everything still works from the local store, and changes leave when the network is back" };
  const failing = status?.failing ?? [];
  if (failing.length === 0) return { label: "Online", tone: "ok", title: "Online: the executive's accounts synced" };
  const hosts = [...new Set(failing.map((a) => a.host))];
  return {
    label: hosts.length === 1 ? `Can't sync ${hosts[0]}` : `${hosts.length} servers failing`,
    tone: "failing",
    title: failing.map((a) => `${a.username} at ${a.host}: ${a.last_error ?? ""}`).join("\n") + "\nChanges made here wait and leave when the server answers.",
  };
}

/** "3 waiting", with when the oldest was made in its tooltip; empty when nothing waits. */
export function waitingLabel(status: SyncStatusDto | null, clock: (iso: string) => string): { label: string; title: string } | null {
  if (!status?.waiting) return null;
  const since = status.waiting_since ? ` (the oldest since ${clock(status.waiting_since)})` : "";
  return {
    label: `${status.waiting} waiting`,
    title: `${status.waiting} change${status.waiting === 1 ? "" : "s"} made here waiting to leave${since}; they leave when the server answers. Shift+L shows the outbox.`,
  };
}

// The meeting's parts as the EP names them; the backend names them as iCalendar does.
const PARTS: Record<string, string> = {
  summary: "title",
  start: "start",
  end: "end",
  duration_seconds: "length",
  location: "place",
  description: "notes",
  attendees: "attendees",
  organizer: "organiser",
  rrules: "repeat rule",
  rdates: "extra dates",
  exdates: "skipped dates",
  status: "status",
  transparency: "busy/free",
  categories: "categories",
};

/** "the title and the place": what both sides of a clash changed, in the EP's words. */
export function clashedParts(fields: string[]): string {
  const words = [...new Set(fields.map((f) => PARTS[f] ?? f.replace(/_/g, " ")))].map((w) => `the ${w}`);
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
