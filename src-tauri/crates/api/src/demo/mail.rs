//! The demo inbox: a few hundred believable messages over the two weeks before `now` — board
//! and customer VIPs, urgent asks from directs, threads with replies, vendors, newsletters, and
//! invitations sent as iMIP mail (multipart/alternative with text/calendar; method=REQUEST).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::America::New_York;
use tandem_core::calendar::{Attendee, Event, EventTime, Participant, ParticipationStatus, Role};
use tandem_formats::ics::write_calendar;

use super::people::*;
use super::rng::Rng;

use tandem_sync::RawMail;

struct Template {
    subject: &'static str,
    body: &'static str,
    important: bool,
}

const VIP_ASKS: &[Template] = &[
    Template { subject: "Board pack: draft for your review", body: "Dana,\n\nAttached is the draft board pack. Could you review the strategy section and send comments by Thursday? The committee chairs want it locked by Friday noon.\n\nThanks,\n{from}", important: true },
    Template { subject: "Quick call before the board meeting?", body: "Dana,\n\nCan we find 20 minutes before the Q4 meeting? I want to align on the CFO succession question before it comes up in the room.\n\n{from}", important: true },
    Template { subject: "Renewal terms", body: "Hi Dana,\n\nOur procurement team has come back on the renewal. We can commit to three years if the price holds. Can you confirm by end of week? Happy to jump on a call.\n\nBest,\n{from}", important: false },
    Template { subject: "Following up on our dinner", body: "Dana,\n\nGreat to see you. As discussed, I'd like to introduce you to our Head of Automation. Let me know a couple of times that work in the next two weeks.\n\nWarm regards,\n{from}", important: false },
    Template { subject: "URGENT: press inquiry about the recall rumour", body: "Dana,\n\nA reporter contacted me about a supposed recall of the R7 arms. I have not responded. We need a holding statement today; can you call me?\n\n{from}", important: true },
];

/// Asks from directs, each with the index in [`DIRECTS`] of who would send it.
const DIRECT_ASKS: &[(usize, Template)] = &[
    (3, Template { subject: "Need your sign-off: FY27 hiring plan", body: "Dana,\n\nThe hiring plan needs your approval before Friday so recruiting can open the reqs on Monday. Summary: 42 roles, 60% engineering. Decision needed on the Berlin office headcount.\n\n{from}", important: true }),
    (0, Template { subject: "Decision needed: pricing change for Q1", body: "Hi Dana,\n\nWe need a go/no-go on the 6% list price increase. Sales leadership is split. My recommendation is go, with grandfathering for renewals in the next 90 days.\n\n{from}", important: true }),
    (4, Template { subject: "Contract for signature: Fabrikam MSA", body: "Dana,\n\nThe Fabrikam MSA is ready for your signature in DocuSign. Legal has cleared it; the only open point is the liability cap, which we accepted at 2x fees.\n\n{from}", important: false }),
    (2, Template { subject: "Update: Dayton line 3 ramp", body: "Team,\n\nLine 3 hit 82% of target output this week, up from 71%. Main constraint is the gripper supplier. No action needed from you yet.\n\n{from}", important: false }),
    (3, Template { subject: "Draft all-hands slides", body: "Dana,\n\nHere are the draft all-hands slides. Can you look at slides 4-7 (strategy) before Wednesday morning?\n\n{from}", important: false }),
    (1, Template { subject: "Engineering org changes", body: "Dana,\n\nI'd like to talk through two leadership changes in the platform team before I announce them. Nothing urgent, but before the end of the month please.\n\n{from}", important: false }),
];

const FYI: &[Template] = &[
    Template { subject: "Weekly metrics", body: "Hi all,\n\nThis week's dashboard is live. Bookings are 4% ahead of plan; churn is flat. Full details in the usual place.\n\n{from}", important: false },
    Template { subject: "Office move update", body: "Hi everyone,\n\nThe 12th floor move is on track for the 15th. Please pack your desks by the 13th.\n\n{from}", important: false },
    Template { subject: "Customer win: Contoso expansion", body: "Team,\n\nContoso signed the expansion this morning: 120 more units across two sites. Thanks to everyone involved!\n\n{from}", important: false },
    Template { subject: "Notes from the ops review", body: "Hi,\n\nNotes from today's ops review are attached. Three follow-ups, none for you.\n\n{from}", important: false },
];

/// One pitch per entry of [`VENDORS`], in the same order.
const VENDOR_PITCHES: &[Template] = &[
    Template { subject: "15 minutes to show you our analytics platform?", body: "Hi Dana,\n\nCompanies like yours cut reporting time by 40% with our platform. Do you have 15 minutes next week?\n\n{from}", important: false },
    Template { subject: "Operating model review: proposal", body: "Dana,\n\nAs promised, our proposal for the operating model review is attached: six weeks, two partners, fixed fee. Happy to walk Priya and you through it.\n\n{from}", important: false },
    Template { subject: "Speaking invitation: Robotics Summit 2027", body: "Dear Ms. Okafor,\n\nWe would be honoured to have you deliver a keynote at Robotics Summit 2027 in Boston. Please let us know by the end of the month.\n\n{from}", important: false },
    Template { subject: "Executive search: VP Manufacturing", body: "Hi Dana,\n\nFollowing up on our conversation, I have three strong candidates for the VP Manufacturing role. Could we schedule a 30-minute briefing?\n\n{from}", important: false },
];

/// One issue per entry of [`NEWSLETTERS`], in the same order.
const NEWSLETTER_ISSUES: &[Template] = &[
    Template { subject: "This week in robotics: cobots go mainstream", body: "Top stories this week: collaborative robots pass 10% of installs; three funding rounds over $100M; a look at warehouse automation in Europe. Unsubscribe at any time.", important: false },
    Template { subject: "Your morning briefing", body: "Markets opened higher. Industrial stocks led gains after strong factory data. Here is what to watch today. Unsubscribe at any time.", important: false },
    Template { subject: "You appeared in 14 searches this week", body: "See who's looking at your profile. 3 new connection requests are waiting. Manage notification settings.", important: false },
    Template { subject: "The SaaS metrics that matter in 2027", body: "This issue: net revenue retention benchmarks, pricing page teardown, and the state of usage-based billing. Unsubscribe at any time.", important: false },
];

fn header_address(p: &Person) -> String {
    format!("{} <{}>", p.name, p.address)
}

fn rfc2822(t: DateTime<Utc>) -> String {
    t.with_timezone(&New_York).to_rfc2822()
}

struct Draft<'a> {
    id: String,
    from: &'a Person,
    to: Vec<&'a Person>,
    subject: String,
    body: String,
    date: DateTime<Utc>,
    important: bool,
    in_reply_to: Option<String>,
    list: bool,
}

fn render(d: &Draft<'_>) -> Vec<u8> {
    let mut h = String::new();
    h.push_str(&format!("From: {}\r\n", header_address(d.from)));
    let to: Vec<String> = d.to.iter().map(|p| header_address(p)).collect();
    h.push_str(&format!("To: {}\r\n", to.join(", ")));
    h.push_str(&format!("Subject: {}\r\n", d.subject));
    h.push_str(&format!("Date: {}\r\n", rfc2822(d.date)));
    h.push_str(&format!("Message-ID: <{}>\r\n", d.id));
    if let Some(parent) = &d.in_reply_to {
        h.push_str(&format!("In-Reply-To: <{parent}>\r\nReferences: <{parent}>\r\n"));
    }
    if d.important {
        h.push_str("Importance: high\r\nX-Priority: 1\r\n");
    }
    if d.list {
        h.push_str(&format!(
            "List-Unsubscribe: <mailto:unsubscribe@{}>\r\nPrecedence: bulk\r\n",
            d.from.address.split('@').nth(1).unwrap_or("")
        ));
    }
    h.push_str(
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
    );
    h.push_str(&d.body.replace('\n', "\r\n"));
    h.push_str("\r\n");
    h.into_bytes()
}

fn first_name(p: &Person) -> &str {
    p.name.split(' ').next().unwrap_or(p.name)
}

/// Dana's inbox: `count` messages plus the invitation mails, all dated before `now`.
pub fn dana_inbox(now: DateTime<Utc>, monday: NaiveDate, count: usize) -> Vec<RawMail> {
    let mut rng = Rng::new(0x007a_4de3_2026);
    let mut drafts: Vec<Draft<'_>> = Vec::new();
    let span_minutes = 14 * 24 * 60;
    let vips: Vec<&Person> = BOARD.iter().chain(KEY_CUSTOMERS.iter()).collect();
    for i in 0..count {
        let date = now - Duration::minutes(5 + rng.below(span_minutes) as i64);
        let roll = rng.below(100);
        let (from, t, list): (&Person, &Template, bool) = match roll {
            0..=9 => (*rng.pick(&vips), rng.pick(VIP_ASKS), false),
            10..=34 => {
                let (who, t) = rng.pick(DIRECT_ASKS);
                (&DIRECTS[*who], t, false)
            }
            35..=54 => (rng.pick(COLLEAGUES), rng.pick(FYI), false),
            55..=66 => {
                let i = rng.below(VENDOR_PITCHES.len() as u64) as usize;
                (&VENDORS[i], &VENDOR_PITCHES[i], false)
            }
            _ => {
                let i = rng.below(NEWSLETTER_ISSUES.len() as u64) as usize;
                (&NEWSLETTERS[i], &NEWSLETTER_ISSUES[i], true)
            }
        };
        let to = if list {
            vec![&DANA]
        } else if rng.chance(30) {
            vec![&DANA, &SAM_EP]
        } else {
            vec![&DANA]
        };
        drafts.push(Draft {
            id: format!("demo-{i:04}@{}", from.address.split('@').nth(1).unwrap_or("example")),
            from,
            to,
            subject: t.subject.to_string(),
            body: t.body.replace("{from}", first_name(from)),
            date,
            important: t.important,
            in_reply_to: None,
            list,
        });
    }
    // Replies: Sam and Dana answer some of the asks, and senders answer back, forming threads.
    let asks: Vec<usize> = (0..drafts.len())
        .filter(|&i| !drafts[i].list && drafts[i].from.address.contains("northwind"))
        .take(30)
        .collect();
    for (n, &i) in asks.iter().enumerate() {
        let parent_id = drafts[i].id.clone();
        let parent_from = drafts[i].from;
        let reply_date = drafts[i].date + Duration::minutes(20 + rng.below(240) as i64);
        if reply_date >= now {
            continue;
        }
        let subject = format!("Re: {}", drafts[i].subject);
        let follow_up = n % 3 == 0;
        drafts.push(Draft {
            id: format!("demo-reply-{n:03}@northwind.example"),
            from: parent_from,
            to: vec![&DANA, &SAM_EP],
            subject,
            body: if follow_up {
                format!("Dana, Sam,\n\nFollowing up on this one: any update? I need an answer before tomorrow's review.\n\n{}", first_name(parent_from))
            } else {
                format!("Sam,\n\nThanks for scheduling. Adding the numbers here so Dana has them before we meet.\n\n{}", first_name(parent_from))
            },
            date: reply_date,
            important: follow_up,
            in_reply_to: Some(parent_id),
            list: false,
        });
    }
    let mut out: Vec<RawMail> = drafts.iter().map(|d| RawMail::inbox(d.id.clone(), render(d))).collect();
    out.extend(invitation_mails(now, monday));
    out.extend(particular_mails(now));
    out
}

/// Messages that show what triage and safe display do with mail as it really comes: an HTML
/// newsletter through a list (with a remote image, a tracking pixel and a script the viewer
/// must neutralise), a board pack with a PDF, an automatic reply, a promise to come back, a
/// copy, and Dana's own sent question still waiting for its answer.
fn particular_mails(now: DateTime<Utc>) -> Vec<RawMail> {
    let at = |hours: i64| rfc2822(now - Duration::hours(hours));
    let news = &NEWSLETTERS[0];
    let html_news = format!(
        "From: {from}\r\nTo: {dana}\r\nSubject: Robotics Weekly: the humanoid issue\r\nDate: {date}\r\n\
Message-ID: <weekly-html-48@demo.northwind.example>\r\nList-Id: Robotics Weekly <weekly.robotics.example>\r\n\
List-Unsubscribe: <https://robotics.example/unsubscribe?u=dana>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"news-48\"\r\n\r\n\
--news-48\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThis week: humanoids leave the lab. Read online.\r\n\
--news-48\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<html><head><style>h1{{color:#0a6}}</style><script>document.title='pwned'</script></head>\
<body onload=\"alert(1)\"><h1>Humanoids leave the lab</h1>\
<p>Three pilots moved from demo to production this quarter. <a href=\"https://robotics.example/read\">Read online</a>.</p>\
<img src=\"https://tracker.robotics.example/open.gif?u=dana\" width=\"1\" height=\"1\" alt=\"\">\
<img src=\"https://robotics.example/cover.jpg\" alt=\"Cover: a humanoid at a workbench\">\
<p><a href=\"javascript:alert(2)\">Manage preferences</a></p></body></html>\r\n--news-48--\r\n",
        from = header_address(news),
        dana = header_address(&DANA),
        date = at(9),
    );
    let chair = &BOARD[0];
    let pack = format!(
        "From: {from}\r\nTo: {dana}\r\nSubject: Q4 board pack (final)\r\nDate: {date}\r\n\
Message-ID: <board-pack-final@demo.northwind.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"pack\"\r\n\r\n\
--pack\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDana,\r\n\r\nThe final pack is attached. Please read the CFO succession paper before Thursday.\r\n\r\nEleanor\r\n\
--pack\r\nContent-Type: application/pdf; name=\"Q4 board pack.pdf\"\r\nContent-Disposition: attachment; filename=\"Q4 board pack.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoKdHJhaWxlcgo8PC9Sb290IDEgMCBSPj4KJSVFT0YK\r\n--pack--\r\n",
        from = header_address(chair),
        dana = header_address(&DANA),
        date = at(5),
    );
    let customer = &KEY_CUSTOMERS[0];
    let away = format!(
        "From: {from}\r\nTo: {dana}\r\nSubject: Automatic reply: Renewal terms\r\nDate: {date}\r\n\
Message-ID: <ooo-renewal@demo.northwind.example>\r\nAuto-Submitted: auto-replied\r\nIn-Reply-To: <dana-sent-renewal@northwind.example>\r\n\
MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nI am out of the office until Monday with limited access to e-mail.\r\n",
        from = header_address(customer),
        dana = header_address(&DANA),
        date = at(20),
    );
    let vendor = &VENDORS[1];
    let promise = format!(
        "From: {from}\r\nTo: {dana}, {sam}\r\nSubject: Re: Operating model review: proposal\r\nDate: {date}\r\n\
Message-ID: <promise-fees@demo.northwind.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Dana, Sam,\r\n\r\nThanks for the call. I'll get back to you with revised fees once our partners have met.\r\n\r\n{first}\r\n",
        from = header_address(vendor),
        dana = header_address(&DANA),
        sam = header_address(&SAM_EP),
        date = at(30),
        first = first_name(vendor),
    );
    let copy = format!(
        "From: {from}\r\nTo: {board}\r\nCc: {dana}\r\nSubject: Audit committee: revised timetable\r\nDate: {date}\r\n\
Message-ID: <audit-timetable@demo.northwind.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Eleanor,\r\n\r\nThe auditors have moved the fieldwork by a week; the revised timetable is below. Dana is copied.\r\n\r\n{first}\r\n",
        from = header_address(CFO),
        board = header_address(chair),
        dana = header_address(&DANA),
        date = at(26),
        first = first_name(CFO),
    );
    let sent = format!(
        "From: {dana}\r\nTo: {to}\r\nSubject: Renewal terms\r\nDate: {date}\r\n\
Message-ID: <dana-sent-renewal@northwind.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Ava,\r\n\r\nCould you send me the three-year numbers before we speak?\r\n\r\nDana\r\n",
        dana = header_address(&DANA),
        to = header_address(customer),
        date = at(22),
    );
    let mut out: Vec<RawMail> = [
        ("weekly-html-48", html_news),
        ("board-pack-final", pack),
        ("ooo-renewal", away),
        ("promise-fees", promise),
        ("audit-timetable", copy),
    ]
    .into_iter()
    .map(|(label, raw)| RawMail::inbox(label, raw.into_bytes()))
    .collect();
    out.push(RawMail { folder: "Sent".into(), ..RawMail::inbox("dana-sent-renewal", sent.into_bytes()) });
    out
}

/// Invitations that arrive by mail, each with a text/plain and a text/calendar REQUEST part.
fn invitation_mails(now: DateTime<Utc>, monday: NaiveDate) -> Vec<RawMail> {
    let next = monday + Duration::weeks(1);
    let nyc = |day: NaiveDate, h: u32, m: u32| EventTime::Zoned {
        local: day.and_hms_opt(h, m, 0).expect("valid"),
        zone: New_York,
    };
    let cases: &[(&str, &Person, &str, NaiveDate, u32, u32, i64)] = &[
        ("imip-strategy-offsite", &BOARD[0], "Strategy offsite planning", next + Duration::days(2), 10, 0, 90),
        (
            "imip-fabrikam-followup",
            &KEY_CUSTOMERS[1],
            "Fabrikam: follow-up on pilot scope",
            next + Duration::days(1),
            11,
            0,
            45,
        ),
        ("imip-security-review", CTO, "Security incident review", next, 15, 0, 60),
        ("imip-panel", &VENDORS[2], "Robotics Summit speaker prep", next + Duration::days(3), 16, 0, 30),
        ("imip-search-briefing", &VENDORS[3], "VP Manufacturing search briefing", next + Duration::days(4), 9, 30, 30),
        ("imip-legal-update", GC, "Litigation update (privileged)", next + Duration::days(1), 14, 0, 45),
        ("imip-friday-drinks", &COLLEAGUES[0], "Team drinks", next + Duration::days(4), 17, 30, 90),
        ("imip-investor-dinner", &BOARD[1], "Investor dinner", next + Duration::days(3), 19, 0, 150),
    ];
    cases
        .iter()
        .enumerate()
        .map(|(i, (name, organizer, summary, day, h, m, minutes))| {
            let start = nyc(*day, *h, *m);
            let mut e = Event::new(format!("{name}@demo.northwind.example"), *summary, start);
            let end_local = day.and_hms_opt(*h, *m, 0).expect("valid") + Duration::minutes(*minutes);
            e.end = Some(EventTime::Zoned { local: end_local, zone: New_York });
            e.organizer = Some(Participant::new(organizer.address, Some(organizer.name.into())));
            e.attendees = vec![
                Attendee { participant: Participant::new(organizer.address, Some(organizer.name.into())), role: Role::Chair, status: ParticipationStatus::Accepted, rsvp: false },
                Attendee { participant: Participant::new(DANA.address, Some(DANA.name.into())), role: Role::Required, status: ParticipationStatus::NeedsAction, rsvp: true },
            ];
            let sent = now - Duration::hours(3 + 7 * i as i64);
            let ics = write_calendar(None, Some("REQUEST"), &[e], sent);
            let id = format!("{name}-invite@demo.northwind.example");
            let when = day.format("%A %-d %B").to_string();
            let raw = format!(
                "From: {from}\r\nTo: {to}\r\nSubject: Invitation: {summary} @ {when} {h:02}:{m:02}\r\nDate: {date}\r\nMessage-ID: <{id}>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"tandem-demo-{i}\"\r\n\r\n\
--tandem-demo-{i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
{first} has invited you to \"{summary}\" on {when} at {h:02}:{m:02} (New York).\r\n\r\n\
--tandem-demo-{i}\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n{ics}\r\n--tandem-demo-{i}--\r\n",
                from = header_address(organizer),
                to = header_address(&DANA),
                date = rfc2822(sent),
                first = first_name(organizer),
            );
            RawMail::inbox(id, raw.into_bytes())
        })
        .collect()
}

/// Marcus's small inbox.
pub fn marcus_inbox(now: DateTime<Utc>) -> Vec<RawMail> {
    let mut rng = Rng::new(0x3a7c05);
    (0..30)
        .map(|i| {
            let from = rng.pick(COLLEAGUES);
            let t = rng.pick(FYI);
            let d = Draft {
                id: format!("marcus-{i:03}@northwind.example"),
                from,
                to: vec![COO],
                subject: t.subject.to_string(),
                body: t.body.replace("{from}", first_name(from)),
                date: now - Duration::minutes(10 + rng.below(7 * 24 * 60) as i64),
                important: false,
                in_reply_to: None,
                list: false,
            };
            RawMail::inbox(d.id.clone(), render(&d))
        })
        .collect()
}
