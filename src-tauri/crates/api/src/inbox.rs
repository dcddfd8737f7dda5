//! The inbox: lanes, triage, search, and the EP's actions on messages (each one undoable).

use chrono::{DateTime, Duration, Utc};
use tandem_core::mail::{Lane, LaneSource, MessageState};
use tandem_core::triage::{triage, TriageRules};
use tandem_core::ExecutiveProfile;
use tandem_store::{MessageFilter, RuleBook, StoredMessage};

use crate::dto::{
    InboxItem, InboxPage, LaneCount, MailActionDto, MailActionKind, MailDueDto, MessageView, SearchDto, TriageReport,
    TriageRulesDocument,
};
use crate::error::{ApiError, ErrorCode, Result};
use crate::Tandem;

/// Longest page the UI may ask for; the list is virtual and pages as it scrolls.
pub const MAX_PAGE: usize = 500;

/// What an action does to one message's state.
type StateChange = Box<dyn Fn(&mut MessageState)>;

/// Messages triaged per transaction.
const TRIAGE_BATCH: usize = 1000;

/// How far back a snooze or follow-up that fell due while Tandem was closed is still shown.
const DUE_LOOK_BACK_HOURS: i64 = 72;

impl Tandem {
    /// The inbox as it stands at `now` (not archived, not snoozed), in working order: by lane
    /// (needs the executive first), VIPs first within a lane, newest first. `lane` narrows it
    /// to one lane.
    pub fn inbox(
        &self,
        executive: Option<&str>,
        lane: Option<&str>,
        offset: usize,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<InboxPage> {
        let profile = self.executive(executive)?;
        let lane = lane.map(parse_lane).transpose()?;
        let base = MessageFilter { inbox_at: Some(now), ..Default::default() };
        let lanes = lane_counts(self.store.lane_counts(&profile.id, &base)?);
        let filter = MessageFilter { lane, triage_order: Some(vip_patterns(&profile)), ..base };
        let total = match lane {
            Some(l) => lanes.iter().find(|c| c.lane == l.as_str()).map_or(0, |c| c.count),
            None => lanes.iter().map(|c| c.count).sum(),
        };
        let page = self.store.messages_page(&profile.id, &filter, offset, limit.min(MAX_PAGE))?;
        let items = page.into_iter().map(|s| inbox_item(&profile, s)).collect();
        Ok(InboxPage { total, offset: offset as u32, lane: lane.map(|l| l.as_str().to_string()), lanes, items })
    }

    /// Messages matching a search (words, "phrases", from:, to:, lane:, before:, after:,
    /// is:flagged, is:unread, has:invitation, has:attachment), newest first, archived ones
    /// included. A malformed query is refused with what is wrong in it.
    pub fn search(&self, executive: Option<&str>, text: &str, limit: usize) -> Result<SearchDto> {
        let profile = self.executive(executive)?;
        let query = tandem_core::search::parse(text).map_err(|e| ApiError::invalid(e.to_string()))?;
        let found = self.store.search_messages(&profile.id, &query, limit.min(MAX_PAGE))?;
        Ok(SearchDto { query: text.to_string(), items: found.into_iter().map(|s| inbox_item(&profile, s)).collect() })
    }

    /// Opens a message for reading, marking it read: its text, its HTML sanitised for a
    /// sandboxed frame (remote content held back unless allowed for the sender), its thread.
    pub fn read_message(&mut self, executive: Option<&str>, id: i64) -> Result<MessageView> {
        let profile = self.executive(executive)?;
        let mut stored = self.store.message(&profile.id, id)?;
        if !stored.state.flags.seen {
            let before = stored.state.clone();
            stored.state.flags.seen = true;
            save_state(&self.store, &profile.id, id, &before, &stored.state)?;
        }
        let raw = self.store.message_raw(id)?;
        let body = tandem_formats::mail::message_body(&raw).unwrap_or_default();
        let sender = stored.message.from.address.clone();
        let remote_allowed = self.store.remote_content_allowed(&profile.id, &sender)?;
        let safe = body.html.as_deref().map(|html| {
            let policy = tandem_formats::html::HtmlPolicy { remote_allowed, inline: body.inline.clone() };
            tandem_formats::html::sanitise(html, &policy)
        });
        let text = if body.text.trim().is_empty() { stored.message.body_text.clone() } else { body.text };
        let person = |m: &tandem_core::mail::Mailbox| match &m.name {
            Some(n) => format!("{n} <{}>", m.address),
            None => m.address.clone(),
        };
        let to = stored.message.to.iter().map(person).collect();
        let cc = stored.message.cc.iter().map(person).collect();
        let thread = self
            .store
            .thread(&profile.id, &stored.thread_key)?
            .into_iter()
            .filter(|m| m.id != id)
            .map(|m| inbox_item(&profile, m))
            .collect();
        Ok(MessageView {
            to,
            cc,
            text,
            html_document: safe.as_ref().map(|s| s.document()),
            blocked_remote: safe.as_ref().map_or(0, |s| s.blocked_remote as u32),
            remote_allowed,
            thread,
            item: inbox_item(&profile, stored),
        })
    }

    /// Allows (or stops allowing) remote images and styles in mail from `sender`.
    pub fn allow_remote_content(
        &mut self,
        executive: Option<&str>,
        sender: &str,
        allowed: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let profile = self.executive(executive)?;
        if !sender.contains('@') {
            return Err(ApiError::invalid(format!("'{sender}' is not an e-mail address")));
        }
        Ok(self.store.set_remote_content(&profile.id, sender, allowed, now)?)
    }

    /// Gives a lane to every message not triaged yet, by the EP's triage rules and then the
    /// heuristics, each with its reason. With `again`, messages triaged before are triaged
    /// anew (after the rules changed); the EP's own moves are kept either way.
    pub fn triage(&mut self, executive: Option<&str>, again: bool, now: DateTime<Utc>) -> Result<TriageReport> {
        let profile = self.executive(executive)?;
        let rules = self.triage_rules(&profile)?;
        let mut triaged = 0;
        let mut items = Vec::new();
        let filter = MessageFilter { untriaged: !again, full_body: true, ..Default::default() };
        let mut offset = 0;
        loop {
            // Without `again`, each batch leaves the untriaged set, so the next starts at 0.
            let batch = self.store.messages_page(&profile.id, &filter, if again { offset } else { 0 }, TRIAGE_BATCH)?;
            if batch.is_empty() {
                break;
            }
            offset += batch.len();
            let mut changed = Vec::new();
            for mut s in batch {
                if s.state.lane_by == LaneSource::Ep {
                    continue;
                }
                let t = triage(&s.message, &profile, &rules);
                s.state.lane = t.lane;
                s.state.lane_reason = t.reason;
                s.state.lane_by = t.by;
                changed.push(s);
            }
            // Nothing left to change in a batch of untriaged mail would loop for ever.
            let stuck = changed.is_empty() && !again;
            self.store.transaction(|st| {
                for s in &changed {
                    st.set_message_state(&profile.id, s.id, &s.state)?;
                }
                Ok(())
            })?;
            triaged += changed.len();
            for s in changed {
                if items.len() < MAX_PAGE {
                    let mut s = s;
                    s.message.lane = s.state.lane;
                    items.push(inbox_item(&profile, s));
                }
            }
            if stuck {
                break;
            }
        }
        let base = MessageFilter { inbox_at: Some(now), ..Default::default() };
        let lanes = lane_counts(self.store.lane_counts(&profile.id, &base)?);
        tracing::info!(triaged, "mail triaged");
        Ok(TriageReport { triaged: triaged as u32, lanes, items })
    }

    /// The executive's triage rules document (empty when none was saved).
    pub fn triage_rules_document(&self, executive: Option<&str>) -> Result<TriageRulesDocument> {
        let profile = self.executive(executive)?;
        let saved = self.store.rules_document(&profile.id, RuleBook::Triage)?;
        Ok(TriageRulesDocument { executive_id: profile.id, saved: saved.is_some(), toml: saved.unwrap_or_default() })
    }

    /// Validates and saves the triage rules, then triages the inbox again by them (the EP's
    /// own moves stay). A document that does not validate is refused, naming the rule and the
    /// field, and the rules in force stay.
    pub fn save_triage_rules(
        &mut self,
        executive: Option<&str>,
        toml: &str,
        now: DateTime<Utc>,
    ) -> Result<TriageReport> {
        let profile = self.executive(executive)?;
        TriageRules::from_toml(toml, &profile).map_err(|e| ApiError::new(ErrorCode::InvalidRules, e.to_string()))?;
        self.store.save_rules_document(&profile.id, RuleBook::Triage, toml, now)?;
        self.triage(Some(&profile.id), true, now)
    }

    fn triage_rules(&self, profile: &ExecutiveProfile) -> Result<TriageRules> {
        match self.store.rules_document(&profile.id, RuleBook::Triage)? {
            None => Ok(TriageRules::default()),
            Some(doc) => TriageRules::from_toml(&doc, profile).map_err(|e| {
                ApiError::new(ErrorCode::InvalidRules, format!("the saved triage rules no longer validate: {e}"))
            }),
        }
    }

    /// Does `action` to the messages `ids` and records what they were before, so that
    /// [`Tandem::undo_mail_action`] can put it back. A move with `make_rule` also adds a triage
    /// rule for the (first) message's sender, which undo takes away again.
    pub fn act_on_mail(
        &mut self,
        executive: Option<&str>,
        ids: &[i64],
        action: &MailActionKind,
        now: DateTime<Utc>,
    ) -> Result<MailActionDto> {
        let profile = self.executive(executive)?;
        if ids.is_empty() {
            return Err(ApiError::invalid("no messages given"));
        }
        let messages = ids.iter().map(|id| self.store.message(&profile.id, *id)).collect::<Result<Vec<_>, _>>()?;
        let n = messages.len();
        let count = if n == 1 { "1 message".to_string() } else { format!("{n} messages") };
        let mut rule_added = None;
        let (summary, change): (String, StateChange) = match action {
            MailActionKind::Archive => (format!("Archived {count}"), Box::new(|s| s.archived = true)),
            MailActionKind::Unarchive => (
                format!("Moved {count} back to the inbox"),
                Box::new(|s| {
                    s.archived = false;
                    s.snoozed_until = None;
                }),
            ),
            MailActionKind::Flag => (format!("Flagged {count} for the briefing"), Box::new(|s| s.flags.flagged = true)),
            MailActionKind::Unflag => (format!("Unflagged {count}"), Box::new(|s| s.flags.flagged = false)),
            MailActionKind::Read => (format!("Marked {count} read"), Box::new(|s| s.flags.seen = true)),
            MailActionKind::Unread => (format!("Marked {count} unread"), Box::new(|s| s.flags.seen = false)),
            MailActionKind::Snooze { until } => {
                let at = crate::meetings::local_or_instant(&profile, until)?;
                if at <= now {
                    return Err(ApiError::invalid(format!("snooze until {until}: that is not in the future")));
                }
                let local = at.with_timezone(&profile.home_time_zone).format("%a %-d %b %H:%M");
                (format!("Snoozed {count} until {local}"), Box::new(move |s| s.snoozed_until = Some(at)))
            }
            MailActionKind::Unsnooze => (format!("Woke {count}"), Box::new(|s| s.snoozed_until = None)),
            MailActionKind::FollowUp { days } => {
                if *days == 0 || *days > 365 {
                    return Err(ApiError::invalid(format!("follow up in {days} days: give 1 to 365")));
                }
                let at = now + Duration::days(i64::from(*days));
                let plural = if *days == 1 { "" } else { "s" };
                (
                    format!("Follow up on {count} in {days} day{plural} if no one replies"),
                    Box::new(move |s| s.follow_up_at = Some(at)),
                )
            }
            MailActionKind::ClearFollowUp => {
                (format!("Cleared the follow-up on {count}"), Box::new(|s| s.follow_up_at = None))
            }
            MailActionKind::Move { lane, make_rule } => {
                let lane = parse_lane(lane)?;
                if lane == Lane::Untriaged {
                    return Err(ApiError::invalid("a message is moved into a lane, not out of triage"));
                }
                if *make_rule {
                    let mut rules = self.triage_rules(&profile)?;
                    let rule = rules.rule_for_sender(&messages[0].message.from.address, lane);
                    rule_added = Some(rule.name.clone());
                    rules.rules.push(rule);
                    self.store.save_rules_document(&profile.id, RuleBook::Triage, &rules.to_toml(), now)?;
                }
                let label = lane_label(lane);
                (
                    format!("Moved {count} to {label}"),
                    Box::new(move |s| {
                        s.lane = lane;
                        s.lane_by = LaneSource::Ep;
                        s.lane_reason = "moved by the EP".into();
                    }),
                )
            }
            MailActionKind::Link { uid } => {
                let uid = uid.trim().to_string();
                if self.store.events_with_uid(&profile.id, &uid)?.is_empty() {
                    return Err(ApiError::new(ErrorCode::NotFound, format!("no meeting with UID {uid}")));
                }
                (format!("Linked {count} to a meeting"), Box::new(move |s| s.event_uid = Some(uid.clone())))
            }
            MailActionKind::Unlink => (format!("Unlinked {count} from its meeting"), Box::new(|s| s.event_uid = None)),
        };
        let summary = match &rule_added {
            Some(rule) => format!("{summary}, and added the rule '{rule}'"),
            None => summary,
        };
        let before: Vec<(i64, MessageState)> = messages.iter().map(|m| (m.id, m.state.clone())).collect();
        let id = self.store.transaction(|st| {
            for m in &messages {
                let mut state = m.state.clone();
                change(&mut state);
                save_state(st, &profile.id, m.id, &m.state, &state)?;
            }
            st.record_mail_action(&profile.id, &summary, &before, rule_added.as_deref(), None, now)
        })?;
        Ok(MailActionDto { id, summary, messages: n as u32, rule: rule_added })
    }

    /// Puts the messages of an action back as they were (and takes away the rule it added).
    /// Undoing twice is refused.
    pub fn undo_mail_action(&mut self, executive: Option<&str>, id: i64, now: DateTime<Utc>) -> Result<MailActionDto> {
        let profile = self.executive(executive)?;
        let action = self.store.mail_action(&profile.id, id)?;
        if action.undone_at.is_some() {
            return Err(ApiError::new(ErrorCode::Conflict, format!("'{}' was undone already", action.summary)));
        }
        if let Some(name) = &action.added_rule {
            let mut rules = self.triage_rules(&profile)?;
            rules.rules.retain(|r| &r.name != name);
            self.store.save_rules_document(&profile.id, RuleBook::Triage, &rules.to_toml(), now)?;
        }
        if let Some(item) = action.outbox_id {
            // The mail it queued is taken back first; once it has left, nothing is undone.
            if !self.store.cancel_outbox_item(item)? {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!("'{}' has already been sent; it cannot be taken back", action.summary),
                ));
            }
        }
        self.store.transaction(|st| {
            for (message, state) in &action.before {
                let now_state = st.message(&profile.id, *message)?.state;
                save_state(st, &profile.id, *message, &now_state, state)?;
            }
            st.mark_mail_action_undone(&profile.id, id, now)
        })?;
        Ok(MailActionDto {
            id,
            summary: format!("Undid: {}", action.summary),
            messages: action.before.len() as u32,
            rule: action.added_rule,
        })
    }

    /// Every executive's snoozed messages waking and follow-ups falling due (with no reply in
    /// the thread since) up to `now`, each delivered once: claimed in the store as it is
    /// returned, like meeting reminders, so a restart does not repeat it.
    pub fn due_mail(&mut self, now: DateTime<Utc>) -> Result<Vec<MailDueDto>> {
        let mut out = Vec::new();
        for summary in self.store.executives()? {
            let profile = self.store.executive_profile(&summary.id)?;
            let due = self.store.mail_due(&profile.id, now - Duration::hours(DUE_LOOK_BACK_HOURS), now)?;
            for s in due {
                for (kind, at) in [("snooze", s.state.snoozed_until), ("follow_up", s.state.follow_up_at)] {
                    let Some(at) = at.filter(|t| *t <= now && *t > now - Duration::hours(DUE_LOOK_BACK_HOURS)) else {
                        continue;
                    };
                    if kind == "follow_up" && self.replied_since(&profile, &s)? {
                        continue;
                    }
                    let key = format!("mail-{kind}:{}:{}", s.id, at.timestamp());
                    if self.store.claim_reminder(&profile.id, &key, at)? {
                        out.push(MailDueDto {
                            executive_id: profile.id.clone(),
                            executive_name: profile.name.clone(),
                            kind: kind.to_string(),
                            at: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                            message: inbox_item(&profile, s.clone()),
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    /// Whether someone other than the executive and the EP wrote in the message's thread
    /// after it (an automatic reply is no answer).
    fn replied_since(&self, profile: &ExecutiveProfile, s: &StoredMessage) -> Result<bool> {
        let ep = profile.assistant.as_ref().map(|a| a.address.as_str());
        Ok(self.store.thread(&profile.id, &s.thread_key)?.iter().any(|m| {
            m.message.date > s.message.date
                && tandem_core::triage::auto_reply(&m.message).is_none()
                && !profile.is_self(&m.message.from.address)
                && ep.is_none_or(|a| !a.eq_ignore_ascii_case(&m.message.from.address))
        }))
    }
}

/// Writes a state the EP chose, and marks the flags it changed (and an archiving) to be pushed
/// to the mail server by the next sync (triage and the sync's own pulls write states directly: they are
/// not the EP's changes to send).
pub(crate) fn save_state(
    store: &tandem_store::Store,
    executive: &str,
    id: i64,
    before: &MessageState,
    after: &MessageState,
) -> tandem_store::Result<()> {
    store.set_message_state(executive, id, after)?;
    let moved = if before.archived != after.archived { tandem_store::ARCHIVE_PENDING } else { 0 };
    store.mark_flags_dirty(id, before.flags.changed(after.flags) | moved)
}

fn parse_lane(text: &str) -> Result<Lane> {
    Lane::parse(text).ok_or_else(|| {
        ApiError::invalid(format!(
            "'{text}' is not a lane (needs_executive, ep_handles, waiting_on_others, fyi, noise, untriaged)"
        ))
    })
}

/// A lane as the EP reads it.
pub fn lane_label(lane: Lane) -> &'static str {
    match lane {
        Lane::Untriaged => "Not triaged",
        Lane::NeedsExecutive => "Needs the executive",
        Lane::EpHandles => "EP handles",
        Lane::WaitingOnOthers => "Waiting on others",
        Lane::Fyi => "FYI",
        Lane::Noise => "Noise",
    }
}

/// Every lane in working order, with its count (zero included, so the UI's lane bar is stable).
fn lane_counts(counts: Vec<(Lane, usize)>) -> Vec<LaneCount> {
    Lane::TRIAGE_ORDER
        .iter()
        .map(|l| LaneCount {
            lane: l.as_str().to_string(),
            count: counts.iter().find(|(x, _)| x == l).map_or(0, |(_, n)| *n as u32),
        })
        .collect()
}

/// The senders that go first within a lane: the profile's `vip` and `board` groups.
fn vip_patterns(profile: &ExecutiveProfile) -> Vec<String> {
    ["vip", "board"].iter().filter_map(|g| profile.groups.get(*g)).flatten().cloned().collect()
}

/// A message as the inbox lists it. VIP senders are marked from the profile's groups.
pub(crate) fn inbox_item(profile: &ExecutiveProfile, s: StoredMessage) -> InboxItem {
    let StoredMessage { id, message: m, state, thread_key, .. } = s;
    let groups = profile.groups_of(&m.from.address);
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    InboxItem {
        id,
        thread_key,
        vip: groups.iter().any(|g| g == "vip" || g == "board"),
        groups,
        from_name: m.from.name.clone(),
        from_address: m.from.address.clone(),
        snippet: m.snippet(140),
        date: stamp(m.date),
        lane: state.lane.as_str().to_string(),
        important: m.marked_important,
        invitation: m.calendar_method.as_deref() == Some("REQUEST"),
        seen: state.flags.seen,
        lane_reason: state.lane_reason,
        lane_by: state.lane_by.as_str().to_string(),
        flagged: state.flags.flagged,
        answered: state.flags.answered,
        archived: state.archived,
        snoozed_until: state.snoozed_until.map(stamp),
        follow_up_at: state.follow_up_at.map(stamp),
        event_uid: state.event_uid,
        attachments: m.attachments.iter().map(|a| a.name.clone().unwrap_or_else(|| a.content_type.clone())).collect(),
        subject: m.subject,
    }
}
