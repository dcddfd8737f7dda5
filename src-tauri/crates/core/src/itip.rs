//! iTIP (RFC 5546): the messages calendar users exchange about a meeting, as data.
//!
//! Two directions:
//! - **in**: [`apply`] brings a REQUEST, ADD, CANCEL or REPLY to bear on the copy of the
//!   meeting Tandem holds (a master and its overrides), to the right instances, and ignores
//!   news older than what is held (§2.1.5: SEQUENCE, then DTSTAMP);
//! - **out**: [`reply`], [`counter`], [`decline_counter`], [`delegation`], [`request`] and
//!   [`cancel`] build the component each method needs (§3.2), which `formats` writes.
//!
//! The EP acts on the executive's behalf: every outgoing message carries the EP as `SENT-BY`
//! on the executive's ORGANIZER or ATTENDEE property (RFC 5545 §3.2.18).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{Attendee, Event, EventStatus, EventTime, Participant, ParticipationStatus, Role};
use crate::time::local_in;

/// The iTIP methods (RFC 5546 §1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum Method {
    Publish,
    Request,
    Reply,
    Add,
    Cancel,
    Refresh,
    Counter,
    DeclineCounter,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "PUBLISH" => Method::Publish,
            "REQUEST" => Method::Request,
            "REPLY" => Method::Reply,
            "ADD" => Method::Add,
            "CANCEL" => Method::Cancel,
            "REFRESH" => Method::Refresh,
            "COUNTER" => Method::Counter,
            "DECLINECOUNTER" => Method::DeclineCounter,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Reply => "REPLY",
            Method::Add => "ADD",
            Method::Cancel => "CANCEL",
            Method::Refresh => "REFRESH",
            Method::Counter => "COUNTER",
            Method::DeclineCounter => "DECLINECOUNTER",
        }
    }
}

/// Whether `incoming` is newer news about the same component than `held` (RFC 5546 §2.1.5):
/// a higher SEQUENCE, or the same SEQUENCE with a later DTSTAMP. Without DTSTAMPs to compare,
/// an equal SEQUENCE counts as newer: the organiser re-sent it, and re-sent news is no older.
pub fn is_newer(incoming: &Event, held: &Event) -> bool {
    match incoming.sequence.cmp(&held.sequence) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => match (incoming.stamp, held.stamp) {
            (Some(a), Some(b)) => a >= b,
            _ => true,
        },
    }
}

/// What bringing an incoming message to bear did.
#[derive(Clone, Debug, PartialEq)]
pub enum Applied {
    /// The meeting's events (master first, then overrides) as they now stand.
    Changed { events: Vec<Event>, summary: String },
    /// Nothing changed, and why ("older than the copy held", "nothing to cancel").
    Ignored { reason: String },
}

fn ignored(reason: impl Into<String>) -> Applied {
    Applied::Ignored { reason: reason.into() }
}

fn same_instance(a: Option<EventTime>, b: Option<EventTime>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.instance() == b.instance(),
        _ => false,
    }
}

/// Brings an incoming `method` message about one meeting (`incoming`: its components, all
/// with one UID) to bear on the `held` components of that meeting (empty when new).
pub fn apply(method: Method, incoming: &[Event], held: &[Event]) -> Applied {
    let Some(first) = incoming.first() else { return ignored("the message holds no event") };
    match method {
        Method::Request => apply_request(incoming, held),
        // A published calendar asks nothing of anyone; it is imported as a calendar, not applied.
        Method::Publish => {
            ignored("PUBLISH shares a calendar rather than schedules a meeting: import it as a calendar")
        }
        Method::Cancel => apply_cancel(first, held),
        Method::Add => apply_add(incoming, held),
        Method::Reply => apply_reply(first, held),
        Method::Counter | Method::DeclineCounter | Method::Refresh => {
            ignored(format!("{} is answered by a person, not applied to the calendar", method.as_str()))
        }
    }
}

fn apply_request(incoming: &[Event], held: &[Event]) -> Applied {
    let mut events: Vec<Event> = held.to_vec();
    let mut changed = Vec::new();
    let mut older = 0;
    let new_master = incoming.iter().find(|e| e.recurrence_id.is_none());
    if let Some(m) = new_master {
        if let Some(old) = held.iter().find(|e| e.recurrence_id.is_none()) {
            if !is_newer(m, old) {
                return ignored(format!("older than the copy held (SEQUENCE {} against {})", m.sequence, old.sequence));
            }
        }
        // A new master is the organiser's whole view of the series: overrides it does not
        // carry and that are older than it were withdrawn.
        events.retain(|e| e.recurrence_id.is_some() && e.sequence > m.sequence);
        events.insert(0, m.clone());
        changed.push("the meeting".to_string());
    }
    for o in incoming.iter().filter(|e| e.recurrence_id.is_some()) {
        match events.iter().position(|e| same_instance(e.recurrence_id, o.recurrence_id)) {
            Some(i) if !is_newer(o, &events[i]) => older += 1,
            Some(i) => {
                events[i] = o.clone();
                changed.push(instance_label(o));
            }
            None => {
                events.push(o.clone());
                changed.push(instance_label(o));
            }
        }
    }
    if changed.is_empty() {
        return ignored(format!("older than the copy held ({older} instance(s))"));
    }
    Applied::Changed { events, summary: format!("updated {}", changed.join(", ")) }
}

fn instance_label(e: &Event) -> String {
    match e.recurrence_id {
        Some(r) => format!("the instance of {}", r.to_contract_string()),
        None => "the meeting".into(),
    }
}

fn apply_cancel(cancel: &Event, held: &[Event]) -> Applied {
    if held.is_empty() {
        return ignored("nothing to cancel: the meeting is not held");
    }
    let master = held.iter().find(|e| e.recurrence_id.is_none());
    let Some(rid) = cancel.recurrence_id else {
        // The whole meeting.
        if let Some(m) = master {
            if !is_newer(cancel, m) {
                return ignored(format!(
                    "older than the copy held (SEQUENCE {} against {})",
                    cancel.sequence, m.sequence
                ));
            }
        }
        let events = held
            .iter()
            .map(|e| Event { status: EventStatus::Cancelled, sequence: e.sequence.max(cancel.sequence), ..e.clone() })
            .collect();
        return Applied::Changed { events, summary: "cancelled the meeting".into() };
    };
    let mut events = held.to_vec();
    if cancel.this_and_future {
        let Some(mi) = events.iter().position(|e| e.recurrence_id.is_none()) else {
            return ignored("cannot cancel this and future instances: the series is not held");
        };
        let cut = rid.to_utc(chrono_tz::UTC);
        let m = &mut events[mi];
        m.rrules = m.rrules.iter().map(|r| with_until_before(r, m.start, rid)).collect();
        m.rdates.retain(|d| d.to_utc(chrono_tz::UTC) < cut);
        m.sequence = m.sequence.max(cancel.sequence);
        events.retain(|e| e.recurrence_id.is_none_or(|r| r.to_utc(chrono_tz::UTC) < cut));
        return Applied::Changed {
            events,
            summary: format!("cancelled the instances from {} on", rid.to_contract_string()),
        };
    }
    match events.iter().position(|e| same_instance(e.recurrence_id, Some(rid))) {
        Some(i) if !is_newer(cancel, &events[i]) => return ignored("older than the copy of the instance held"),
        Some(i) => {
            events[i].status = EventStatus::Cancelled;
            events[i].sequence = cancel.sequence;
        }
        None => {
            // Recorded as a cancelled override, which expansion leaves out: the instance
            // stays known (and can be un-cancelled by a later REQUEST) rather than vanishing.
            let mut o = override_at(master.unwrap_or(cancel), rid);
            o.status = EventStatus::Cancelled;
            o.sequence = cancel.sequence;
            o.stamp = cancel.stamp;
            events.push(o);
        }
    }
    Applied::Changed { events, summary: format!("cancelled the instance of {}", rid.to_contract_string()) }
}

/// An override of `master`'s instance at `rid` that says what the master says about it.
fn override_at(master: &Event, rid: EventTime) -> Event {
    let mut o = Event { recurrence_id: Some(rid), this_and_future: false, ..master.clone() };
    o.rrules.clear();
    o.rdates.clear();
    o.exdates.clear();
    o.start = rid;
    o.end = None;
    o.duration_seconds = master
        .end
        .map(|end| (end.to_utc(chrono_tz::UTC) - master.start.to_utc(chrono_tz::UTC)).num_seconds())
        .or(master.duration_seconds);
    o
}

/// `rule` ended just before the instance at `rid`: COUNT and UNTIL give way to an UNTIL of
/// the value type RFC 5545 asks for (a date for date series, UTC for zoned ones).
fn with_until_before(rule: &str, start: EventTime, rid: EventTime) -> String {
    let mut parts: Vec<String> = rule
        .split(';')
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("").trim().to_ascii_uppercase();
            key != "COUNT" && key != "UNTIL" && !p.trim().is_empty()
        })
        .map(String::from)
        .collect();
    let until = match (start, rid) {
        (EventTime::Date { .. }, r) => {
            let day = match r {
                EventTime::Date { date } => date,
                other => local_in(chrono_tz::UTC, other.to_utc(chrono_tz::UTC)).date(),
            };
            (day - Duration::days(1)).format("%Y%m%d").to_string()
        }
        (EventTime::Floating { .. }, EventTime::Floating { local }) => {
            (local - Duration::seconds(1)).format("%Y%m%dT%H%M%S").to_string()
        }
        (_, r) => (r.to_utc(chrono_tz::UTC) - Duration::seconds(1)).format("%Y%m%dT%H%M%SZ").to_string(),
    };
    parts.push(format!("UNTIL={until}"));
    parts.join(";")
}

fn apply_add(incoming: &[Event], held: &[Event]) -> Applied {
    let Some(master) = held.iter().find(|e| e.recurrence_id.is_none()) else {
        return ignored("an ADD for a series that is not held: the organiser must send the whole meeting");
    };
    let mut master = master.clone();
    let mut events: Vec<Event> = held.iter().filter(|e| e.recurrence_id.is_some()).cloned().collect();
    for add in incoming {
        let at = add.recurrence_id.unwrap_or(add.start);
        if !master.rdates.iter().any(|d| d.instance() == at.instance()) {
            master.rdates.push(at);
        }
        let mut o = add.clone();
        o.recurrence_id = Some(at);
        o.rrules.clear();
        o.rdates.clear();
        events.retain(|e| !same_instance(e.recurrence_id, Some(at)));
        events.push(o);
    }
    master.sequence = master.sequence.max(incoming.iter().map(|e| e.sequence).max().unwrap_or(0));
    let added = incoming.len();
    events.insert(0, master);
    Applied::Changed { events, summary: format!("added {added} instance(s)") }
}

/// A REPLY to a meeting the executive organises: the attendee's answer is written on the
/// instance it is about (or the whole meeting). Someone not invited who answers (a forwarded
/// invitation) is added, so the organiser sees who is coming.
fn apply_reply(reply: &Event, held: &[Event]) -> Applied {
    let Some(from) = reply.attendees.first() else { return ignored("a REPLY without an ATTENDEE") };
    let mut events = held.to_vec();
    let mut target = events.iter().position(|e| same_instance(e.recurrence_id, reply.recurrence_id));
    if target.is_none() {
        let master = events.iter().position(|e| e.recurrence_id.is_none());
        target = match (reply.recurrence_id, master) {
            // An answer about one instance of a series is that instance's, not the series':
            // the instance gets an override of its own to carry it.
            (Some(rid), Some(m)) if events[m].is_recurring() => {
                events.push(override_at(&events[m], rid));
                Some(events.len() - 1)
            }
            (_, m) => m,
        };
    }
    let Some(i) = target else { return ignored("a REPLY about a meeting that is not held") };
    let e = &mut events[i];
    match e.attendees.iter_mut().find(|a| a.participant.address.eq_ignore_ascii_case(&from.participant.address)) {
        Some(a) => a.status = from.status,
        None => e.attendees.push(Attendee { rsvp: false, ..from.clone() }),
    }
    let name = from.participant.name.clone().unwrap_or_else(|| from.participant.address.clone());
    Applied::Changed { events, summary: format!("{name} {}", status_word(from.status)) }
}

pub fn status_word(s: ParticipationStatus) -> &'static str {
    match s {
        ParticipationStatus::NeedsAction => "has not answered",
        ParticipationStatus::Accepted => "accepted",
        ParticipationStatus::Declined => "declined",
        ParticipationStatus::Tentative => "tentatively accepted",
        ParticipationStatus::Delegated => "delegated",
    }
}

/// One outgoing iTIP message before it is written: its method, its component, an optional
/// COMMENT (the EP's note), and who receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    pub method: Method,
    pub event: Event,
    pub comment: Option<String>,
    pub recipients: Vec<Participant>,
}

/// Who sends: the executive, and the EP acting for them (`SENT-BY`), when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    pub executive: Participant,
    pub sent_by: Option<String>,
}

impl Sender {
    fn participant(&self) -> Participant {
        let mut p = self.executive.clone();
        p.kept_params.retain(|(k, _)| k != "SENT-BY");
        if let Some(ep) = &self.sent_by {
            p.kept_params.push(("SENT-BY".into(), vec![format!("mailto:{ep}")]));
        }
        p
    }
}

/// The properties every answer about `invite` carries, without the attendees.
fn answer_base(invite: &Event, now: DateTime<Utc>) -> Event {
    let mut e = Event::new(invite.uid.clone(), invite.summary.clone(), invite.start);
    e.recurrence_id = invite.recurrence_id;
    e.sequence = invite.sequence;
    e.stamp = Some(now);
    e.end = invite.end;
    e.duration_seconds = invite.duration_seconds;
    e.organizer = invite.organizer.clone();
    e.location = invite.location.clone();
    e.rrules = invite.rrules.clone();
    e
}

/// The executive's entry among `invite`'s attendees, or a new one at their address.
fn my_entry(invite: &Event, me: &Sender) -> Attendee {
    let found = invite.attendees.iter().find(|a| a.participant.address.eq_ignore_ascii_case(&me.executive.address));
    let mut a = found.cloned().unwrap_or(Attendee {
        participant: me.executive.clone(),
        role: Role::Required,
        status: ParticipationStatus::NeedsAction,
        rsvp: false,
    });
    a.participant.kept_params = me.participant().kept_params;
    if a.participant.name.is_none() {
        a.participant.name = me.executive.name.clone();
    }
    a.rsvp = false;
    a
}

/// REPLY (§3.2.3): the executive's answer to the organiser, with the EP's note as COMMENT.
/// A delegation names the delegate with DELEGATED-TO.
pub fn reply(
    invite: &Event,
    me: &Sender,
    status: ParticipationStatus,
    comment: Option<&str>,
    delegate_to: Option<&str>,
    now: DateTime<Utc>,
) -> Outgoing {
    let mut e = answer_base(invite, now);
    let mut a = my_entry(invite, me);
    a.status = status;
    if let Some(d) = delegate_to {
        a.participant.kept_params.push(("DELEGATED-TO".into(), vec![format!("mailto:{d}")]));
    }
    e.attendees = vec![a];
    Outgoing {
        method: Method::Reply,
        event: e,
        comment: comment.map(String::from),
        recipients: invite.organizer.iter().cloned().collect(),
    }
}

/// COUNTER (§3.2.7): the executive proposes another time to the organiser.
pub fn counter(
    invite: &Event,
    me: &Sender,
    proposed: (DateTime<Utc>, DateTime<Utc>),
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Outgoing {
    let mut e = answer_base(invite, now);
    // The proposal is written in the invitation's own terms: its zone, or UTC.
    let in_kind = |t: DateTime<Utc>| match invite.start {
        EventTime::Zoned { zone, .. } => EventTime::Zoned { local: local_in(zone, t), zone },
        _ => EventTime::Utc { instant: t },
    };
    e.start = in_kind(proposed.0);
    e.end = Some(in_kind(proposed.1));
    e.duration_seconds = None;
    let mut a = my_entry(invite, me);
    a.status = ParticipationStatus::Tentative;
    e.attendees = vec![a];
    Outgoing {
        method: Method::Counter,
        event: e,
        comment: comment.map(String::from),
        recipients: invite.organizer.iter().cloned().collect(),
    }
}

/// DECLINECOUNTER (§3.2.8): the organiser (the executive) turns down an attendee's proposal.
pub fn decline_counter(
    meeting: &Event,
    me: &Sender,
    proposer: &Participant,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Outgoing {
    let mut e = answer_base(meeting, now);
    e.organizer = Some(me.participant());
    e.attendees = vec![Attendee {
        participant: proposer.clone(),
        role: Role::Required,
        status: ParticipationStatus::NeedsAction,
        rsvp: false,
    }];
    Outgoing {
        method: Method::DeclineCounter,
        event: e,
        comment: comment.map(String::from),
        recipients: vec![proposer.clone()],
    }
}

/// Delegation (§4.2.5): the invitation passed on to the delegate as a REQUEST, with the
/// executive marked DELEGATED and the delegate DELEGATED-FROM them.
pub fn delegation(invite: &Event, me: &Sender, delegate: &str, now: DateTime<Utc>) -> Outgoing {
    let mut e = invite.clone();
    e.stamp = Some(now);
    let mine = my_entry(invite, me);
    e.attendees.retain(|a| !a.participant.address.eq_ignore_ascii_case(&me.executive.address));
    let mut delegator = mine.clone();
    delegator.status = ParticipationStatus::Delegated;
    delegator.participant.kept_params.push(("DELEGATED-TO".into(), vec![format!("mailto:{delegate}")]));
    e.attendees.push(delegator);
    let mut to = Participant::new(delegate.to_ascii_lowercase(), None);
    to.kept_params.push(("DELEGATED-FROM".into(), vec![format!("mailto:{}", me.executive.address)]));
    e.attendees.push(Attendee {
        participant: to.clone(),
        role: mine.role,
        status: ParticipationStatus::NeedsAction,
        rsvp: true,
    });
    Outgoing {
        method: Method::Request,
        event: e,
        comment: None,
        recipients: vec![Participant::new(delegate.to_ascii_lowercase(), None)],
    }
}

/// REQUEST (§3.2.2) for a meeting the executive organises, to every attendee but them.
pub fn request(meeting: &Event, me: &Sender, now: DateTime<Utc>) -> Outgoing {
    let mut e = meeting.clone();
    e.stamp = Some(now);
    e.organizer = Some(me.participant());
    let recipients = others(&e, me);
    Outgoing { method: Method::Request, event: e, comment: None, recipients }
}

/// CANCEL (§3.2.5) of a meeting the executive organises (or one instance of it, `instance`),
/// to every attendee but them. `meeting.sequence` should already be bumped by the caller.
pub fn cancel(
    meeting: &Event,
    me: &Sender,
    instance: Option<EventTime>,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Outgoing {
    let mut e = answer_base(meeting, now);
    e.organizer = Some(me.participant());
    e.attendees = meeting.attendees.clone();
    e.status = EventStatus::Cancelled;
    if let Some(at) = instance {
        e.recurrence_id = Some(at);
        e.rrules.clear();
        e.start = at;
        e.end = None;
        e.duration_seconds = None;
    }
    let recipients = others(&e, me);
    Outgoing { method: Method::Cancel, event: e, comment: comment.map(String::from), recipients }
}

fn others(e: &Event, me: &Sender) -> Vec<Participant> {
    e.attendees
        .iter()
        .filter(|a| !a.participant.address.eq_ignore_ascii_case(&me.executive.address))
        .map(|a| Participant::new(a.participant.address.clone(), a.participant.name.clone()))
        .collect()
}

#[cfg(test)]
mod tests;
