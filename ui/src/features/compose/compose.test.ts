import { describe, expect, it } from "vitest";
import type { TemplateDto } from "../../ipc";
import { templatesFor } from "./compose";

const t = (name: string, used_for: string): TemplateDto => ({ name, used_for, subject: null, body: "" });

describe("templatesFor", () => {
  const all = [t("Ack", "reply"), t("FYI", "forward"), t("Delegate", "delegate"), t("Decline", "reply")];
  it("puts the templates made for the kind first and keeps the others after them", () => {
    expect(templatesFor(all, "delegate").map((x) => x.name)).toEqual(["Delegate", "Ack", "FYI", "Decline"]);
    expect(templatesFor(all, "reply_all").map((x) => x.name)).toEqual(["Ack", "Decline", "FYI", "Delegate"]);
  });
});
