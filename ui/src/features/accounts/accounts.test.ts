import { describe, expect, it } from "vitest";
import { defaultPort } from "./accounts";

describe("defaultPort", () => {
  it("is the standard port for each kind and security", () => {
    expect([defaultPort("imap", "tls"), defaultPort("imap", "starttls"), defaultPort("smtp", "tls"), defaultPort("smtp", "starttls")]).toEqual([993, 143, 465, 587]);
  });

  it("is HTTPS's for CalDAV, whose address carries its own", () => {
    expect(defaultPort("caldav", "tls")).toBe(443);
  });
});
