//! Writing mail for the executive: replies, forwards and delegations, from the EP's templates.
//!
//! A draft is made first ([`Tandem::draft`]: recipients, subject, the template filled in, the
//! original quoted) for the EP to read and edit; sending it ([`Tandem::send_draft`]) writes the
//! mail, queues it in the outbox for after the undo window, and records an undoable action in
//! the same transaction. The mail is from the executive (the address the message reached),
//! with the EP as Sender when the EP writes on the executive's behalf.
//!
//! A delegation forwards the message with a note, moves it to "waiting on others" with whom it
//! went to, and sets a follow-up: the EP is reminded when nobody has answered in the thread by
//! then. The forward carries the thread's References, so the delegate's reply joins the thread
//! and settles the follow-up.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use tandem_core::mail::{Lane, LaneSource, Mailbox};
use tandem_core::profile::SendAs;
use tandem_core::template::{first_name, render, TemplateUse, Templates, VARIABLES};
use tandem_core::ExecutiveProfile;
use tandem_formats::outgoing::{text_mail, Envelope};
use tandem_store::{NewOutboxItem, OutboxKind, RuleBook};

use crate::dto::{DraftDto, DraftRequest, SentDraftDto, TemplateDto, TemplatesDocument};
use crate::error::{ApiError, ErrorCode, Result};
use crate::invitations::MANUAL_HOLD_SECONDS;
use crate::Tandem;

/// Days after which a delegation with no answer comes back to the EP.
pub const DELEGATION_FOLLOW_UP_DAYS: u32 = 3;

/// Lines of the original quoted under a reply (the rest is in the thread anyway).
const QUOTED_LINES: usize = 200;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Reply,
    ReplyAll,
    Forward,
    Delegate,
}

impl Kind {
    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "reply" => Kind::Reply,
            "reply_all" => Kind::ReplyAll,
            "forward" => Kind::Forward,
            "delegate" => Kind::Delegate,
            other => {
                return Err(ApiError::invalid(format!("'{other}': expected reply, reply_all, forward or delegate")))
            }
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            Kind::Reply => "reply",
            Kind::ReplyAll => "reply_all",
            Kind::Forward => "forward",
            Kind::Delegate => "delegate",
        }
    }

    fn template_use(self) -> TemplateUse {
        match self {
            Kind::Reply | Kind::ReplyAll => TemplateUse::Reply,
            Kind::Forward => TemplateUse::Forward,
            Kind::Delegate => TemplateUse::Delegate,
        }
    }
}

impl Tandem {
    fn templates(&self, profile: &ExecutiveProfile) -> Result<(Templates, Option<String>)> {
        match self.store.rules_document(&profile.id, RuleBook::Templates)? {
            None => Ok((Templates::defaults(), None)),
            Some(doc) => {
                let t = Templates::from_toml(&doc).map_err(|e| {
                    ApiError::new(ErrorCode::InvalidRules, format!("the saved templates no longer validate: {e}"))
                })?;
                Ok((t, Some(doc)))
            }
        }
    }

    /// The executive's templates (the defaults until the EP saves their own).
    pub fn templates_document(&self, executive: Option<&str>) -> Result<TemplatesDocument> {
        let profile = self.executive(executive)?;
        let (templates, saved) = self.templates(&profile)?;
        Ok(TemplatesDocument {
            executive_id: profile.id,
            saved: saved.is_some(),
            toml: saved.unwrap_or_else(|| tandem_core::template::DEFAULT_TEMPLATES.to_string()),
            templates: templates.templates.iter().map(template_dto).collect(),
            variables: VARIABLES.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        })
    }

    /// Validates and saves a templates document; one that does not validate is refused,
    /// naming the template and the field, and the templates in force stay.
    pub fn save_templates(
        &mut self,
        executive: Option<&str>,
        toml: &str,
        now: DateTime<Utc>,
    ) -> Result<TemplatesDocument> {
        let profile = self.executive(executive)?;
        Templates::from_toml(toml)?;
        self.store.save_rules_document(&profile.id, RuleBook::Templates, toml, now)?;
        self.templates_document(Some(&profile.id))
    }

    /// A reply, reply-all, forward or delegation of a message, ready to edit.
    pub fn draft(&self, executive: Option<&str>, request: &DraftRequest) -> Result<DraftDto> {
        let profile = self.executive(executive)?;
        let kind = Kind::parse(&request.kind)?;
        let original = self.store.message(&profile.id, request.message_id)?;
        let m = &original.message;
        let me = |a: &str| profile.is_self(a) || is_ep(&profile, a);
        let (to, cc): (Vec<Mailbox>, Vec<Mailbox>) = match kind {
            Kind::Reply | Kind::ReplyAll => {
                // Replying to the executive's own message means writing to its recipients again.
                let to = if profile.is_self(&m.from.address) { m.to.clone() } else { vec![m.from.clone()] };
                let cc = if kind == Kind::ReplyAll {
                    let mut cc: Vec<Mailbox> = m.to.iter().chain(&m.cc).filter(|p| !me(&p.address)).cloned().collect();
                    cc.retain(|p| !to.iter().any(|t| t.address.eq_ignore_ascii_case(&p.address)));
                    dedupe(cc)
                } else {
                    vec![]
                };
                (to, cc)
            }
            Kind::Forward | Kind::Delegate => {
                let to = request.to.iter().map(|r| parse_mailbox(r)).collect::<Result<Vec<_>>>()?;
                if to.is_empty() {
                    return Err(ApiError::invalid(format!("a {} needs someone to send it to", kind.as_str())));
                }
                (to, vec![])
            }
        };
        let (templates, _) = self.templates(&profile)?;
        let template = match request.template.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(name) => Some(
                templates
                    .named(name)
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no template named '{name}'")))?,
            ),
            // A delegation always says why it arrives: the first delegation template.
            None if kind == Kind::Delegate => templates.templates.iter().find(|t| t.used_for == kind.template_use()),
            None => None,
        };
        let values = variables(&profile, m, to.first().filter(|_| kind == Kind::Delegate), request.note.as_deref());
        let note = request.note.clone().unwrap_or_default();
        let words = match template {
            Some(t) => {
                render(&t.body, &values).map_err(|e| ApiError::invalid(format!("template '{}': {e}", t.name)))?
            }
            None if note.trim().is_empty() => "\n".to_string(),
            None => format!("{}\n", note.trim_end()),
        };
        let bare = strip_prefixes(&m.subject);
        let subject = match (template.and_then(|t| t.subject.as_deref()), kind) {
            (Some(s), _) => render(s, &values).map_err(ApiError::invalid)?.trim().to_string(),
            (None, Kind::Reply | Kind::ReplyAll) => format!("Re: {bare}"),
            (None, _) => format!("Fwd: {bare}"),
        };
        let zone = profile.home_time_zone;
        let date = m.date.with_timezone(&zone).format("%a %-d %b %Y at %H:%M").to_string();
        let quoted = match kind {
            Kind::Reply | Kind::ReplyAll => {
                let lines: Vec<String> =
                    m.body_text.lines().take(QUOTED_LINES).map(|l| format!("> {l}").trim_end().to_string()).collect();
                format!("On {date}, {} wrote:\n{}\n", display(&m.from), lines.join("\n"))
            }
            Kind::Forward | Kind::Delegate => {
                let to = m.to.iter().map(display).collect::<Vec<_>>().join(", ");
                format!(
                    "---------- Forwarded message ----------\nFrom: {}\nDate: {date}\nSubject: {}\nTo: {to}\n\n{}\n",
                    display(&m.from),
                    m.subject,
                    m.body_text.trim_end()
                )
            }
        };
        let (from, sender) = from_and_sender(&profile, m);
        Ok(DraftDto {
            kind: kind.as_str().to_string(),
            message_id: original.id,
            from: display(&from),
            sender: sender.as_ref().map(display),
            to: to.iter().map(display).collect(),
            cc: cc.iter().map(display).collect(),
            subject,
            body: format!("{words}\n{quoted}"),
            follow_up_days: (kind == Kind::Delegate).then_some(DELEGATION_FOLLOW_UP_DAYS),
            attachments: match kind {
                Kind::Forward | Kind::Delegate => {
                    m.attachments.iter().map(|a| a.name.clone().unwrap_or_else(|| a.content_type.clone())).collect()
                }
                Kind::Reply | Kind::ReplyAll => vec![],
            },
        })
    }

    /// Sends a draft: the mail goes into the outbox (leaving after the undo window) and the
    /// message is marked answered, or, for a delegation, moved to "waiting on others" with a
    /// follow-up. Undone with [`Tandem::undo_mail_action`] while the mail has not left.
    pub fn send_draft(
        &mut self,
        executive: Option<&str>,
        draft: &DraftDto,
        now: DateTime<Utc>,
    ) -> Result<SentDraftDto> {
        let profile = self.executive(executive)?;
        let kind = Kind::parse(&draft.kind)?;
        let original = self.store.message(&profile.id, draft.message_id)?;
        let m = &original.message;
        let to = draft.to.iter().map(|r| parse_mailbox(r)).collect::<Result<Vec<_>>>()?;
        let cc = draft.cc.iter().map(|r| parse_mailbox(r)).collect::<Result<Vec<_>>>()?;
        if to.is_empty() {
            return Err(ApiError::invalid("the mail has no recipient"));
        }
        if draft.subject.trim().is_empty() {
            return Err(ApiError::invalid("the mail has no subject"));
        }
        let (from, sender) = from_and_sender(&profile, m);
        let domain = from.address.rsplit_once('@').map_or("localhost", |(_, d)| d).to_string();
        let message_id = format!(
            "tandem-{}-{:016x}@{domain}",
            kind.as_str().replace('_', "-"),
            tandem_formats::content_hash(
                format!("{}{}{}", m.message_id, profile.id, now.timestamp_micros()).as_bytes()
            )
        );
        // Replies answer the message; forwards start a new conversation that still carries the
        // thread, so that an answer to it joins this one.
        let mut references = m.references.clone();
        references.push(m.message_id.clone());
        let envelope = Envelope {
            from,
            sender,
            to: to.clone(),
            cc: cc.clone(),
            subject: draft.subject.trim().to_string(),
            message_id,
            in_reply_to: matches!(kind, Kind::Reply | Kind::ReplyAll).then(|| m.message_id.clone()),
            references,
            date: now,
        };
        // A forward carries the original's files (the board pack goes with it).
        let files = match kind {
            Kind::Forward | Kind::Delegate => {
                tandem_formats::mail::attached_files(&self.store.message_raw(original.id)?)
            }
            Kind::Reply | Kind::ReplyAll => Vec::new(),
        };
        let raw = text_mail(&envelope, &draft.body, &files);
        let recipients: Vec<String> = to.iter().chain(&cc).map(|p| p.address.clone()).collect();
        let first = to[0].name.clone().unwrap_or_else(|| to[0].address.clone());
        let others = if recipients.len() > 1 { format!(" and {} more", recipients.len() - 1) } else { String::new() };
        let summary = match kind {
            Kind::Reply | Kind::ReplyAll => format!("Reply to {first}{others}: {}", envelope.subject),
            Kind::Forward => format!("Forward to {first}{others}: {}", envelope.subject),
            Kind::Delegate => format!("Delegated to {first}: {}", strip_prefixes(&m.subject)),
        };
        let send_after = now + Duration::seconds(MANUAL_HOLD_SECONDS);
        let before = original.state.clone();
        let mut after = before.clone();
        match kind {
            Kind::Reply | Kind::ReplyAll => after.flags.answered = true,
            Kind::Forward => {}
            Kind::Delegate => {
                after.lane = Lane::WaitingOnOthers;
                after.lane_reason =
                    format!("delegated to {first} on {}", now.with_timezone(&profile.home_time_zone).format("%-d %b"));
                after.lane_by = LaneSource::Ep;
                let days = draft.follow_up_days.unwrap_or(DELEGATION_FOLLOW_UP_DAYS).max(1);
                after.follow_up_at = Some(now + Duration::days(days.into()));
            }
        }
        let (outbox_id, action_id) = self.store.transaction(|st| {
            let outbox_id = st.enqueue(
                &profile.id,
                &NewOutboxItem {
                    kind: OutboxKind::Mail,
                    summary: &summary,
                    recipients: &recipients,
                    payload: &raw,
                    decision: None,
                    uid: None,
                    created_at: now,
                    send_after,
                },
            )?;
            crate::inbox::save_state(st, &profile.id, original.id, &before, &after)?;
            let action = st.record_mail_action(
                &profile.id,
                &summary,
                &[(original.id, before.clone())],
                None,
                Some(outbox_id),
                now,
            )?;
            Ok((outbox_id, action))
        })?;
        tracing::info!(outbox = outbox_id, kind = kind.as_str(), "mail queued");
        Ok(SentDraftDto {
            action_id,
            outbox_id,
            summary,
            send_after: send_after.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
    }
}

fn template_dto(t: &tandem_core::template::Template) -> TemplateDto {
    TemplateDto {
        name: t.name.clone(),
        used_for: match t.used_for {
            TemplateUse::Reply => "reply",
            TemplateUse::Forward => "forward",
            TemplateUse::Delegate => "delegate",
        }
        .to_string(),
        subject: t.subject.clone(),
        body: t.body.clone(),
    }
}

/// The executive as the sender (the address the message reached them at, else their first),
/// and the EP as Sender when the EP writes on their behalf.
fn from_and_sender(profile: &ExecutiveProfile, m: &tandem_core::mail::Message) -> (Mailbox, Option<Mailbox>) {
    let address =
        m.to.iter()
            .chain(&m.cc)
            .chain(std::iter::once(&m.from))
            .find(|p| profile.is_self(&p.address))
            .map(|p| p.address.to_ascii_lowercase())
            .unwrap_or_else(|| profile.primary_address().to_ascii_lowercase());
    let from = Mailbox { name: Some(profile.name.clone()), address };
    let sender = match profile.send_as {
        SendAs::OnBehalf => profile
            .assistant
            .as_ref()
            .map(|a| Mailbox { name: Some(a.name.clone()), address: a.address.to_ascii_lowercase() }),
        SendAs::AsExecutive => None,
    };
    (from, sender)
}

fn is_ep(profile: &ExecutiveProfile, address: &str) -> bool {
    profile.assistant.as_ref().is_some_and(|a| a.address.eq_ignore_ascii_case(address))
}

fn variables<'a>(
    profile: &ExecutiveProfile,
    m: &tandem_core::mail::Message,
    delegate: Option<&Mailbox>,
    note: Option<&str>,
) -> BTreeMap<&'a str, String> {
    let sender_name = m.from.name.clone().unwrap_or_else(|| m.from.address.clone());
    let mut v = BTreeMap::from([
        ("sender.first", first_name(&sender_name)),
        ("sender.name", sender_name),
        ("sender.address", m.from.address.clone()),
        ("executive.name", profile.name.clone()),
        ("executive.first", first_name(&profile.name)),
        ("subject", strip_prefixes(&m.subject).to_string()),
        ("date", m.date.with_timezone(&profile.home_time_zone).format("%A %-d %B").to_string()),
        ("note", note.unwrap_or_default().trim().to_string()),
    ]);
    if let Some(a) = &profile.assistant {
        v.insert("ep.name", a.name.clone());
        v.insert("ep.first", first_name(&a.name));
    }
    if let Some(d) = delegate {
        let name = d.name.clone().unwrap_or_else(|| d.address.clone());
        v.insert("delegate.first", first_name(&name));
        v.insert("delegate.name", name);
    }
    v
}

/// "Re: Fwd: RE: Board pack" → "Board pack".
fn strip_prefixes(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let Some(rest) = ["re:", "fwd:", "fw:", "aw:", "wg:", "sv:", "tr:"]
            .iter()
            .find_map(|p| lower.starts_with(p).then(|| s[p.len()..].trim_start()))
        else {
            return s;
        };
        s = rest;
    }
}

fn display(m: &Mailbox) -> String {
    match &m.name {
        Some(n) if !n.is_empty() => format!("{n} <{}>", m.address),
        _ => m.address.clone(),
    }
}

/// "Name <address>" or "address", as the EP types it.
fn parse_mailbox(text: &str) -> Result<Mailbox> {
    let t = text.trim();
    let (name, address) = match (t.rfind('<'), t.ends_with('>')) {
        (Some(i), true) => {
            let name = t[..i].trim().trim_matches('"').trim();
            (Some(name.to_string()).filter(|n| !n.is_empty()), t[i + 1..t.len() - 1].trim())
        }
        _ => (None, t),
    };
    let valid = address.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.ends_with('.'))
        && !address.contains(char::is_whitespace);
    if !valid {
        return Err(ApiError::invalid(format!("'{text}' is not an e-mail address")));
    }
    Ok(Mailbox { name, address: address.to_string() })
}

fn dedupe(list: Vec<Mailbox>) -> Vec<Mailbox> {
    let mut seen = std::collections::HashSet::new();
    list.into_iter().filter(|p| seen.insert(p.address.to_ascii_lowercase())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_prefixes_in_any_language_and_case_are_stripped() {
        assert_eq!(strip_prefixes("Re: Fwd: RE: Board pack"), "Board pack");
        assert_eq!(strip_prefixes("AW: WG: Termin"), "Termin");
        assert_eq!(strip_prefixes("Regarding the pack"), "Regarding the pack");
    }

    #[test]
    fn an_address_is_read_with_or_without_a_name_and_a_bad_one_is_refused() {
        let m = parse_mailbox("\"Vance, Eleanor\" <eleanor@vh.example>").unwrap();
        assert_eq!((m.name.as_deref(), m.address.as_str()), (Some("Vance, Eleanor"), "eleanor@vh.example"));
        assert_eq!(parse_mailbox(" li@p.example ").unwrap().name, None);
        for bad in ["li", "li@", "@p.example", "li@p", "li smith@p.example", "Name <>"] {
            assert!(parse_mailbox(bad).is_err(), "{bad}");
        }
    }
}
