use super::*;
use crate::mail::{Attachment, Automation, Mailbox, MessageFlags};

const PROFILE: &str = r#"
id = "dana-okafor"
name = "Dana Okafor"
addresses = ["dana@northwind.example"]
home_time_zone = "America/New_York"
our_domains = ["northwind.example"]

[assistant]
name = "Sam Reyes"
address = "sam@northwind.example"

[groups]
vip = ["chair@board.example", "@bigcustomer.example"]
directs = ["lee@northwind.example"]
"#;

fn profile() -> ExecutiveProfile {
    ExecutiveProfile::from_toml(PROFILE).unwrap()
}

fn mb(address: &str) -> Mailbox {
    Mailbox { name: None, address: address.into() }
}

/// A plain message from `from` to Dana.
fn mail(from: &str, subject: &str, body: &str) -> Message {
    Message {
        message_id: "m@x".into(),
        in_reply_to: None,
        references: vec![],
        from: mb(from),
        to: vec![mb("dana@northwind.example")],
        cc: vec![],
        subject: subject.into(),
        date: "2026-11-24T14:00:00Z".parse().unwrap(),
        body_text: body.into(),
        has_html: false,
        calendar_method: None,
        marked_important: false,
        attachments: vec![],
        automation: Automation::default(),
        lane: Lane::Untriaged,
        flags: MessageFlags::default(),
    }
}

fn lane(m: &Message) -> (Lane, String) {
    let t = triage(m, &profile(), &TriageRules::default());
    assert_eq!(t.by, LaneSource::Heuristic);
    (t.lane, t.reason)
}

#[test]
fn a_newsletter_is_noise_and_the_reason_names_the_header() {
    let mut m = mail("news@robotics.example", "This week in robotics", "Top stories");
    m.automation.list_id = Some("weekly.robotics.example".into());
    assert_eq!(lane(&m), (Lane::Noise, "a mailing list (List-Id weekly.robotics.example)".into()));
    let mut m = mail("digest@saas.example", "Metrics", "");
    m.automation.list_unsubscribe = true;
    assert_eq!(lane(&m).0, Lane::Noise);
    let m = mail("no-reply@linkedin.example", "You appeared in 14 searches", "");
    assert_eq!(lane(&m), (Lane::Noise, "sent by a machine (no-reply@ sender)".into()));
}

#[test]
fn a_vip_on_a_list_still_needs_the_executive() {
    let mut m = mail("chair@board.example", "Board pack", "Dana, the pack.");
    m.automation.list_unsubscribe = true;
    assert_eq!(lane(&m), (Lane::NeedsExecutive, "from chair@board.example, in the vip group".into()));
}

#[test]
fn automatic_replies_are_fyi_whether_declared_or_only_in_the_subject() {
    let mut m = mail("raj@summitpeak.example", "Re: dinner", "I am away");
    m.automation.auto_submitted = Some("auto-replied".into());
    assert_eq!(lane(&m), (Lane::Fyi, "an automatic reply (Auto-Submitted: auto-replied)".into()));
    let m = mail("raj@summitpeak.example", "Automatic reply: Renewal terms", "I am out of the office");
    assert_eq!(lane(&m), (Lane::Fyi, "an automatic reply ('automatic reply' in the subject)".into()));
}

#[test]
fn urgency_decisions_and_deadlines_need_the_executive_and_quote_the_words() {
    let m = mail("lee@northwind.example", "URGENT: press inquiry", "Can you call me?");
    assert_eq!(lane(&m), (Lane::NeedsExecutive, "urgent: 'urgent'".into()));
    let m = mail("lee@northwind.example", "FY27 hiring plan", "The plan needs your sign-off before we open reqs.");
    assert_eq!(lane(&m), (Lane::NeedsExecutive, "asks Dana for a decision: 'sign-off'".into()));
    let m = mail(
        "ava@contoso.example",
        "Renewal terms",
        "We can commit if the price holds. Can you confirm by end of week?",
    );
    assert_eq!(lane(&m), (Lane::NeedsExecutive, "a deadline: 'by end of week'".into()));
    let m = mail("ava@contoso.example", "Slides", "Could you look at them before Wed. morning?");
    assert_eq!(lane(&m), (Lane::NeedsExecutive, "a deadline: 'before wed'".into()));
    let mut m = mail("ava@contoso.example", "Note", "Nothing much");
    m.marked_important = true;
    assert_eq!(lane(&m).0, Lane::NeedsExecutive);
}

#[test]
fn an_urgent_word_in_a_copy_does_not_make_it_the_executives() {
    let mut m = mail("lee@northwind.example", "Urgent: line 3", "for the team");
    m.cc = m.to.clone();
    m.to = vec![mb("ops@northwind.example")];
    assert_eq!(lane(&m), (Lane::Fyi, "Dana is only copied".into()));
}

#[test]
fn scheduling_and_plain_mail_are_the_eps_and_broadcasts_are_fyi() {
    let m = mail("partner@vendor.example", "Following up", "Let me know a couple of times that work.");
    assert_eq!(lane(&m), (Lane::EpHandles, "about scheduling: 'a couple of times'".into()));
    let m = mail("partner@vendor.example", "Hello", "Nice to meet you.");
    assert_eq!(lane(&m).0, Lane::EpHandles);
    let mut m = mail("hr@northwind.example", "Office move", "Pack your desks.");
    m.to.extend(["a", "b", "c", "d", "e"].map(|n| mb(&format!("{n}@northwind.example"))));
    assert_eq!(lane(&m), (Lane::Fyi, "sent to 6 people".into()));
    let mut bcc = mail("someone@else.example", "Hi", "");
    bcc.to = vec![mb("team@else.example")];
    assert_eq!(lane(&bcc).0, Lane::Fyi);
}

#[test]
fn the_executives_own_mail_waits_on_others_and_invitations_are_the_eps() {
    let m = mail("dana@northwind.example", "Proposal", "Could you send the numbers?");
    assert_eq!(lane(&m), (Lane::WaitingOnOthers, "sent by Dana: waiting for a reply".into()));
    assert_eq!(lane(&mail("sam@northwind.example", "x", "")).0, Lane::WaitingOnOthers);
    let mut m = mail("chair@board.example", "Invitation: audit committee", "URGENT");
    m.calendar_method = Some("REQUEST".into());
    assert_eq!(lane(&m), (Lane::EpHandles, "an invitation: the invitation rules answer it".into()));
}

#[test]
fn the_first_rule_that_holds_wins_and_unless_stops_it() {
    let doc = r#"
[[rule]]
name = "Investor updates"
lane = "fyi"
when = { from = "@sequoia.example", words = "investor update" }
unless = { important = true }

[[rule]]
name = "Board decks"
lane = "needs_executive"
reason = "Dana reads board material herself"
when = { subject = "board", attachment = true }
"#;
    let rules = TriageRules::from_toml(doc, &profile()).unwrap();
    let m = mail("pat@sequoia.example", "Q3 investor update", "Numbers inside. URGENT");
    let t = triage(&m, &profile(), &rules);
    assert_eq!(t.lane, Lane::Fyi);
    assert_eq!(t.by, LaneSource::Rule);
    assert_eq!(t.reason, "rule 'Investor updates': from @sequoia.example, mentions 'investor update'");
    let mut important = m.clone();
    important.marked_important = true;
    assert_eq!(triage(&important, &profile(), &rules).by, LaneSource::Heuristic);
    let mut deck = mail("cfo@northwind.example", "Board deck v3", "");
    deck.attachments.push(Attachment {
        name: Some("deck.pdf".into()),
        content_type: "application/pdf".into(),
        size: 1,
    });
    assert_eq!(triage(&deck, &profile(), &rules).reason, "rule 'Board decks': Dana reads board material herself");
}

#[test]
fn a_bad_rule_is_refused_naming_the_rule_and_the_field() {
    let err = |doc: &str| TriageRules::from_toml(doc, &profile()).unwrap_err().to_string();
    assert_eq!(
        err("[[rule]]\nname = \"x\"\nlane = \"later\"\n"),
        "rule 1 'x': `lane`: unknown variant `later`, expected one of `untriaged`, `needs_executive`, `ep_handles`, `waiting_on_others`, `fyi`, `noise`"
    );
    assert!(err("[[rule]]\nname = \"x\"\nlane = \"fyi\"\nwhen = { from = \"investors\" }\n")
        .starts_with("rule 1 'x': `when.from[0]`: 'investors' is not an address"));
    assert!(err("[[rule]]\nname = \"x\"\nlane = \"untriaged\"\n").contains("`lane`"));
    assert!(err("[[lane]]\nname = \"x\"\n").contains("only [[rule]] tables"));
}

#[test]
fn a_move_made_a_rule_is_named_after_the_sender_and_round_trips() {
    let mut rules = TriageRules::default();
    let r = rules.rule_for_sender("News@Robotics.example", Lane::Noise);
    assert_eq!(r.name, "Mail from News@Robotics.example");
    rules.rules.push(r);
    let again = rules.rule_for_sender("News@Robotics.example", Lane::Fyi);
    assert_eq!(again.name, "Mail from News@Robotics.example (2)");
    let back = TriageRules::from_toml(&rules.to_toml(), &profile()).unwrap();
    assert_eq!(back, rules);
    let m = mail("news@robotics.example", "Hi", "");
    assert_eq!(triage(&m, &profile(), &back).lane, Lane::Noise);
}

#[test]
fn deadlines_are_read_from_common_phrasings_only() {
    assert_eq!(deadline("please reply by Thursday."), Some("by thursday".into()));
    assert_eq!(deadline("locked by Friday noon"), Some("by friday".into()));
    assert_eq!(deadline("due 3 December"), Some("due 3 december".into()));
    assert_eq!(deadline("The deadline is close"), Some("deadline".into()));
    assert_eq!(deadline("stand by me"), None);
    assert_eq!(deadline("written by the team"), None);
}

#[test]
fn a_negated_urgency_word_is_not_urgent() {
    let m = mail("tomas@northwind.example", "Org changes", "Nothing urgent, but this month please.");
    assert_ne!(lane(&m).0, Lane::NeedsExecutive);
    let m = mail("tomas@northwind.example", "Org changes", "This is not urgent.");
    assert_ne!(lane(&m).0, Lane::NeedsExecutive);
}

#[test]
fn a_group_greeting_is_fyi_and_a_promise_to_come_back_waits_on_them() {
    let m = mail("hannah@northwind.example", "Weekly metrics", "Hi all,\n\nThe dashboard is live.");
    assert_eq!(lane(&m), (Lane::Fyi, "written to a group: 'hi all'".into()));
    let m =
        mail("mia@vendor.example", "Proposal", "Dana,\n\nThanks for the call; I'll get back to you with revised fees.");
    assert_eq!(lane(&m), (Lane::WaitingOnOthers, "mia@vendor.example will come back: 'i'll get back to you'".into()));
}
