// Single-key shortcuts must not fire while the EP is typing.
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable === true;
}

/**
 * The keys of an editor dialog: Escape closes it, Ctrl+Enter (Cmd+Enter) saves it, and no key
 * reaches the window's single-key shortcuts while it is open.
 */
export function editorKeys(close: () => void, save: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    e.stopPropagation();
    if (e.key === "Escape") close();
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save();
    }
  };
}

/** The wall clock of the instant `iso` in the IANA zone `zone`: its date and minutes since midnight. */
export function wallClockInZone(iso: string, zone: string): { date: string; minutes: number } {
  // Read the parts rather than trusting a locale's layout: WebKitGTK may lack the locale data
  // (en-CA fell back to "11/24/2026" there).
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { date: `${part("year")}-${part("month")}-${part("day")}`, minutes: Number(part("hour")) * 60 + Number(part("minute")) };
}

/** "YYYY-MM-DD" of the instant `iso` in the IANA zone `zone`. */
export function dateInZone(iso: string, zone: string): string {
  return wallClockInZone(iso, zone).date;
}
