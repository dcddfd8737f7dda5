//! An executive's calendars.

use rusqlite::{params, OptionalExtension};
use tandem_core::Calendar;

use crate::{Result, Store};

pub(crate) const V1: &str = "
CREATE TABLE calendars (
    id           INTEGER PRIMARY KEY,
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    color        TEXT NOT NULL,
    source       TEXT,
    UNIQUE (executive_id, name)
);";

/// Per-calendar visibility in the views.
pub(crate) const V2: &str = "ALTER TABLE calendars ADD COLUMN visible INTEGER NOT NULL DEFAULT 1;";

/// A calendar to create if the executive has none by that name.
#[derive(Clone, Debug)]
pub struct NewCalendar<'a> {
    pub name: &'a str,
    pub color: &'a str,
    /// Where it came from (a file path, a URL), for the EP's information.
    pub source: Option<&'a str>,
}

impl Store {
    /// The executive's calendar named `new.name`, created if missing.
    pub fn ensure_calendar(&self, executive: &str, new: &NewCalendar<'_>) -> Result<Calendar> {
        let existing = self
            .conn
            .query_row(
                "SELECT id, name, color, visible FROM calendars WHERE executive_id = ?1 AND name = ?2",
                params![executive, new.name],
                calendar_row,
            )
            .optional()?;
        if let Some(c) = existing {
            return Ok(c);
        }
        self.conn.execute(
            "INSERT INTO calendars (executive_id, name, color, source) VALUES (?1, ?2, ?3, ?4)",
            params![executive, new.name, new.color, new.source],
        )?;
        Ok(Calendar {
            id: self.conn.last_insert_rowid(),
            name: new.name.to_string(),
            color: new.color.to_string(),
            visible: true,
        })
    }

    /// Deletes a calendar and everything in it (an account added and then taken back).
    pub fn delete_calendar(&self, executive: &str, id: i64) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM calendars WHERE executive_id = ?1 AND id = ?2", params![executive, id])? > 0)
    }

    pub fn calendars(&self, executive: &str) -> Result<Vec<Calendar>> {
        let mut stmt =
            self.conn.prepare("SELECT id, name, color, visible FROM calendars WHERE executive_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([executive], calendar_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets a calendar's colour and visibility (a calendar of another executive is left alone).
    pub fn set_calendar_look(&self, executive: &str, id: i64, color: &str, visible: bool) -> Result<()> {
        self.conn.execute(
            "UPDATE calendars SET color = ?3, visible = ?4 WHERE executive_id = ?1 AND id = ?2",
            params![executive, id, color, visible],
        )?;
        Ok(())
    }
}

fn calendar_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Calendar> {
    Ok(Calendar { id: r.get(0)?, name: r.get(1)?, color: r.get(2)?, visible: r.get(3)? })
}
