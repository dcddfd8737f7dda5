//! Running the rules over one invitation: the first rule whose conditions hold decides, and
//! the decision says why in words the EP and the executive can read.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{best_free_slot, Conditions, ConflictWith, InviteeRole, Person, Rule, RuleSet};
use crate::calendar::freebusy::Busy;
use crate::calendar::travel::{shown_zone, DayPlace};
use crate::calendar::{Event, EventTime, Role};
use crate::decision::DecisionAction;
use crate::profile::{weekday_name, ExecutiveProfile};
use crate::tier::Tier;
use crate::time::{local_in, TimeWindow};

/// How far ahead a recurring invitation's instances are checked for clashes: eight weeks is
/// what an EP looks at when accepting a series ("does it clash with anything soon?").
pub const CONFLICT_HORIZON_DAYS: i64 = 56;

/// A recurring invitation's instances checked at most (a daily series over the horizon).
const MAX_INSTANCES: usize = 60;

/// Something already in the executive's calendars that an invitation may clash with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub uid: String,
    pub summary: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub hold: Busy,
    pub tier: Tier,
}

/// What the rules are evaluated against besides the invitation itself.
#[derive(Clone, Copy, Debug)]
pub struct Situation<'a> {
    pub profile: &'a ExecutiveProfile,
    /// Lead time and "not in the past" are measured from here.
    pub now: DateTime<Utc>,
    /// The names of the calendars the invitation sits in.
    pub calendars: &'a [String],
    /// The executive's other meetings over the invitation's instances and the slot search
    /// (the invitation's own UID is ignored if present).
    pub commitments: &'a [Commitment],
    /// Where the executive is on the days concerned; days not listed are at home.
    pub places: &'a [DayPlace],
}

/// What the rules decided for one invitation, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Final: accept, tentative, decline, counter_propose, hold_for_review or delegate.
    pub action: DecisionAction,
    /// The rule that decided; `None` when none matched (held for review).
    pub rule: Option<String>,
    /// "Declined: Friday after 13:00 is protected (rule 'Protect Friday afternoons')".
    pub reason: String,
    /// The note to send with the reply.
    pub message: Option<String>,
    pub delegate_to: Option<String>,
    /// The tier set by `set_priority` rules on the way (the last one wins).
    pub tier: Option<Tier>,
    /// A counter-proposal's new time.
    pub proposed: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// One instance of the invitation, placed where the executive is that day.
#[derive(Clone, Copy, Debug)]
struct Instance {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    zone: Tz,
}

/// Runs `rules` over `invite` (an event that awaits the executive's answer).
pub fn evaluate(rules: &RuleSet, invite: &Event, s: &Situation<'_>) -> Verdict {
    let instances = instances(invite, s);
    let Some(next) = instances.iter().find(|i| i.end > s.now).or(instances.first()).copied() else {
        return hold(None, "Held for review: the invitation has no instance to decide on".into(), None);
    };
    let mut tier = None;
    let mut tier_notes: Vec<String> = Vec::new();
    for rule in rules.rules.iter().filter(|r| r.enabled) {
        let Some(why) = holds(&rule.when, invite, next, &instances, s) else { continue };
        if let Some(unless) = &rule.unless {
            if holds(unless, invite, next, &instances, s).is_some() {
                continue;
            }
        }
        let because = rule.reason.clone().unwrap_or_else(|| {
            if why.is_empty() {
                "every invitation".to_string()
            } else {
                why.join(", ")
            }
        });
        if rule.action == DecisionAction::SetPriority {
            tier = rule.tier;
            tier_notes.push(format!("tier {} ({because}, rule '{}')", rule.tier.unwrap_or(Tier::DEFAULT), rule.name));
            continue;
        }
        let mut verdict = decide(rule, &because, invite, next, s);
        verdict.tier = tier;
        append_notes(&mut verdict.reason, &tier_notes);
        return verdict;
    }
    let mut verdict = hold(None, "Held for review: no rule matched".into(), tier);
    append_notes(&mut verdict.reason, &tier_notes);
    verdict
}

/// The tier the `set_priority` rules give a meeting already in the calendars: the board's
/// meetings are P0 whether or not they came as invitations. Clash conditions are not judged
/// here (a rule that needs one does not apply): a meeting's tier must not depend on the tiers
/// still being worked out.
pub fn tier_of(rules: &RuleSet, event: &Event, s: &Situation<'_>) -> Option<Tier> {
    let instances = instances(event, s);
    let next = instances.iter().find(|i| i.end > s.now).or(instances.first()).copied()?;
    let quiet = Situation { commitments: &[], ..*s };
    let mut tier = None;
    for rule in rules.rules.iter().filter(|r| r.enabled && r.action == DecisionAction::SetPriority) {
        let needs_clash =
            !rule.when.conflicts_with.is_empty() || rule.unless.as_ref().is_some_and(|u| !u.conflicts_with.is_empty());
        if needs_clash || holds(&rule.when, event, next, &instances, &quiet).is_none() {
            continue;
        }
        if rule.unless.as_ref().is_some_and(|u| holds(u, event, next, &instances, &quiet).is_some()) {
            continue;
        }
        tier = rule.tier;
    }
    tier
}

fn append_notes(reason: &mut String, notes: &[String]) {
    if !notes.is_empty() {
        reason.push_str("; ");
        reason.push_str(&notes.join("; "));
    }
}

fn hold(rule: Option<String>, reason: String, tier: Option<Tier>) -> Verdict {
    Verdict {
        action: DecisionAction::HoldForReview,
        rule,
        reason,
        message: None,
        delegate_to: None,
        tier,
        proposed: None,
    }
}

fn decide(rule: &Rule, because: &str, invite: &Event, next: Instance, s: &Situation<'_>) -> Verdict {
    let quoted = format!("(rule '{}')", rule.name);
    let mut v = Verdict {
        action: rule.action,
        rule: Some(rule.name.clone()),
        reason: String::new(),
        message: rule.message.clone(),
        delegate_to: None,
        tier: None,
        proposed: None,
    };
    v.reason = match rule.action {
        DecisionAction::Accept => format!("Accepted: {because} {quoted}"),
        DecisionAction::Tentative => format!("Tentatively accepted: {because} {quoted}"),
        DecisionAction::Decline => format!("Declined: {because} {quoted}"),
        DecisionAction::HoldForReview => format!("Held for review: {because} {quoted}"),
        DecisionAction::Delegate => {
            let to = rule.delegate_to.clone().unwrap_or_default();
            let text = format!("Delegated to {to}: {because} {quoted}");
            v.delegate_to = Some(to);
            text
        }
        DecisionAction::CounterPropose => {
            // A series keeps its pattern only if it moves within the same day.
            let same_day_only = invite.is_recurring() && invite.recurrence_id.is_none();
            match best_free_slot(s, next.start, next.end - next.start, &invite.uid, same_day_only) {
                Some((start, end)) => {
                    v.proposed = Some((start, end));
                    let zone = shown_zone(s.places, s.profile.home_time_zone, start);
                    format!("Counter-proposed {}: {because} {quoted}", describe_at(start, zone))
                }
                None => {
                    let span = if same_day_only {
                        "on the same day".to_string()
                    } else {
                        format!("in the next {} days", super::SLOT_SEARCH_DAYS)
                    };
                    v.action = DecisionAction::HoldForReview;
                    v.message = None;
                    format!("Held for review: {because}; rule '{}' counter-proposes, but there is no free slot within working hours {span}", rule.name)
                }
            }
        }
        DecisionAction::SetPriority => unreachable!("set_priority rules do not decide"),
    };
    v
}

/// The invitation's instances from now over the conflict horizon (or its first ones, when
/// it lies wholly in the past, as in a dry run over old invitations).
fn instances(invite: &Event, s: &Situation<'_>) -> Vec<Instance> {
    let home = s.profile.home_time_zone;
    let place =
        |start: DateTime<Utc>, end: DateTime<Utc>| Instance { start, end, zone: shown_zone(s.places, home, start) };
    let first_start = invite.start.to_utc(home);
    let from =
        if invite.is_recurring() && invite.recurrence_id.is_none() { s.now.max(first_start) } else { first_start };
    let window = TimeWindow::new(from - Duration::days(1), from + Duration::days(CONFLICT_HORIZON_DAYS));
    let mut master = invite.clone();
    // Expanded as a plain series: an override invitation stands for its own instance only.
    master.recurrence_id = None;
    let expand = |window: TimeWindow| {
        crate::calendar::expand::expand_series(Some(&master), &[], window, home).unwrap_or_default()
    };
    let mut found: Vec<Instance> =
        expand(window).iter().filter(|o| o.end_utc > from).map(|o| place(o.start_utc, o.end_utc)).collect();
    if found.is_empty() {
        // A series wholly in the past (a dry run over old invitations): judge its first instance.
        let around = TimeWindow::new(first_start - Duration::days(1), first_start + Duration::days(1));
        let first = expand(around).into_iter().find(|o| o.start_utc >= first_start);
        let (start, end) = first.map(|o| (o.start_utc, o.end_utc)).unwrap_or((first_start, first_start));
        found.push(place(start, end));
    }
    found.truncate(MAX_INSTANCES);
    found
}

/// `Some(phrases)` when every condition set holds (each phrase says why), else `None`.
fn holds(c: &Conditions, invite: &Event, next: Instance, all: &[Instance], s: &Situation<'_>) -> Option<Vec<String>> {
    let profile = s.profile;
    let mut why = Vec::new();
    let who = |address: &str, name: Option<&str>| name.map(String::from).unwrap_or_else(|| address.to_string());
    let first_name = profile.name.split_whitespace().next().unwrap_or(&profile.name).to_string();

    if !c.organizer.is_empty() {
        let o = invite.organizer.as_ref()?;
        let pattern = c.organizer.iter().find(|p| Person::read(p).matches(&o.address, profile))?;
        why.push(format!("organized by {} ({pattern})", who(&o.address, o.name.as_deref())));
    }
    if !c.attendee.is_empty() {
        let (a, pattern) =
            invite.attendees.iter().filter(|a| !profile.is_self(&a.participant.address)).find_map(|a| {
                c.attendee.iter().find(|p| Person::read(p).matches(&a.participant.address, profile)).map(|p| (a, p))
            })?;
        why.push(format!("with {} ({pattern})", who(&a.participant.address, a.participant.name.as_deref())));
    }
    if !c.title.is_empty() {
        let word = c.title.iter().find(|w| super::contains_words(&invite.summary, w))?;
        why.push(format!("the title mentions '{}'", word.trim()));
    }
    if !c.calendar.is_empty() {
        let cal = s.calendars.iter().find(|name| c.calendar.iter().any(|x| x.trim().eq_ignore_ascii_case(name)))?;
        why.push(format!("in calendar '{cal}'"));
    }
    let local_start = local_in(next.zone, next.start);
    if !c.weekdays.is_empty() {
        let day = local_start.weekday();
        if !c.weekday_set().contains(&day) {
            return None;
        }
        why.push(format!("on a {}", weekday_name(day)));
    }
    if let Some(range) = c.time {
        let (a, b) = minutes_of_day(next);
        if !(a < range.end_minute && b > range.start_minute) {
            return None;
        }
        why.push(format!("overlapping {range}"));
    }
    if let Some(wanted) = c.outside_working_hours {
        let hours = profile.working_hours.on(local_start.weekday());
        let (a, b) = minutes_of_day(next);
        let outside = match hours {
            None => true,
            Some(h) => a < minutes(h.start) || b > minutes(h.end),
        };
        if outside != wanted {
            return None;
        }
        why.push(match (wanted, hours) {
            (true, None) => format!("on {first_name}'s day off"),
            (true, Some(h)) => format!("outside working hours ({h})"),
            (false, _) => "within working hours".to_string(),
        });
    }
    if let Some(b) = c.duration_minutes {
        let minutes = (next.end - next.start).num_minutes();
        if !b.holds(minutes as f64) {
            return None;
        }
        why.push(format!("lasting {}", crate::time::minutes_text(minutes)));
    }
    if let Some(b) = c.lead_hours {
        let hours = (next.start - s.now).num_minutes() as f64 / 60.0;
        if !b.holds(hours) {
            return None;
        }
        why.push(if hours < 0.0 {
            "already started".to_string()
        } else if hours < 48.0 {
            format!("with {} hours' notice", hours.floor())
        } else {
            format!("with {} days' notice", (hours / 24.0).floor())
        });
    }
    if let Some(wanted) = c.recurring {
        let recurring = invite.is_recurring() || invite.recurrence_id.is_some();
        if recurring != wanted {
            return None;
        }
        why.push(if wanted { "a recurring meeting" } else { "a one-off meeting" }.to_string());
    }
    if let Some(b) = c.attendee_count {
        let mut people: Vec<&str> = invite.attendees.iter().map(|a| a.participant.address.as_str()).collect();
        if let Some(o) = &invite.organizer {
            people.push(&o.address);
        }
        people.sort_unstable();
        people.dedup();
        if !b.holds(people.len() as f64) {
            return None;
        }
        why.push(format!("{} people invited", people.len()));
    }
    if !c.role.is_empty() {
        let me = invite.attendee_for(&profile.addresses)?;
        let role = match me.role {
            Role::Chair => InviteeRole::Chair,
            Role::Optional | Role::NonParticipant => InviteeRole::Optional,
            Role::Required => InviteeRole::Required,
        };
        if !c.role.contains(&role) {
            return None;
        }
        why.push(format!("{first_name} is {}", role.as_str()));
    }
    if !c.conflicts_with.is_empty() {
        why.push(clash(&c.conflicts_with, invite, all, s)?);
    }
    if let Some(wanted) = c.in_person_elsewhere {
        let elsewhere = in_person_elsewhere(invite, next, &first_name);
        if elsewhere.is_some() != wanted {
            return None;
        }
        why.push(elsewhere.unwrap_or_else(|| "not in person elsewhere".to_string()));
    }
    Some(why)
}

/// Whether an instance clashes with any of `kinds`, described by its first clash.
fn clash(kinds: &[ConflictWith], invite: &Event, all: &[Instance], s: &Situation<'_>) -> Option<String> {
    let profile = s.profile;
    let buffers = profile.buffers;
    for i in all {
        for kind in kinds {
            let found = match kind {
                ConflictWith::Focus => focus_overlap(profile, *i)
                    .map(|label| format!("clashing with focus time '{label}' {}", describe_day(i.start, i.zone))),
                ConflictWith::Buffers => s
                    .commitments
                    .iter()
                    .filter(|c| c.uid != invite.uid && c.hold == Busy::Busy)
                    .find(|c| {
                        let (before, after) = (
                            Duration::minutes(buffers.before_minutes.into()),
                            Duration::minutes(buffers.after_minutes.into()),
                        );
                        let touches = i.start < c.end + after && i.end > c.start - before;
                        touches && !(i.start < c.end && i.end > c.start)
                    })
                    .map(|c| format!("inside the buffer around '{}' {}", c.summary, describe_day(c.start, i.zone))),
                _ => s
                    .commitments
                    .iter()
                    .filter(|c| c.uid != invite.uid && i.start < c.end && i.end > c.start)
                    .find(|c| match kind {
                        ConflictWith::Anything => true,
                        ConflictWith::Busy => c.hold == Busy::Busy,
                        ConflictWith::Tier(t) => c.tier == *t,
                        _ => false,
                    })
                    .map(|c| format!("clashing with '{}' ({}) on {}", c.summary, c.tier, describe_at(c.start, i.zone))),
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

fn focus_overlap(profile: &ExecutiveProfile, i: Instance) -> Option<String> {
    let day = local_in(i.zone, i.start).weekday();
    let (a, b) = minutes_of_day(i);
    profile
        .focus_blocks
        .iter()
        .find(|f| f.applies_on(day) && a < minutes(f.time.end) && b > minutes(f.time.start))
        .map(|f| f.label.clone())
}

/// "in person at 'Claridge's' (Europe/London) while Dana is in America/New_York that day"
fn in_person_elsewhere(invite: &Event, next: Instance, first_name: &str) -> Option<String> {
    let location = invite.location.as_deref()?.trim();
    if !crate::calendar::in_person(location) {
        return None;
    }
    let EventTime::Zoned { zone: meeting_zone, .. } = invite.start else { return None };
    let offset = |z: Tz| (local_in(z, next.start) - next.start.naive_utc()).num_minutes();
    (offset(meeting_zone) != offset(next.zone)).then(|| {
        format!(
            "in person at '{location}' ({}) while {first_name} is in {} that day",
            meeting_zone.name(),
            next.zone.name()
        )
    })
}

/// Minutes from local midnight of an instance's start and end, in the day's zone; an
/// instance that runs past midnight ends at 24:00 and beyond.
fn minutes_of_day(i: Instance) -> (u32, u32) {
    let start = local_in(i.zone, i.start);
    let a = start.hour() * 60 + start.minute();
    let length = (i.end - i.start).num_minutes().max(0) as u32;
    (a, a + length)
}

fn minutes(t: chrono::NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

/// "on Tue 1 Dec"
fn describe_day(at: DateTime<Utc>, zone: Tz) -> String {
    format!("on {}", local_in(zone, at).format("%a %-d %b"))
}

/// "Tue 1 Dec 14:30"
pub(crate) fn describe_at(at: DateTime<Utc>, zone: Tz) -> String {
    local_in(zone, at).format("%a %-d %b %H:%M").to_string()
}
