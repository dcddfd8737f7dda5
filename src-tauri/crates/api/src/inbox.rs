//! The inbox list.

use crate::dto::{InboxItem, InboxPage};
use crate::error::Result;
use crate::Tandem;

/// Longest page the UI may ask for; the list is virtual and pages as it scrolls.
pub const MAX_PAGE: usize = 500;

impl Tandem {
    /// Messages newest first. VIP senders are marked from the profile's `vip` group.
    pub fn inbox(&self, executive: Option<&str>, offset: usize, limit: usize) -> Result<InboxPage> {
        let profile = self.executive(executive)?;
        let total = self.store.message_count(&profile.id)?;
        let page = self.store.messages_page(&profile.id, offset, limit.min(MAX_PAGE))?;
        let items = page
            .into_iter()
            .map(|s| {
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
            })
            .collect();
        Ok(InboxPage { total: total as u32, offset: offset as u32, items })
    }
}
