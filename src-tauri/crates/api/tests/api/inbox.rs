use chrono::Duration;
use tandem_api::dto::{InboxItem, MailActionKind};
use tandem_api::ErrorCode;

use super::{day, now, open_demo};

const ORDER: [&str; 6] = ["needs_executive", "untriaged", "ep_handles", "waiting_on_others", "fyi", "noise"];

fn find<'a>(items: &'a [InboxItem], subject: &str) -> &'a InboxItem {
    items.iter().find(|m| m.subject == subject).unwrap_or_else(|| panic!("no message '{subject}'"))
}

#[test]
fn the_demo_inbox_is_triaged_in_working_order_each_message_with_its_reason() {
    let (_d, t) = open_demo();
    let page = t.inbox(None, None, 0, 500, now()).unwrap();
    let lanes: Vec<&str> = page.lanes.iter().map(|c| c.lane.as_str()).collect();
    assert_eq!(lanes, ORDER);
    assert_eq!(page.lanes.iter().map(|c| c.count).sum::<u32>(), page.total);
    assert_eq!(page.lanes[1].count, 0, "nothing is left untriaged after the demo loads");
    let rank = |m: &InboxItem| ORDER.iter().position(|l| *l == m.lane).unwrap();
    for w in page.items.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(rank(a) <= rank(b), "{} before {}", a.lane, b.lane);
        if rank(a) == rank(b) {
            assert!(a.vip >= b.vip, "VIPs first within a lane");
            if a.vip == b.vip {
                assert!(a.date >= b.date, "then newest first");
            }
        }
    }
    assert!(page.items.iter().all(|m| !m.lane_reason.is_empty() && m.lane_by == "heuristic"));
    let news = find(&page.items, "Robotics Weekly: the humanoid issue");
    assert_eq!(
        (news.lane.as_str(), news.lane_reason.as_str()),
        ("noise", "a mailing list (List-Id weekly.robotics.example)")
    );
    let pack = find(&page.items, "Q4 board pack (final)");
    assert_eq!(pack.lane, "needs_executive");
    assert_eq!(pack.attachments, ["Q4 board pack.pdf"]);
    assert_eq!(find(&page.items, "Automatic reply: Renewal terms").lane, "fyi");
    assert_eq!(find(&page.items, "Audit committee: revised timetable").lane_reason, "Dana is only copied");
    assert_eq!(find(&page.items, "Re: Operating model review: proposal").lane, "waiting_on_others");
    assert!(!page.items.iter().any(|m| m.from_address == "dana.okafor@northwind.example"), "Sent mail is archived");
    let noise = t.inbox(None, Some("noise"), 0, 500, now()).unwrap();
    assert_eq!(noise.total, page.lanes[5].count);
    assert!(noise.items.iter().all(|m| m.lane == "noise"));
    assert_eq!(t.inbox(None, Some("later"), 0, 5, now()).unwrap_err().code, ErrorCode::InvalidInput);
}

#[test]
fn archive_flag_and_snooze_change_the_inbox_and_undo_puts_each_back() {
    let (_d, mut t) = open_demo();
    let page = t.inbox(None, None, 0, 500, now()).unwrap();
    let ids: Vec<i64> = page.items[..3].iter().map(|m| m.id).collect();
    let flagged = t.search(None, "is:flagged", 500).unwrap().items.len();
    assert_eq!(flagged, 1, "the demo flags one message for the briefing");
    let done = t.act_on_mail(None, &ids, &MailActionKind::Archive, now()).unwrap();
    assert_eq!(done.summary, "Archived 3 messages");
    let after = t.inbox(None, None, 0, 500, now()).unwrap();
    assert_eq!(after.total, page.total - 3);
    assert!(after.items.iter().all(|m| !ids.contains(&m.id)));
    assert_eq!(t.search(None, "is:flagged", 500).unwrap().items.len(), flagged);
    t.undo_mail_action(None, done.id, now()).unwrap();
    assert_eq!(t.inbox(None, None, 0, 500, now()).unwrap().items, page.items, "undo restores the inbox exactly");
    assert_eq!(t.undo_mail_action(None, done.id, now()).unwrap_err().code, ErrorCode::Conflict);

    let flag = t.act_on_mail(None, &ids[..1], &MailActionKind::Flag, now()).unwrap();
    let flagged_ids = |t: &tandem_api::Tandem| -> Vec<i64> {
        t.search(None, "is:flagged", 500).unwrap().items.iter().map(|m| m.id).collect()
    };
    assert!(flagged_ids(&t).contains(&ids[0]));
    assert_eq!(flagged_ids(&t).len(), flagged + 1);
    t.undo_mail_action(None, flag.id, now()).unwrap();
    assert!(!flagged_ids(&t).contains(&ids[0]));
    assert_eq!(flagged_ids(&t).len(), flagged);

    let snooze = MailActionKind::Snooze { until: "2026-11-25T08:00".into() };
    let done = t.act_on_mail(None, &ids[..1], &snooze, now()).unwrap();
    assert_eq!(done.summary, "Snoozed 1 message until Wed 25 Nov 08:00");
    assert_eq!(t.inbox(None, None, 0, 500, now()).unwrap().total, page.total - 1);
    assert!(t.due_mail(now()).unwrap().is_empty());
    let wake = now() + Duration::hours(23);
    let back = t.inbox(None, None, 0, 500, wake).unwrap();
    assert_eq!(back.total, page.total, "back in the inbox at 08:00 New York");
    let due = t.due_mail(wake).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].kind.as_str(), due[0].message.id), ("snooze", ids[0]));
    assert!(t.due_mail(wake).unwrap().is_empty(), "each wake-up is delivered once");
    let past = MailActionKind::Snooze { until: "2026-11-20T08:00".into() };
    assert_eq!(t.act_on_mail(None, &ids[..1], &past, now()).unwrap_err().code, ErrorCode::InvalidInput);
}

#[test]
fn a_follow_up_falls_due_only_when_no_one_but_an_autoresponder_replied() {
    let (_d, mut t) = open_demo();
    let sent = t.search(None, "from:dana.okafor", 5).unwrap().items;
    assert_eq!(sent.len(), 1);
    let asked = sent[0].id;
    t.act_on_mail(None, &[asked], &MailActionKind::FollowUp { days: 2 }, now()).unwrap();
    let later = now() + Duration::days(2) + Duration::minutes(1);
    let due = t.due_mail(later).unwrap();
    assert_eq!(due.len(), 1, "Ava's out-of-office is no answer");
    assert_eq!((due[0].kind.as_str(), due[0].message.subject.as_str()), ("follow_up", "Renewal terms"));

    let answered = t.search(None, "\"board pack\" from:eleanor", 5).unwrap().items[0].id;
    t.act_on_mail(None, &[answered], &MailActionKind::FollowUp { days: 1 }, now()).unwrap();
    let reply = b"From: Eleanor Vance <eleanor@vanceholdings.example>\r\nTo: dana.okafor@northwind.example\r\n\
Subject: Re: Q4 board pack (final)\r\nDate: Tue, 24 Nov 2026 16:00:00 +0000\r\nMessage-ID: <reply-pack@x>\r\n\
In-Reply-To: <board-pack-final@demo.northwind.example>\r\n\r\nOne more page attached.\r\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reply.eml");
    std::fs::write(&file, reply).unwrap();
    let report = t.import_files(None, &[file], now() + Duration::hours(3)).unwrap();
    assert_eq!(report.files[0].added, 1);
    assert!(t.due_mail(now() + Duration::days(1) + Duration::minutes(1)).unwrap().is_empty(), "Eleanor replied");
}

#[test]
fn a_move_made_a_rule_sends_the_senders_later_mail_there_and_undo_takes_the_rule_away() {
    let (_d, mut t) = open_demo();
    let page = t.inbox(None, Some("noise"), 0, 500, now()).unwrap();
    let digest = page.items.iter().find(|m| m.from_name.as_deref() == Some("SaaS Digest")).unwrap();
    let kind = MailActionKind::Move { lane: "fyi".into(), make_rule: true };
    let done = t.act_on_mail(None, &[digest.id], &kind, now()).unwrap();
    let rule = done.rule.clone().unwrap();
    assert_eq!(done.summary, format!("Moved 1 message to FYI, and added the rule '{rule}'"));
    let doc = t.triage_rules_document(None).unwrap();
    assert!(doc.saved && doc.toml.contains(&digest.from_address));
    let report = t.triage(None, true, now()).unwrap();
    let fyi = t.inbox(None, Some("fyi"), 0, 500, now()).unwrap();
    let from_digest: Vec<&InboxItem> = fyi.items.iter().filter(|m| m.from_address == digest.from_address).collect();
    assert!(from_digest.len() > 1, "the sender's other issues follow the rule");
    let moved = from_digest.iter().find(|m| m.id == digest.id).unwrap();
    assert_eq!((moved.lane_by.as_str(), moved.lane_reason.as_str()), ("ep", "moved by the EP"));
    assert!(from_digest.iter().any(|m| m.lane_by == "rule" && m.lane_reason.starts_with(&format!("rule '{rule}'"))));
    assert!(report.items.iter().all(|m| m.id != digest.id), "triage leaves the EP's own move alone");

    t.undo_mail_action(None, done.id, now()).unwrap();
    assert!(!t.triage_rules_document(None).unwrap().toml.contains(&digest.from_address));
    assert_eq!(
        t.inbox(None, Some("noise"), 0, 500, now()).unwrap().items.iter().find(|m| m.id == digest.id).unwrap().lane,
        "noise"
    );
}

#[test]
fn triage_rules_that_do_not_validate_are_refused_and_the_old_ones_stay() {
    let (_d, mut t) = open_demo();
    let good = "[[rule]]\nname = \"Digests are FYI\"\nlane = \"fyi\"\nwhen = { list_id = \"robotics\" }\n";
    let report = t.save_triage_rules(None, good, now()).unwrap();
    assert!(report.triaged > 300);
    let news = t.search(None, "humanoid", 5).unwrap().items;
    assert_eq!(news[0].lane, "fyi");
    assert_eq!(news[0].lane_reason, "rule 'Digests are FYI': List-Id robotics");
    let err = t
        .save_triage_rules(None, "[[rule]]\nname = \"x\"\nlane = \"fyi\"\nwhen = { from = \"nobody\" }\n", now())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRules);
    assert!(err.message.contains("when.from[0]"), "{}", err.message);
    assert_eq!(t.triage_rules_document(None).unwrap().toml, good);
}

#[test]
fn an_html_newsletter_opens_sanitised_with_remote_images_held_back_until_allowed_for_the_sender() {
    let (_d, mut t) = open_demo();
    let news = t.search(None, "humanoid", 5).unwrap().items[0].clone();
    assert!(!news.seen);
    let view = t.read_message(None, news.id).unwrap();
    let doc = view.html_document.clone().unwrap();
    for bad in ["<script", "onload", "javascript:", "tracker.robotics.example", "<style>h1"] {
        assert!(!doc.contains(bad), "{bad} in {doc}");
    }
    assert!(doc.contains("Humanoids leave the lab") && doc.contains("default-src 'none'"));
    assert_eq!((view.blocked_remote, view.remote_allowed), (2, false));
    assert!(view.text.contains("humanoids leave the lab"));
    assert!(t.search(None, "humanoid", 5).unwrap().items[0].seen, "opening marks it read");

    t.allow_remote_content(None, &news.from_address, true, now()).unwrap();
    let allowed = t.read_message(None, news.id).unwrap();
    assert_eq!((allowed.blocked_remote, allowed.remote_allowed), (0, true));
    assert!(allowed.html_document.unwrap().contains("https://robotics.example/cover.jpg"));
    assert!(!t.read_message(None, news.id).unwrap().html_document.unwrap().contains("<script"));

    let away = t.search(None, "\"automatic reply\"", 5).unwrap().items[0].id;
    let view = t.read_message(None, away).unwrap();
    assert!(view.html_document.is_none(), "plain text stays text");
    assert_eq!(view.thread.len(), 1, "Dana's question is in its thread");
    assert_eq!(view.thread[0].subject, "Renewal terms");
}

#[test]
fn each_action_has_its_opposite_and_the_message_comes_back_as_it_was() {
    let (_d, mut t) = open_demo();
    let id = t.search(None, "\"board pack\" from:eleanor", 5).unwrap().items[0].id;
    let item = |t: &mut tandem_api::Tandem| t.read_message(None, id).unwrap().item;
    let act = |t: &mut tandem_api::Tandem, a: MailActionKind| t.act_on_mail(None, &[id], &a, now()).unwrap();
    let in_inbox =
        |t: &tandem_api::Tandem| t.inbox(None, None, 0, 500, now()).unwrap().items.iter().any(|m| m.id == id);

    act(&mut t, MailActionKind::Archive);
    assert!(!in_inbox(&t));
    act(&mut t, MailActionKind::Unarchive);
    assert!(in_inbox(&t) && !item(&mut t).archived);

    act(&mut t, MailActionKind::Snooze { until: "2026-11-25T08:00".into() });
    assert!(!in_inbox(&t) && item(&mut t).snoozed_until.is_some());
    act(&mut t, MailActionKind::Unsnooze);
    assert!(in_inbox(&t) && item(&mut t).snoozed_until.is_none());

    act(&mut t, MailActionKind::FollowUp { days: 2 });
    assert_eq!(item(&mut t).follow_up_at.as_deref(), Some("2026-11-26T14:00:00Z"));
    act(&mut t, MailActionKind::ClearFollowUp);
    assert_eq!(item(&mut t).follow_up_at, None);

    let uid = t.calendar_range(None, day("2026-11-24"), 1).unwrap().items[0].uid.clone();
    act(&mut t, MailActionKind::Link { uid: uid.clone() });
    assert_eq!(item(&mut t).event_uid.as_deref(), Some(uid.as_str()));
    let unknown = t.act_on_mail(None, &[id], &MailActionKind::Link { uid: "no-such-meeting".into() }, now());
    assert_eq!(unknown.unwrap_err().code, ErrorCode::NotFound);
    act(&mut t, MailActionKind::Unlink);
    assert_eq!(item(&mut t).event_uid, None);
}
