// The ports mail clients use by default, shown as the port field's placeholder (the backend
// applies the same defaults when the field is left empty).
export function defaultPort(kind: "imap" | "smtp" | "caldav", security: "tls" | "starttls"): number {
  if (kind === "caldav") return 443;
  if (kind === "imap") return security === "tls" ? 993 : 143;
  return security === "tls" ? 465 : 587;
}
