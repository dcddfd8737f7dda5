//! Replies, forwards and delegations from templates: what the draft says, what the outbox
//! holds, what undo takes back, and how a delegation is tracked.

use chrono::Duration;
use tandem_api::dto::DraftRequest;
use tandem_api::ErrorCode;

use super::{now, open_demo};

fn pack(t: &tandem_api::Tandem) -> i64 {
    t.search(None, "\"board pack\" from:eleanor", 5).unwrap().items[0].id
}

fn request(id: i64, kind: &str) -> DraftRequest {
    DraftRequest { message_id: id, kind: kind.into(), ..Default::default() }
}

#[test]
fn a_reply_from_a_template_is_the_executives_sent_by_the_ep_and_undo_takes_it_back() {
    let (_d, mut t) = open_demo();
    let id = pack(&t);
    let draft = t
        .draft(
            None,
            &DraftRequest {
                template: Some("acknowledge".into()),
                note: Some("Back Thursday.".into()),
                ..request(id, "reply")
            },
        )
        .unwrap();
    assert_eq!(draft.to, ["Eleanor Vance <eleanor@vanceholdings.example>"]);
    assert!(draft.cc.is_empty());
    assert_eq!(draft.subject, "Re: Q4 board pack (final)");
    assert!(
        draft
            .body
            .starts_with("Hi Eleanor,\n\nThank you: Dana has your note and will come back to you. Back Thursday.\n"),
        "{}",
        draft.body
    );
    assert!(draft.body.contains("wrote:\n> "), "the original is quoted: {}", draft.body);
    assert_eq!(draft.sender.as_deref(), Some("Sam Rivera <sam.rivera@northwind.example>"));

    let sent = t.send_draft(None, &draft, now()).unwrap();
    assert_eq!(sent.send_after, "2026-11-24T14:01:00Z", "it waits out the undo window");
    let raw = String::from_utf8(t.outbox_message(None, sent.outbox_id).unwrap()).unwrap();
    assert!(raw.contains("From: \"Dana Okafor\" <dana.okafor@northwind.example>"), "{raw}");
    assert!(raw.contains("Sender: \"Sam Rivera\" <sam.rivera@northwind.example>"), "{raw}");
    assert!(raw.contains("In-Reply-To: <board-pack-final@demo.northwind.example>"), "{raw}");
    let item = t.read_message(None, id).unwrap().item;
    assert!(item.answered);

    t.undo_mail_action(None, sent.action_id, now()).unwrap();
    let outbox = t.outbox(None).unwrap();
    assert_eq!(outbox.iter().find(|o| o.id == sent.outbox_id).unwrap().state, "cancelled");
    assert!(!t.read_message(None, id).unwrap().item.answered);
}

#[test]
fn once_the_mail_has_left_undo_refuses_and_says_so() {
    let (dir, mut t) = open_demo();
    let draft = t.draft(None, &DraftRequest { note: Some("Thanks.".into()), ..request(pack(&t), "reply") }).unwrap();
    assert!(draft.body.starts_with("Thanks.\n"), "{}", draft.body);
    let sent = t.send_draft(None, &draft, now()).unwrap();
    let store = tandem_store::Store::open_dir(dir.path()).unwrap();
    while let Some(item) = store
        .claim_outbox_item(
            tandem_api::demo::DEMO_EXECUTIVE,
            now() + Duration::minutes(2),
            tandem_store::OutboxKind::MAILED,
        )
        .unwrap()
    {
        store.mark_outbox_sent(item.id, now() + Duration::minutes(2)).unwrap();
    }
    let err = t.undo_mail_action(None, sent.action_id, now() + Duration::minutes(3)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("already been sent"), "{}", err.message);
}

#[test]
fn reply_all_leaves_out_the_executive_and_the_ep_and_bad_requests_say_what_is_wrong() {
    let (_d, t) = open_demo();
    let id = pack(&t);
    let all = t.draft(None, &request(id, "reply_all")).unwrap();
    for who in all.to.iter().chain(&all.cc) {
        assert!(!who.contains("dana.okafor@") && !who.contains("sam.rivera@"), "{who}");
    }
    let no_one = t.draft(None, &request(id, "forward")).unwrap_err();
    assert!(no_one.message.contains("needs someone to send it to"), "{}", no_one.message);
    let bad =
        t.draft(None, &DraftRequest { to: vec!["li at northwind".into()], ..request(id, "forward") }).unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    let missing = t.draft(None, &DraftRequest { template: Some("Nope".into()), ..request(id, "reply") }).unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert_eq!(t.draft(None, &request(id, "bcc")).unwrap_err().code, ErrorCode::InvalidInput);
}

#[test]
fn a_delegation_forwards_with_a_note_waits_on_the_delegate_and_comes_back_only_if_nobody_answers() {
    let (_d, mut t) = open_demo();
    let page = t.inbox(None, Some("needs_executive"), 0, 50, now()).unwrap();
    let other = page.items.iter().find(|m| m.id != pack(&t)).unwrap().id;
    let mut sent = Vec::new();
    for id in [pack(&t), other] {
        let draft = t
            .draft(
                None,
                &DraftRequest {
                    to: vec!["Li Wei <li.wei@northwind.example>".into()],
                    note: Some("Due Friday.".into()),
                    ..request(id, "delegate")
                },
            )
            .unwrap();
        assert!(
            draft.body.starts_with("Hi Li,\n\nDana would like you to take this one. Due Friday.\n"),
            "{}",
            draft.body
        );
        assert!(draft.body.contains("---------- Forwarded message ----------"));
        assert!(draft.subject.starts_with("Fwd: "));
        assert_eq!(draft.follow_up_days, Some(3));
        if id == pack(&t) {
            assert_eq!(draft.attachments, ["Q4 board pack.pdf"]);
        }
        sent.push(t.send_draft(None, &draft, now()).unwrap());
    }
    let item = t.read_message(None, pack(&t)).unwrap().item;
    assert_eq!(item.lane, "waiting_on_others");
    assert_eq!(item.lane_reason, "delegated to Li Wei on 24 Nov");
    assert_eq!(item.follow_up_at.as_deref(), Some("2026-11-27T14:00:00Z"));
    let raw = String::from_utf8(t.outbox_message(None, sent[0].outbox_id).unwrap()).unwrap();
    assert!(raw.contains("References: <board-pack-final@demo.northwind.example>"), "{raw}");
    assert!(!raw.contains("In-Reply-To"), "a forward starts its own conversation");
    let files = tandem_formats::mail::attached_files(raw.as_bytes());
    assert_eq!(
        files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["Q4 board pack.pdf"],
        "the board pack goes along"
    );
    assert!(files[0].bytes.starts_with(b"%PDF"));

    // Li answers the first (replying to the forward); the second gets no answer.
    let forward_id = raw.lines().find_map(|l| l.strip_prefix("Message-ID: ")).unwrap().trim().to_string();
    let reply = format!(
        "From: Li Wei <li.wei@northwind.example>\r\nTo: sam.rivera@northwind.example\r\nSubject: Re: Fwd: Q4 board pack (final)\r\n\
         Date: Wed, 25 Nov 2026 10:00:00 +0000\r\nMessage-ID: <li-answer@northwind.example>\r\nIn-Reply-To: {forward_id}\r\n\
         References: <board-pack-final@demo.northwind.example> {forward_id}\r\n\r\nOn it.\r\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reply.eml");
    std::fs::write(&file, reply).unwrap();
    assert_eq!(t.import_files(None, &[file], now() + Duration::days(1)).unwrap().files[0].added, 1);
    let due = t.due_mail(now() + Duration::days(3) + Duration::minutes(1)).unwrap();
    let follow_ups: Vec<i64> = due.iter().filter(|d| d.kind == "follow_up").map(|d| d.message.id).collect();
    assert_eq!(follow_ups, [other], "only the delegation nobody answered comes back");

    // Undo puts the message back where it was.
    t.undo_mail_action(None, sent[1].action_id, now()).unwrap();
    let back = t.read_message(None, other).unwrap().item;
    assert_eq!((back.lane.as_str(), back.follow_up_at), ("needs_executive", None));
}

#[test]
fn templates_are_the_eps_to_edit_and_a_typo_in_a_variable_is_refused_by_name() {
    let (_d, mut t) = open_demo();
    let doc = t.templates_document(None).unwrap();
    assert!(!doc.saved && doc.templates.len() >= 5);
    assert!(doc.variables.iter().any(|(k, _)| k == "sender.first"));
    let bad =
        t.save_templates(None, "[[template]]\nname = \"Short\"\nbody = \"Hi {sender.frist}\"\n", now()).unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidRules);
    assert!(bad.message.contains("'Short'") && bad.message.contains("{sender.frist}"), "{}", bad.message);
    assert!(!t.templates_document(None).unwrap().saved, "the defaults stay in force");
    let mine = "[[template]]\nname = \"Short\"\nsubject = \"{subject}: noted\"\nbody = \"Noted, {sender.first}.\"\n";
    t.save_templates(None, mine, now()).unwrap();
    let draft = t.draft(None, &DraftRequest { template: Some("Short".into()), ..request(pack(&t), "reply") }).unwrap();
    assert_eq!(draft.subject, "Q4 board pack (final): noted");
    assert!(draft.body.starts_with("Noted, Eleanor.\n"));
}
