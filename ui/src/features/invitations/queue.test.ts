import { describe, expect, it } from "vitest";
import type { DecisionDto, InvitationDto, InvitationQueue } from "../../ipc";
import { actionLabel, replyState, rows } from "./queue";

const inv = (id: number, summary: string): InvitationDto => ({
  id, uid: `${id}@x`, recurrence_id: null, summary, start: "2026-12-01T10:00:00-05:00", end: null, view_start: "2026-12-01T10:00",
  organizer: "Chair", organizer_address: "chair@board.example", location: null, recurring: false, attendee_count: 2,
  source: "mail", received_at: "2026-11-24T14:00:00Z", state: "held", decision: null,
});

const decision = (states: string[]): DecisionDto => ({
  id: 1, invitation_id: 1, uid: "1@x", summary: "x", action: "accept", rule: "R", decider: "rule", reason: "Accepted", decided_at: "", message: null,
  delegate_to: null, proposed_start: null, proposed_end: null, tier: null, undone_at: null, undoable: true,
  outbox: states.map((state, i) => ({ id: i, kind: "imip", state, summary: "", recipients: [], created_at: "", send_after: "", sent_at: null, attempts: 0, last_error: null, decision_id: 1 })),
});

describe("the invitations queue", () => {
  it("puts what waits for the EP first, then undecided, decided and answered", () => {
    const q: InvitationQueue = { held: [inv(1, "held")], pending: [inv(2, "new")], decided: [inv(3, "auto")], answered: [inv(4, "mine")] };
    expect(rows(q).map((r) => [r.section, r.invitation.summary])).toEqual([["held", "held"], ["pending", "new"], ["decided", "auto"], ["answered", "mine"]]);
    expect(rows(null)).toEqual([]);
  });

  it("says where a decision's reply is", () => {
    expect(replyState(decision(["queued"]))).toBe("waiting in the outbox");
    expect(replyState(decision(["sent", "cancelled"]))).toBe("sent");
    expect(replyState(decision(["cancelled"]))).toBe("taken back");
    expect(replyState(decision([]))).toBe("");
    expect(actionLabel("counter_propose")).toBe("New time proposed");
  });
});
