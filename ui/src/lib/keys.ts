// Single-key shortcuts must not fire while the EP is typing.
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable === true;
}

/** "YYYY-MM-DD" of the instant `iso` in the IANA zone `zone`. */
export function dateInZone(iso: string, zone: string): string {
  // Read the parts rather than trusting a locale's layout: WebKitGTK may lack the locale data
  // (en-CA fell back to "11/24/2026" there).
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(
    new Date(iso),
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}
