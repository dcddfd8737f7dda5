//! Priority tiers: how firmly a meeting holds its place when meetings clash.
//!
//! P0 never moves (the board, a customer's deadline); P3 moves first (a catch-up). The EP's
//! rules set an invitation's tier, and the scheduler reads tiers when it decides who moves.
//! A meeting nobody gave a tier is [`Tier::DEFAULT`].

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    /// Fixed: never moved.
    P0,
    P1,
    P2,
    /// Flexible: moved first.
    P3,
}

impl Tier {
    /// The tier of a meeting no rule and no person has placed.
    pub const DEFAULT: Tier = Tier::P2;

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::P0 => "P0",
            Tier::P1 => "P1",
            Tier::P2 => "P2",
            Tier::P3 => "P3",
        }
    }

    /// Reads `P0`..`P3`, case-insensitively.
    pub fn parse(s: &str) -> Option<Tier> {
        match s.trim().to_ascii_uppercase().as_str() {
            "P0" => Some(Tier::P0),
            "P1" => Some(Tier::P1),
            "P2" => Some(Tier::P2),
            "P3" => Some(Tier::P3),
            _ => None,
        }
    }
}

/// Group names (in the profile's `[groups]`) whose meetings default to P1.
pub const WEIGHTY_GROUPS: [&str; 2] = ["board", "vip"];

/// Attendees from which a meeting defaults to P1: moving it re-plans a crowd.
pub const CROWD: usize = 8;

/// The tier of a meeting no rule and no person has placed, read from what it is: organised by
/// someone in the board or VIP groups, or with a crowd in it, it is P1; held only tentatively,
/// P3; otherwise [`Tier::DEFAULT`].
pub fn default_for(organizer_groups: &[String], attendees: usize, tentative: bool) -> Tier {
    if organizer_groups.iter().any(|g| WEIGHTY_GROUPS.contains(&g.as_str())) || attendees >= CROWD {
        Tier::P1
    } else if tentative {
        Tier::P3
    } else {
        Tier::DEFAULT
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_without_a_tier_takes_one_from_its_organiser_its_size_and_how_firmly_it_is_held() {
        assert_eq!(default_for(&["board".into()], 2, false), Tier::P1);
        assert_eq!(default_for(&[], CROWD, false), Tier::P1);
        assert_eq!(default_for(&["directs".into()], 3, true), Tier::P3);
        assert_eq!(default_for(&[], 3, false), Tier::P2);
    }

    #[test]
    fn tiers_read_in_either_case_and_order_from_fixed_to_flexible() {
        assert_eq!(Tier::parse("p0"), Some(Tier::P0));
        assert_eq!(Tier::parse(" P3 "), Some(Tier::P3));
        assert_eq!(Tier::parse("P4"), None);
        assert!(Tier::P0 < Tier::P3);
    }
}
