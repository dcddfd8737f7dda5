//! The scheduler's use cases: what is wrong with a stretch of the executive's calendar.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tandem_core::calendar::freebusy::holds;
use tandem_core::calendar::travel::{day_places, shown_zone};
use tandem_core::scheduler::conflicts::find_conflicts;
use tandem_core::scheduler::Meeting;
use tandem_core::{Event, Occurrence, ParticipationStatus, Tier, TimeWindow};

use crate::calendar::{response_of, MAX_RANGE_DAYS};
use crate::dto::{ConflictDto, ConflictMeetingDto, ConflictsDto};
use crate::error::{ApiError, Result};
use crate::invitations::effective_tiers;
use crate::Tandem;

impl Tandem {
    /// Every conflict over `days` local days from `from`, most severe first.
    pub fn conflicts(
        &self,
        executive: Option<&str>,
        from: NaiveDate,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<ConflictsDto> {
        if !(1..=MAX_RANGE_DAYS).contains(&days) {
            return Err(ApiError::invalid(format!("{days} days is outside 1..={MAX_RANGE_DAYS}")));
        }
        let profile = self.executive(executive)?;
        let zone = profile.home_time_zone;
        let window = TimeWindow::days(from, days, zone);
        let calendars = self.store.calendars(&profile.id)?;
        let lookback = TimeWindow::new(window.start - Duration::days(14), window.end);
        let (merged, _) = self.merged(&profile.id, &calendars, lookback, zone)?;
        let occurrences: Vec<&Occurrence> = merged.iter().map(|m| &m.occurrence).collect();
        let places = day_places(&profile, &occurrences, from, days);
        let events = self.store.events_of(&profile.id)?;
        let refs: Vec<&Event> = events.iter().map(|e| &e.event).collect();
        let rules = self.rule_set(&profile).unwrap_or_default();
        let tiers = effective_tiers(&profile, &refs, &self.store.tiers(&profile.id)?, &rules, &places, now);
        let meetings: Vec<Meeting> = occurrences
            .iter()
            .filter(|o| !o.all_day && window.overlaps(o.start_utc, o.end_utc))
            .filter_map(|o| {
                let response = response_of(&profile, o);
                let hold = holds(o, response)?;
                Some(Meeting {
                    uid: o.uid.to_string(),
                    recurrence_id: o.recurrence_id.map(|r| r.to_contract_string()),
                    summary: o.summary.to_string(),
                    start: o.start_utc,
                    end: o.end_utc,
                    hold,
                    tier: tiers.get(o.uid.as_ref()).copied().unwrap_or(Tier::DEFAULT),
                    location: o.location.as_deref().map(String::from),
                    own: o.organizer.as_ref().is_some_and(|p| profile.is_self(&p.address))
                        || (o.organizer.is_none() && response != Some(ParticipationStatus::NeedsAction)),
                    attendees: o.attendees.len() as u32,
                })
            })
            .collect();
        let found = find_conflicts(&meetings, &profile, &places);
        let view = |t: DateTime<Utc>| {
            tandem_core::calendar::wall_string(tandem_core::time::local_in(shown_zone(&places, zone, t), t), false)
        };
        Ok(ConflictsDto {
            executive_id: profile.id.clone(),
            zone: zone.name().to_string(),
            from: tandem_core::calendar::date_string(from),
            days,
            conflicts: found
                .iter()
                .map(|c| ConflictDto {
                    kind: c.kind.as_str().into(),
                    severity: match c.severity {
                        tandem_core::scheduler::conflicts::Severity::High => "high",
                        tandem_core::scheduler::conflicts::Severity::Medium => "medium",
                        tandem_core::scheduler::conflicts::Severity::Low => "low",
                    }
                    .into(),
                    date: tandem_core::calendar::date_string(c.date),
                    reason: c.reason.clone(),
                    meetings: c
                        .meetings
                        .iter()
                        .map(|&i| {
                            let m = &meetings[i];
                            ConflictMeetingDto {
                                uid: m.uid.clone(),
                                recurrence_id: m.recurrence_id.clone(),
                                summary: m.summary.clone(),
                                view_start: view(m.start),
                                view_end: view(m.end),
                                tier: m.tier.as_str().into(),
                                own: m.own,
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
    }
}
