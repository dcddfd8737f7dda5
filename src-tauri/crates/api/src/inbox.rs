//! The inbox list, and search over it.

use tandem_core::ExecutiveProfile;
use tandem_store::StoredMessage;

use crate::dto::{InboxItem, InboxPage, SearchDto};
use crate::error::{ApiError, Result};
use crate::Tandem;

/// Longest page the UI may ask for; the list is virtual and pages as it scrolls.
pub const MAX_PAGE: usize = 500;

impl Tandem {
    /// Messages newest first. VIP senders are marked from the profile's `vip` group.
    pub fn inbox(&self, executive: Option<&str>, offset: usize, limit: usize) -> Result<InboxPage> {
        let profile = self.executive(executive)?;
        let total = self.store.message_count(&profile.id)?;
        let page = self.store.messages_page(&profile.id, &Default::default(), offset, limit.min(MAX_PAGE))?;
        let items = page.into_iter().map(|s| inbox_item(&profile, s)).collect();
        Ok(InboxPage { total: total as u32, offset: offset as u32, items })
    }

    /// Messages matching a search (words, "phrases", from:, to:, lane:, before:, after:,
    /// is:flagged, is:unread, has:invitation), newest first. A malformed query is refused with
    /// what is wrong in it.
    pub fn search(&self, executive: Option<&str>, text: &str, limit: usize) -> Result<SearchDto> {
        let profile = self.executive(executive)?;
        let query = tandem_core::search::parse(text).map_err(|e| ApiError::invalid(e.to_string()))?;
        let found = self.store.search_messages(&profile.id, &query, limit.min(MAX_PAGE))?;
        Ok(SearchDto { query: text.to_string(), items: found.into_iter().map(|s| inbox_item(&profile, s)).collect() })
    }
}

/// A message as the inbox lists it. VIP senders are marked from the profile's `vip` group.
fn inbox_item(profile: &ExecutiveProfile, s: StoredMessage) -> InboxItem {
    let m = s.message;
    let groups = profile.groups_of(&m.from.address);
    InboxItem {
        id: s.id,
        thread_key: m.thread_key(),
        vip: groups.iter().any(|g| g == "vip"),
        groups,
        from_name: m.from.name.clone(),
        from_address: m.from.address.clone(),
        snippet: m.snippet(140),
        subject: m.subject,
        date: m.date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        lane: m.lane.as_str().to_string(),
        important: m.marked_important,
        invitation: m.calendar_method.as_deref() == Some("REQUEST"),
        seen: m.flags.seen,
    }
}
