//! Three-way merge of one meeting: the version both sides started from (`base`, as the server
//! last sent it), ours (changed here) and theirs (changed on the server meanwhile, which is
//! why the server refused our write with 412).
//!
//! Property by property, per component (the meeting and each overridden instance): what only
//! one side changed is taken from that side; what both changed the same way is kept; what both
//! changed differently is a conflict, named, and nothing is merged. Attendees merge one by one
//! (by address), so the EP's answer for the executive and the organiser's new attendee both
//! survive. DTSTAMP and SEQUENCE are bookkeeping, not content: the later stamp and the higher
//! sequence win.
//!
//! Properties are compared as the stored form (`serde_json` of [`Event`]) rather than by a
//! hand-written list of fields, so a property added to `Event` later merges without changes
//! here.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Event;

/// What a merge found.
#[derive(Clone, Debug, PartialEq)]
pub enum Merged {
    /// Both sides' changes together.
    Clean(Vec<Event>),
    /// Both sides changed these properties differently (`summary`, `start`, `attendee
    /// ava@x.example`); nothing was merged.
    Conflict(Vec<String>),
}

/// Bookkeeping properties, never a conflict.
const BOOKKEEPING: &[&str] = &["stamp", "sequence"];

/// A component's key within a meeting: its RECURRENCE-ID, or none for the master.
fn key(e: &Event) -> String {
    e.recurrence_id.map(|r| r.to_contract_string()).unwrap_or_default()
}

fn by_key(events: &[Event]) -> BTreeMap<String, Value> {
    events.iter().map(|e| (key(e), serde_json::to_value(e).expect("an event serialises"))).collect()
}

pub fn merge3(base: &[Event], ours: &[Event], theirs: &[Event]) -> Merged {
    let (b, o, t) = (by_key(base), by_key(ours), by_key(theirs));
    let mut keys: Vec<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut conflicts = Vec::new();
    let mut merged = Vec::new();
    for k in keys {
        let label = if k.is_empty() { String::new() } else { format!(" of the instance {k}") };
        match pick(b.get(k), o.get(k), t.get(k)) {
            Pick::Same(v) => merged.extend(v),
            Pick::Merge(base, ours, theirs) => match merge_objects(base, ours, theirs) {
                Ok(v) => merged.push(v),
                Err(fields) => conflicts.extend(fields.into_iter().map(|f| format!("{f}{label}"))),
            },
            Pick::Conflict => conflicts.push(format!("the instance {k} (changed on one side, removed on the other)")),
        }
    }
    if !conflicts.is_empty() {
        return Merged::Conflict(conflicts);
    }
    Merged::Clean(merged.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect())
}

enum Pick<'a> {
    /// Settled without looking inside: one value (or none: removed).
    Same(Option<Value>),
    Merge(&'a Value, &'a Value, &'a Value),
    Conflict,
}

/// The three-way choice for one value (a component, a property, an attendee).
fn pick<'a>(base: Option<&'a Value>, ours: Option<&'a Value>, theirs: Option<&'a Value>) -> Pick<'a> {
    match (base, ours, theirs) {
        (_, o, t) if o == t => Pick::Same(o.cloned()),
        (b, o, t) if o == b => Pick::Same(t.cloned()),
        (b, o, t) if t == b => Pick::Same(o.cloned()),
        (Some(b), Some(o), Some(t)) if b.is_object() && o.is_object() && t.is_object() => Pick::Merge(b, o, t),
        // Added on both sides differently: merge against nothing.
        (None, Some(o), Some(t)) if o.is_object() && t.is_object() => Pick::Merge(&Value::Null, o, t),
        _ => Pick::Conflict,
    }
}

/// Merges one component, property by property; the conflicting property names on failure.
fn merge_objects(base: &Value, ours: &Value, theirs: &Value) -> Result<Value, Vec<String>> {
    let empty = Map::new();
    let (b, o, t) =
        (base.as_object().unwrap_or(&empty), ours.as_object().unwrap_or(&empty), theirs.as_object().unwrap_or(&empty));
    let mut names: Vec<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    names.sort();
    names.dedup();
    let mut out = Map::new();
    let mut conflicts = Vec::new();
    for name in names {
        let (bv, ov, tv) = (b.get(name), o.get(name), t.get(name));
        if BOOKKEEPING.contains(&name.as_str()) {
            let later = [ov, tv].into_iter().flatten().max_by(|x, y| compare(x, y)).cloned();
            if let Some(v) = later {
                out.insert(name.clone(), v);
            }
            continue;
        }
        if name == "attendees" {
            match merge_attendees(bv, ov, tv) {
                Ok(v) => {
                    out.insert(name.clone(), v);
                }
                Err(mut who) => conflicts.append(&mut who),
            }
            continue;
        }
        match pick(bv, ov, tv) {
            Pick::Same(Some(v)) => {
                out.insert(name.clone(), v);
            }
            Pick::Same(None) => {}
            Pick::Merge(..) | Pick::Conflict => conflicts.push(name.clone()),
        }
    }
    if conflicts.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(conflicts)
    }
}

/// Orders bookkeeping values: numbers by value, RFC 3339 strings as text (they sort in time).
fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(std::cmp::Ordering::Equal)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Null, _) => std::cmp::Ordering::Less,
        (_, Value::Null) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    }
}

/// Attendees one by one, keyed by address (case-insensitive), in ours' order then theirs'.
fn merge_attendees(base: Option<&Value>, ours: Option<&Value>, theirs: Option<&Value>) -> Result<Value, Vec<String>> {
    fn address(a: &Value) -> String {
        a.pointer("/participant/address").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase()
    }
    fn listed(v: Option<&Value>) -> Vec<(String, Value)> {
        v.and_then(Value::as_array).map(|a| a.iter().map(|x| (address(x), x.clone())).collect()).unwrap_or_default()
    }
    let (b, o, t) = (listed(base), listed(ours), listed(theirs));
    let find = |list: &[(String, Value)], who: &str| list.iter().find(|(a, _)| a == who).map(|(_, v)| v.clone());
    let mut order: Vec<String> = o.iter().chain(t.iter()).map(|(a, _)| a.clone()).collect();
    let mut seen = std::collections::HashSet::new();
    order.retain(|a| seen.insert(a.clone()));
    let mut out = Vec::new();
    let mut conflicts = Vec::new();
    for who in order.iter().chain(b.iter().map(|(a, _)| a).filter(|a| !order.contains(a))) {
        let (bv, ov, tv) = (find(&b, who), find(&o, who), find(&t, who));
        match pick(bv.as_ref(), ov.as_ref(), tv.as_ref()) {
            Pick::Same(Some(v)) => out.push(v),
            Pick::Same(None) => {}
            Pick::Merge(bb, oo, tt) => match merge_objects(bb, oo, tt) {
                Ok(v) => out.push(v),
                Err(fields) => conflicts.extend(fields.into_iter().map(|f| format!("attendee {who} ({f})"))),
            },
            Pick::Conflict => conflicts.push(format!("attendee {who}")),
        }
    }
    if conflicts.is_empty() {
        Ok(Value::Array(out))
    } else {
        Err(conflicts)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::calendar::{Attendee, EventTime, Participant, ParticipationStatus, Role};

    fn one(e: &Event) -> &[Event] {
        std::slice::from_ref(e)
    }

    fn meeting() -> Event {
        let mut e = Event::new(
            "m@t",
            "Board prep",
            EventTime::Zoned {
                local: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap(),
                zone: chrono_tz::America::New_York,
            },
        );
        e.attendees = ["dana@n.example", "ava@c.example"]
            .iter()
            .map(|a| Attendee {
                participant: Participant::new(a.to_string(), None),
                role: Role::Required,
                status: ParticipationStatus::NeedsAction,
                rsvp: true,
            })
            .collect();
        e
    }

    #[test]
    fn changes_to_different_properties_and_attendees_merge() {
        let base = meeting();
        let mut ours = base.clone();
        ours.attendees[0].status = ParticipationStatus::Accepted;
        ours.sequence = 1;
        let mut theirs = base.clone();
        theirs.summary = "Board prep (room 4)".into();
        theirs.location = Some("Room 4".into());
        theirs.attendees.push(Attendee {
            participant: Participant::new("li@n.example", None),
            role: Role::Optional,
            status: ParticipationStatus::NeedsAction,
            rsvp: true,
        });
        theirs.sequence = 2;
        let Merged::Clean(merged) = merge3(&[base], &[ours], &[theirs]) else { panic!("no conflict expected") };
        let m = &merged[0];
        assert_eq!((m.summary.as_str(), m.location.as_deref(), m.sequence), ("Board prep (room 4)", Some("Room 4"), 2));
        assert_eq!(m.attendees[0].status, ParticipationStatus::Accepted, "our answer stays");
        assert_eq!(m.attendees.len(), 3, "their new attendee stays");
    }

    #[test]
    fn the_same_property_changed_differently_on_both_sides_is_a_named_conflict() {
        let base = meeting();
        let mut ours = base.clone();
        ours.summary = "Board prep (moved)".into();
        let mut theirs = base.clone();
        theirs.summary = "Board prep: cancelled?".into();
        theirs.attendees[1].status = ParticipationStatus::Declined;
        let mut ours2 = ours.clone();
        ours2.attendees[1].status = ParticipationStatus::Accepted;
        assert_eq!(merge3(one(&base), &[ours], one(&theirs)), Merged::Conflict(vec!["summary".into()]));
        let Merged::Conflict(both) = merge3(&[base], &[ours2], &[theirs]) else { panic!() };
        assert_eq!(both, ["attendee ava@c.example (status)", "summary"]);
    }

    #[test]
    fn identical_changes_agree_and_an_untouched_side_takes_the_other() {
        let base = meeting();
        let mut changed = base.clone();
        changed.summary = "Same".into();
        assert_eq!(merge3(one(&base), one(&changed), one(&changed)), Merged::Clean(vec![changed.clone()]));
        assert_eq!(merge3(one(&base), one(&base), one(&changed)), Merged::Clean(vec![changed.clone()]));
        assert_eq!(merge3(one(&base), one(&changed), one(&base)), Merged::Clean(vec![changed]));
    }

    #[test]
    fn an_instance_overridden_on_one_side_joins_the_meeting() {
        let mut base = meeting();
        base.rrules.push("FREQ=WEEKLY".into());
        let mut moved = base.clone();
        moved.rrules.clear();
        moved.recurrence_id = Some(base.start);
        moved.summary = "Board prep (this week only)".into();
        let Merged::Clean(merged) = merge3(one(&base), one(&base), &[base.clone(), moved]) else { panic!() };
        assert_eq!(merged.len(), 2);
        let removed_theirs = merge3(
            one(&base),
            &[],
            &[{
                let mut c = base.clone();
                c.summary = "changed".into();
                c
            }],
        );
        assert!(matches!(removed_theirs, Merged::Conflict(_)), "deleted here, changed there");
    }
}
