use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::New_York;

use super::*;
use crate::calendar::freebusy::Busy;
use crate::calendar::travel::DayPlace;
use crate::calendar::{Attendee, Event, EventTime, Participant, ParticipationStatus, Role};

const PROFILE: &str = r#"
id = "dana-okafor"
name = "Dana Okafor"
addresses = ["dana@northwind.example", "d.okafor@northwind.example"]
home_time_zone = "America/New_York"
our_domains = ["northwind.example"]

[working_hours]
mon = "09:00-17:00"
tue = "09:00-17:00"
wed = "09:00-17:00"
thu = "09:00-17:00"
fri = "09:00-17:00"

[[focus_blocks]]
label = "Deep work"
days = ["wed"]
time = "09:00-10:30"

[buffers]
before_minutes = 10
after_minutes = 10

[groups]
vip = ["chair@board.example", "@bigcustomer.example"]
board = ["chair@board.example", "treasurer@board.example"]
directs = ["lee@northwind.example"]
"#;

fn profile() -> ExecutiveProfile {
    ExecutiveProfile::from_toml(PROFILE).unwrap()
}

fn rules(text: &str) -> RuleSet {
    RuleSet::from_toml(text, &profile()).unwrap_or_else(|e| panic!("{e}"))
}

/// Tuesday 24 November 2026, 09:00 in New York.
fn now() -> DateTime<Utc> {
    "2026-11-24T14:00:00Z".parse().unwrap()
}

fn ny(day: u32, h: u32, m: u32) -> EventTime {
    EventTime::Zoned {
        local: NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(h, m, 0).unwrap(),
        zone: New_York,
    }
}

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    ny(day, h, m).to_utc(New_York)
}

/// An invitation to Dana (required, not answered) from `organizer`, `minutes` long.
fn invite(summary: &str, start: EventTime, minutes: i64, organizer: &str) -> Event {
    let mut e = Event::new(format!("{summary}@test"), summary, start);
    e.duration_seconds = Some(minutes * 60);
    e.organizer = Some(Participant::new(organizer, Some("Organizer Person".into())));
    e.attendees.push(attendee("dana@northwind.example", Role::Required));
    e.attendees.push(attendee(organizer, Role::Chair));
    e
}

fn attendee(address: &str, role: Role) -> Attendee {
    Attendee {
        participant: Participant::new(address, None),
        role,
        status: ParticipationStatus::NeedsAction,
        rsvp: true,
    }
}

fn busy(summary: &str, start: DateTime<Utc>, minutes: i64, tier: Tier) -> Commitment {
    Commitment {
        uid: format!("{summary}@cal"),
        summary: summary.into(),
        start,
        end: start + chrono::Duration::minutes(minutes),
        hold: Busy::Busy,
        tier,
    }
}

struct World {
    profile: ExecutiveProfile,
    calendars: Vec<String>,
    commitments: Vec<Commitment>,
    places: Vec<DayPlace>,
    now: DateTime<Utc>,
}

impl World {
    fn new() -> Self {
        Self {
            profile: profile(),
            calendars: vec!["Invitations".into()],
            commitments: vec![],
            places: vec![],
            now: now(),
        }
    }
    fn judge(&self, rules: &RuleSet, e: &Event) -> Verdict {
        let s = Situation {
            profile: &self.profile,
            now: self.now,
            calendars: &self.calendars,
            commitments: &self.commitments,
            places: &self.places,
        };
        evaluate(rules, e, &s)
    }
}

fn one_rule(action: &str, when: &str) -> RuleSet {
    rules(&format!("[[rule]]\nname = \"R\"\naction = \"{action}\"\nwhen = {{ {when} }}\n"))
}

/// Whether a one-rule set with `when` matches `e` in `w`.
fn fires(w: &World, when: &str, e: &Event) -> bool {
    w.judge(&one_rule("accept", when), e).rule.is_some()
}

const EP_RULES: &str = r#"
# Dana's rules. First match wins.
[[rule]]
name = "Board is P0"
action = "set_priority"
tier = "P0"
when = { organizer = "board" }

[[rule]]
name = "Board always gets a yes"
action = "accept"
message = "Dana will be there."
when = { organizer = ["board"] }

[[rule]]
name = "Protect Friday afternoons"
action = "decline"
reason = "Friday after 13:00 is protected"
message = "Dana keeps Friday afternoons for planning."
when = { weekdays = ["fri"], time = "13:00-24:00" }
unless = { organizer = ["vip"] }

[[rule]]
name = "Clashes with a P0 come to me"
action = "hold"
when = { conflicts_with = ["P0"] }

[[rule]]
name = "Vendors go to Lee"
action = "delegate"
delegate_to = "lee@northwind.example"
when = { organizer = "@vendor.example", recurring = false }

[[rule]]
name = "Optional and busy: tentative"
action = "tentative"
when = { role = "optional", conflicts_with = "anything" }
enabled = false

[[rule]]
name = "Late external asks get another time"
action = "counter"
message = "Could we meet a little earlier?"
when = { organizer = "external", outside_working_hours = true }
"#;

#[test]
fn a_rules_document_round_trips_through_the_form_writer() {
    let set = rules(EP_RULES);
    assert_eq!(set.rules.len(), 7);
    assert_eq!(set.rules[3].action, DecisionAction::HoldForReview, "`hold` is read as hold_for_review");
    assert_eq!(set.rules[6].action, DecisionAction::CounterPropose, "`counter` is read as counter_propose");
    assert!(!set.rules[5].enabled);
    assert_eq!(set.rules[2].when.time.unwrap().to_string(), "13:00-24:00");
    let again = RuleSet::from_toml(&set.to_toml(), &profile()).unwrap();
    assert_eq!(again, set);
}

#[test]
fn an_empty_document_is_no_rules_and_everything_is_held_for_review() {
    let set = rules("# nothing yet\n");
    let v = World::new().judge(&set, &invite("Sync", ny(25, 10, 0), 30, "x@other.example"));
    assert_eq!(v.action, DecisionAction::HoldForReview);
    assert_eq!((v.rule, v.reason.as_str()), (None, "Held for review: no rule matched"));
}

fn error_of(text: &str) -> RulesError {
    RuleSet::from_toml(text, &profile()).unwrap_err()
}

fn invalid(index: usize, name: Option<&str>, field: &str, reason_part: &str, text: &str) {
    match error_of(text) {
        RulesError::Invalid { index: i, name: n, field: f, reason } => {
            assert_eq!((i, n.as_deref(), f.as_str()), (index, name, field), "{reason}");
            assert!(reason.contains(reason_part), "'{reason}' should say '{reason_part}'");
        }
        other => panic!("expected an invalid rule, got {other:?}"),
    }
}

#[test]
fn a_misspelt_condition_names_the_rule_and_the_field() {
    let text = "[[rule]]\nname = \"Ok\"\naction = \"accept\"\n[[rule]]\nname = \"Fridays\"\naction = \"decline\"\nwhen = { weekday = [\"fri\"] }\n";
    invalid(2, Some("Fridays"), "when.weekday", "unknown field `weekday`", text);
}

#[test]
fn a_value_of_the_wrong_kind_names_the_field_path() {
    invalid(
        1,
        Some("R"),
        "when.duration_minutes.min",
        "",
        "[[rule]]\nname = \"R\"\naction = \"accept\"\nwhen = { duration_minutes = { min = \"long\" } }\n",
    );
    invalid(1, Some("R"), "action", "unknown variant `maybe`", "[[rule]]\nname = \"R\"\naction = \"maybe\"\n");
    invalid(
        1,
        Some("R"),
        "when.time",
        "ends before it starts",
        "[[rule]]\nname = \"R\"\naction = \"accept\"\nwhen = { time = \"17:00-09:00\" }\n",
    );
    invalid(
        1,
        Some("R"),
        "when.time",
        "is not a time",
        "[[rule]]\nname = \"R\"\naction = \"accept\"\nwhen = { time = \"13:00-25:00\" }\n",
    );
    invalid(
        1,
        Some("R"),
        "when.conflicts_with[1]",
        "'P9' is not one of anything",
        "[[rule]]\nname = \"R\"\naction = \"hold\"\nwhen = { conflicts_with = [\"P0\", \"P9\"] }\n",
    );
}

#[test]
fn what_the_types_cannot_catch_is_caught_with_the_rule_and_field() {
    let rule = |action: &str, rest: &str| format!("[[rule]]\nname = \"R\"\naction = \"{action}\"\n{rest}\n");
    invalid(
        1,
        Some("R"),
        "when.organizer[0]",
        "group of the profile (board, directs, vip)",
        &rule("accept", "when = { organizer = [\"bored\"] }"),
    );
    invalid(
        1,
        Some("R"),
        "unless.weekdays[1]",
        "not one of mon",
        &rule("accept", "unless = { weekdays = [\"fri\", \"friday\"] }"),
    );
    invalid(1, Some("R"), "delegate_to", "needs the address", &rule("delegate", ""));
    invalid(1, Some("R"), "delegate_to", "not an e-mail address", &rule("delegate", "delegate_to = \"lee\""));
    invalid(1, Some("R"), "tier", "needs the tier", &rule("set_priority", ""));
    invalid(1, Some("R"), "tier", "only a set_priority rule", &rule("accept", "tier = \"P1\""));
    invalid(
        1,
        Some("R"),
        "when.lead_hours",
        "min 48 is above max 24",
        &rule("accept", "when = { lead_hours = { min = 48, max = 24 } }"),
    );
    invalid(
        1,
        Some("R"),
        "when.attendee_count",
        "give min, max or both",
        &rule("accept", "when = { attendee_count = {} }"),
    );
    invalid(1, Some("R"), "when.title[0]", "matches every title", &rule("accept", "when = { title = [\" \"] }"));
    invalid(1, None, "name", "needs a name", "[[rule]]\nname = \" \"\naction = \"accept\"\n");
    invalid(
        2,
        Some("r"),
        "name",
        "another rule has this name",
        "[[rule]]\nname = \"R\"\naction = \"accept\"\n[[rule]]\nname = \"r\"\naction = \"hold\"\n",
    );
    invalid(1, None, "name", "missing field `name`", "[[rule]]\naction = \"accept\"\n");
}

#[test]
fn a_document_that_is_not_toml_or_not_rules_says_where() {
    assert!(matches!(error_of("[[rule]]\nname = \n"), RulesError::Syntax(m) if m.starts_with("line 2")));
    assert!(matches!(error_of("rules = []\n"), RulesError::Document { field, .. } if field == "rules"));
    assert!(matches!(error_of("rule = 3\n"), RulesError::Document { field, .. } if field == "rule"));
}

#[test]
fn the_first_matching_rule_decides_with_its_reason_and_message() {
    let set = rules(EP_RULES);
    let w = World::new();
    let board = invite("Audit committee", ny(27, 15, 0), 60, "chair@board.example");
    let v = w.judge(&set, &board);
    assert_eq!(v.action, DecisionAction::Accept);
    assert_eq!(v.rule.as_deref(), Some("Board always gets a yes"));
    assert_eq!(v.message.as_deref(), Some("Dana will be there."));
    assert_eq!(v.tier, Some(Tier::P0), "set_priority is not final: it set the tier and evaluation went on");
    assert_eq!(
        v.reason,
        "Accepted: organized by Organizer Person (board) (rule 'Board always gets a yes'); \
         tier P0 (organized by Organizer Person (board), rule 'Board is P0')"
    );

    let friday = invite("Pipeline review", ny(27, 14, 0), 30, "sam@northwind.example");
    let v = w.judge(&set, &friday);
    assert_eq!(v.action, DecisionAction::Decline);
    assert_eq!(v.reason, "Declined: Friday after 13:00 is protected (rule 'Protect Friday afternoons')");
    assert_eq!(v.message.as_deref(), Some("Dana keeps Friday afternoons for planning."));
    assert_eq!(v.tier, None);
}

#[test]
fn unless_stops_a_rule_and_the_next_one_is_tried() {
    let set = rules(EP_RULES);
    let w = World::new();
    // A VIP on Friday afternoon: not declined; a VIP from outside, late, gets a counter instead.
    let vip = invite("QBR", ny(27, 16, 30), 60, "ceo@bigcustomer.example");
    let v = w.judge(&set, &vip);
    assert_eq!(v.rule.as_deref(), Some("Late external asks get another time"), "{}", v.reason);
    assert_eq!(v.action, DecisionAction::CounterPropose);
}

#[test]
fn a_disabled_rule_is_skipped() {
    let set = rules(EP_RULES);
    let mut w = World::new();
    w.commitments.push(busy("1:1 Lee", at(25, 11, 0), 30, Tier::P2));
    let mut optional = invite("All hands", ny(25, 11, 0), 60, "comms@northwind.example");
    optional.attendees[0].role = Role::Optional;
    assert_eq!(w.judge(&set, &optional).rule, None, "the only rule that matches is switched off");
}

#[test]
fn people_are_matched_by_address_domain_group_and_internal_or_external() {
    let w = World::new();
    let e = invite("Sync", ny(25, 10, 0), 30, "CEO@EU.BigCustomer.example");
    assert!(fires(&w, "organizer = \"ceo@eu.bigcustomer.example\"", &e));
    assert!(fires(&w, "organizer = \"@bigcustomer.example\"", &e), "subdomains count");
    assert!(fires(&w, "organizer = \"vip\"", &e));
    assert!(fires(&w, "organizer = \"external\"", &e));
    assert!(!fires(&w, "organizer = \"internal\"", &e));
    assert!(!fires(&w, "organizer = [\"board\", \"@customer.example\"]", &e), "a domain is not a suffix of a name");
    let mut with_lee = invite("Sync", ny(25, 10, 0), 30, "x@other.example");
    assert!(!fires(&w, "attendee = \"directs\"", &with_lee));
    with_lee.attendees.push(attendee("lee@northwind.example", Role::Optional));
    assert!(fires(&w, "attendee = \"directs\"", &with_lee));
    assert!(
        !fires(&w, "attendee = \"@northwind.example\", organizer = \"internal\"", &with_lee),
        "all conditions must hold"
    );
    // The executive's own attendee entry is never "another attendee".
    assert!(!fires(&w, "attendee = \"dana@northwind.example\"", &with_lee));
}

#[test]
fn title_words_match_whole_words_case_insensitively() {
    let w = World::new();
    let e = invite("Dana / Lee 1:1 (Interview debrief)", ny(25, 10, 0), 30, "x@other.example");
    assert!(fires(&w, "title = [\"interview\"]", &e));
    assert!(fires(&w, "title = \"1:1\"", &e));
    assert!(fires(&w, "title = \"interview debrief\"", &e));
    assert!(!fires(&w, "title = \"view\"", &e), "part of a word is not the word");
    assert!(!fires(&w, "title = [\"board\", \"offsite\"]", &e));
}

#[test]
fn calendar_names_match_the_calendars_the_invitation_is_in() {
    let mut w = World::new();
    let e = invite("Sync", ny(25, 10, 0), 30, "x@other.example");
    assert!(fires(&w, "calendar = \"invitations\"", &e));
    w.calendars = vec!["Board".into()];
    assert!(!fires(&w, "calendar = \"Invitations\"", &e));
}

#[test]
fn weekday_and_time_of_day_are_read_where_the_executive_is_that_day() {
    let mut w = World::new();
    // Friday 27 Nov 20:00 in New York is Saturday 01:00 in London.
    let e = invite("Late call", ny(27, 20, 0), 30, "x@other.example");
    assert!(fires(&w, "weekdays = \"fri\", time = \"19:00-21:00\"", &e));
    assert!(!fires(&w, "time = \"13:00-20:00\"", &e), "the range's end is not included");
    for d in 27..=28 {
        w.places.push(DayPlace {
            date: NaiveDate::from_ymd_opt(2026, 11, d).unwrap(),
            zone: chrono_tz::Europe::London,
            other_zone: None,
            place: Some("London".into()),
            reason: "itinerary".into(),
        });
    }
    assert!(fires(&w, "weekdays = \"sat\", time = \"00:00-02:00\"", &e));
    assert!(!fires(&w, "weekdays = \"fri\"", &e));
    let v = w.judge(&one_rule("decline", "weekdays = [\"sat\", \"sun\"], time = \"00:00-06:00\""), &e);
    assert_eq!(v.reason, "Declined: on a Saturday, overlapping 00:00-06:00 (rule 'R')");
}

#[test]
fn outside_working_hours_includes_days_off_and_meetings_that_run_over() {
    let w = World::new();
    assert!(fires(&w, "outside_working_hours = true", &invite("Early", ny(25, 8, 30), 60, "x@o.example")));
    assert!(fires(&w, "outside_working_hours = true", &invite("Runs over", ny(25, 16, 30), 60, "x@o.example")));
    assert!(!fires(&w, "outside_working_hours = true", &invite("Inside", ny(25, 16, 0), 60, "x@o.example")));
    assert!(fires(&w, "outside_working_hours = false", &invite("Inside", ny(25, 16, 0), 60, "x@o.example")));
    let saturday = invite("Brunch", ny(28, 11, 0), 60, "x@o.example");
    let v = w.judge(&one_rule("decline", "outside_working_hours = true"), &saturday);
    assert_eq!(v.reason, "Declined: on Dana's day off (rule 'R')");
}

#[test]
fn duration_lead_time_and_attendee_count_use_inclusive_bounds() {
    let w = World::new();
    let long = invite("Workshop", ny(30, 9, 0), 180, "x@o.example");
    assert!(fires(&w, "duration_minutes = { min = 180 }", &long));
    assert!(!fires(&w, "duration_minutes = { max = 179 }", &long));
    // Now is Tue 09:00; Tue 14:00 is five hours away.
    let soon = invite("Urgent", ny(24, 14, 0), 30, "x@o.example");
    assert!(fires(&w, "lead_hours = { max = 24 }", &soon));
    assert!(!fires(&w, "lead_hours = { min = 6 }", &soon));
    let v = w.judge(&one_rule("hold", "lead_hours = { max = 24 }"), &soon);
    assert_eq!(v.reason, "Held for review: with 5 hours' notice (rule 'R')");
    let mut big = invite("Town hall", ny(25, 10, 0), 60, "comms@northwind.example");
    assert!(fires(&w, "attendee_count = { max = 2 }", &big), "Dana and the organizer");
    for i in 0..12 {
        big.attendees.push(attendee(&format!("p{i}@northwind.example"), Role::Required));
    }
    assert!(fires(&w, "attendee_count = { min = 14, max = 14 }", &big));
}

#[test]
fn recurring_series_and_their_overrides_count_as_recurring() {
    let w = World::new();
    let mut weekly = invite("Weekly sync", ny(25, 10, 0), 30, "x@o.example");
    assert!(fires(&w, "recurring = false", &weekly));
    weekly.rrules.push("FREQ=WEEKLY".into());
    assert!(fires(&w, "recurring = true", &weekly));
    let mut moved = invite("Weekly sync", ny(26, 10, 0), 30, "x@o.example");
    moved.recurrence_id = Some(ny(25, 10, 0));
    assert!(fires(&w, "recurring = true", &moved));
}

#[test]
fn the_executives_role_is_required_optional_or_chair() {
    let w = World::new();
    let mut e = invite("Review", ny(25, 10, 0), 30, "x@o.example");
    assert!(fires(&w, "role = \"required\"", &e));
    e.attendees[0].role = Role::Optional;
    assert!(fires(&w, "role = [\"optional\", \"chair\"]", &e));
    let v = w.judge(&one_rule("tentative", "role = \"optional\""), &e);
    assert_eq!(v.action, DecisionAction::Tentative);
    assert_eq!(v.reason, "Tentatively accepted: Dana is optional (rule 'R')");
}

#[test]
fn conflicts_are_found_with_anything_busy_a_tier_focus_time_and_buffers() {
    let mut w = World::new();
    let e = invite("Sync", ny(25, 11, 0), 30, "x@o.example");
    assert!(!fires(&w, "conflicts_with = \"anything\"", &e));
    let mut tentative = busy("Maybe lunch", at(25, 11, 15), 60, Tier::P3);
    tentative.hold = Busy::Tentative;
    w.commitments.push(tentative);
    assert!(fires(&w, "conflicts_with = \"anything\"", &e));
    assert!(!fires(&w, "conflicts_with = \"busy\"", &e));
    assert!(fires(&w, "conflicts_with = \"P3\"", &e));
    w.commitments.push(busy("Board prep", at(25, 10, 45), 30, Tier::P0));
    assert!(fires(&w, "conflicts_with = \"busy\"", &e));
    let v = w.judge(&one_rule("hold", "conflicts_with = \"P0\""), &e);
    assert_eq!(v.reason, "Held for review: clashing with 'Board prep' (P0) on Wed 25 Nov 10:45 (rule 'R')");
    // The invitation's own UID in the calendars (an earlier copy) is not a clash.
    let mut w = World::new();
    w.commitments.push(Commitment { uid: e.uid.clone(), ..busy("Sync", at(25, 11, 0), 30, Tier::P2) });
    assert!(!fires(&w, "conflicts_with = \"anything\"", &e));
    // Focus time is the profile's: Wednesdays 09:00-10:30.
    assert!(fires(&w, "conflicts_with = \"focus\"", &invite("Early", ny(25, 10, 0), 60, "x@o.example")));
    assert!(!fires(&w, "conflicts_with = \"focus\"", &invite("Early", ny(26, 10, 0), 60, "x@o.example")));
    // Buffers: 10 minutes around a firm meeting, without overlapping it.
    w.commitments.push(busy("Client call", at(26, 14, 0), 60, Tier::P1));
    assert!(fires(&w, "conflicts_with = \"buffers\"", &invite("Right after", ny(26, 15, 5), 30, "x@o.example")));
    assert!(!fires(&w, "conflicts_with = \"buffers\"", &invite("Later", ny(26, 15, 10), 30, "x@o.example")));
    assert!(!fires(&w, "conflicts_with = \"buffers\"", &invite("Overlaps", ny(26, 14, 30), 30, "x@o.example")));
}

#[test]
fn a_recurring_invitation_clashes_when_any_instance_in_the_horizon_does() {
    let mut w = World::new();
    let mut weekly = invite("Weekly sync", ny(25, 11, 0), 30, "x@o.example");
    weekly.rrules.push("FREQ=WEEKLY".into());
    w.commitments.push(busy("Offsite", "2026-12-16T16:00:00Z".parse().unwrap(), 60, Tier::P1));
    let v = w.judge(&one_rule("hold", "conflicts_with = \"P1\""), &weekly);
    assert_eq!(v.reason, "Held for review: clashing with 'Offsite' (P1) on Wed 16 Dec 11:00 (rule 'R')");
}

#[test]
fn in_person_elsewhere_compares_the_meetings_zone_with_where_the_executive_is() {
    let mut w = World::new();
    let london = EventTime::Zoned {
        local: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(15, 0, 0).unwrap(),
        zone: chrono_tz::Europe::London,
    };
    let mut e = invite("Lunch with investors", london, 60, "x@o.example");
    assert!(!fires(&w, "in_person_elsewhere = true", &e), "no location: nowhere to be");
    e.location = Some("Zoom https://zoom.example/j/1".into());
    assert!(!fires(&w, "in_person_elsewhere = true", &e), "a call is not a place");
    e.location = Some("Claridge's, Brook Street".into());
    let v = w.judge(&one_rule("decline", "in_person_elsewhere = true"), &e);
    assert_eq!(
        v.reason,
        "Declined: in person at 'Claridge's, Brook Street' (Europe/London) while Dana is in America/New_York that day (rule 'R')"
    );
    w.places.push(DayPlace {
        date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        zone: chrono_tz::Europe::London,
        other_zone: None,
        place: None,
        reason: "itinerary".into(),
    });
    assert!(fires(&w, "in_person_elsewhere = false", &e), "Dana is in London that day");
}

#[test]
fn delegation_names_the_delegate_and_only_fits_rules_that_say_so() {
    let set = rules(EP_RULES);
    let w = World::new();
    let vendor = invite("Renewal pitch", ny(25, 14, 0), 30, "rep@vendor.example");
    let v = w.judge(&set, &vendor);
    assert_eq!(v.action, DecisionAction::Delegate);
    assert_eq!(v.delegate_to.as_deref(), Some("lee@northwind.example"));
    assert!(v.reason.starts_with("Delegated to lee@northwind.example: organized by"), "{}", v.reason);
    let mut series = vendor.clone();
    series.rrules.push("FREQ=MONTHLY".into());
    assert_ne!(w.judge(&set, &series).action, DecisionAction::Delegate, "the rule is for one-off meetings");
}

#[test]
fn a_counter_proposal_offers_the_nearest_free_slot_within_working_hours() {
    let mut w = World::new();
    let set = one_rule("counter", "outside_working_hours = true");
    // Asked for Thursday 17:30 (after hours): the nearest free start is 16:30, unless taken.
    let late = invite("Late ask", ny(26, 17, 30), 30, "x@o.example");
    let v = w.judge(&set, &late);
    assert_eq!(v.proposed, Some((at(26, 16, 30), at(26, 17, 0))));
    assert_eq!(v.reason, "Counter-proposed Thu 26 Nov 16:30: outside working hours (09:00-17:00) (rule 'R')");
    // A firm meeting 16:00-16:45 and its 10-minute buffer push it to 15:15.
    w.commitments.push(busy("Client call", at(26, 16, 0), 45, Tier::P1));
    assert_eq!(w.judge(&set, &late).proposed, Some((at(26, 15, 15), at(26, 15, 45))));
    // Focus time (Wed 09:00-10:30) is not offered: an ask for Wed 08:00 gets 10:30.
    let early = invite("Early ask", ny(25, 8, 0), 60, "x@o.example");
    assert_eq!(w.judge(&set, &early).proposed, Some((at(25, 10, 30), at(25, 11, 30))));
}

#[test]
fn a_counter_for_a_series_stays_on_its_day_or_is_held_when_the_day_is_full() {
    let mut w = World::new();
    let set = one_rule("counter", "outside_working_hours = true");
    let mut series = invite("Weekly late", ny(26, 17, 30), 30, "x@o.example");
    series.rrules.push("FREQ=WEEKLY".into());
    assert_eq!(w.judge(&set, &series).proposed, Some((at(26, 16, 30), at(26, 17, 0))));
    w.commitments.push(busy("All day workshop", at(26, 8, 0), 10 * 60, Tier::P1));
    let v = w.judge(&set, &series);
    assert_eq!(v.action, DecisionAction::HoldForReview);
    assert_eq!(v.proposed, None);
    assert!(
        v.reason.ends_with("rule 'R' counter-proposes, but there is no free slot within working hours on the same day"),
        "{}",
        v.reason
    );
}

#[test]
fn a_counter_never_proposes_a_time_in_the_past_or_without_an_hours_notice() {
    let mut w = World::new();
    w.now = at(24, 16, 10);
    let set = one_rule("counter", "");
    // Asked for today 16:30 (now is 16:10): nothing is left today with an hour's notice, so
    // the nearest is tomorrow after Wednesday's focus time.
    let v = w.judge(&set, &invite("Now-ish", ny(24, 16, 30), 30, "x@o.example"));
    assert_eq!(v.proposed, Some((at(25, 10, 30), at(25, 11, 0))));
}

#[test]
fn an_empty_when_matches_every_invitation_and_says_so() {
    let v = World::new().judge(&one_rule("tentative", ""), &invite("Anything", ny(25, 10, 0), 30, "x@o.example"));
    assert_eq!(v.reason, "Tentatively accepted: every invitation (rule 'R')");
}

#[test]
fn set_priority_rules_give_meetings_already_in_the_calendars_their_tier() {
    let set = rules(EP_RULES);
    let w = World::new();
    let s = Situation { profile: &w.profile, now: w.now, calendars: &w.calendars, commitments: &[], places: &[] };
    let board = invite("Q4 board meeting", ny(30, 9, 0), 180, "chair@board.example");
    assert_eq!(tier_of(&set, &board, &s), Some(Tier::P0));
    assert_eq!(tier_of(&set, &invite("Sync", ny(30, 9, 0), 30, "x@o.example"), &s), None);
    let clash_rule = rules(
        "[[rule]]\nname = \"R\"\naction = \"set_priority\"\ntier = \"P1\"\nwhen = { conflicts_with = \"anything\" }\n",
    );
    assert_eq!(tier_of(&clash_rule, &board, &s), None, "a tier never depends on clashes");
}
