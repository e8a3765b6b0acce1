//! The changes as a report: grouped by impact, ending with the semver bump they imply for the
//! generated crate. Text for people ([`std::fmt::Display`]), JSON for tools ([`serde::Serialize`]).

use super::{Change, Impact};
use serde::Serialize;
use std::fmt;

/// Which part of the crate version a release must increment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No change: the version stays.
    None,
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

impl Bump {
    /// The bump cargo's semver rules require for changes of at most `impact` severity
    /// (`None` when there are no changes) to a crate at `current`: from 1.0.0 on, breaking is
    /// major, compatible additions minor, no API change patch; before 1.0.0 (`0.y.z`, where cargo
    /// treats `y` as the major version), breaking is minor and anything else patch.
    pub fn for_impact(impact: Option<Impact>, current: Version) -> Self {
        match (impact, current.major) {
            (None, _) => Bump::None,
            (Some(Impact::Breaking), 0) => Bump::Minor,
            (Some(_), 0) => Bump::Patch,
            (Some(Impact::Breaking), _) => Bump::Major,
            (Some(Impact::Compatible), _) => Bump::Minor,
            (Some(Impact::NoApiChange), _) => Bump::Patch,
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// A `MAJOR.MINOR.PATCH` crate version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Version {
    /// `X.y.z`.
    pub major: u64,
    /// `x.Y.z`.
    pub minor: u64,
    /// `x.y.Z`.
    pub patch: u64,
}

/// A version that is not `MAJOR.MINOR.PATCH` (pre-release and build suffixes are not supported).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("crate version `{0}` is not MAJOR.MINOR.PATCH")]
pub struct InvalidVersion(pub String);

impl std::str::FromStr for Version {
    type Err = InvalidVersion;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidVersion(text.to_owned());
        let mut parts = text.trim().split('.').map(|part| {
            let leading_zero = part.len() > 1 && part.starts_with('0');
            if leading_zero || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            part.parse::<u64>().map_err(|_| invalid())
        });
        let (Some(major), Some(minor), Some(patch), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        Ok(Version { major: major?, minor: minor?, patch: patch? })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Version {
    /// This version incremented by `bump`; the lower parts restart at 0.
    pub fn bumped(self, bump: Bump) -> Version {
        let Version { major, minor, patch } = self;
        match bump {
            Bump::None => self,
            Bump::Patch => Version { major, minor, patch: patch.saturating_add(1) },
            Bump::Minor => Version { major, minor: minor.saturating_add(1), patch: 0 },
            Bump::Major => Version { major: major.saturating_add(1), minor: 0, patch: 0 },
        }
    }
}

/// `current` incremented by `bump`: `next_version("0.1.3", Bump::Minor)` is `0.2.0`.
pub fn next_version(current: &str, bump: Bump) -> Result<String, InvalidVersion> {
    Ok(current.parse::<Version>()?.bumped(bump).to_string())
}

/// Every change between two versions of one or more specs, and the release they imply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The changes, in discovery order (the API, then operations, then types).
    pub changes: Vec<Change>,
    /// The most severe impact, `None` when nothing changed.
    pub impact: Option<Impact>,
    /// The bump the changes require.
    pub bump: Bump,
    /// The generated crate's version before.
    pub version: String,
    /// Its version after the bump.
    pub next_version: String,
}

impl Report {
    /// The report on `changes` for a crate now at `version`.
    pub fn new(changes: Vec<Change>, version: &str) -> Result<Self, InvalidVersion> {
        let current: Version = version.parse()?;
        let impact = changes.iter().map(|c| c.impact).min();
        let bump = Bump::for_impact(impact, current);
        Ok(Report {
            changes,
            impact,
            bump,
            version: current.to_string(),
            next_version: current.bumped(bump).to_string(),
        })
    }

    /// How many changes have `impact`.
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    /// The changes, grouped by impact, as text for people, without the semver line.
    pub fn changes_text(&self) -> String {
        if self.changes.is_empty() {
            return "No change to the generated API.\n".to_owned();
        }
        let mut out = String::new();
        for (impact, title) in [
            (Impact::Breaking, "Breaking"),
            (Impact::Compatible, "Compatible"),
            (Impact::NoApiChange, "No API change (docs and behaviour only)"),
        ] {
            let group: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if group.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{title} ({}):\n", group.len()));
            for change in group {
                out.push_str(&change_text(change));
            }
        }
        out
    }

    /// The report as pretty JSON, for tools.
    pub fn to_json(&self) -> String {
        // A tree of strings, numbers and enums: serializing it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The last line of the text report: `semver: minor (0.1.0 -> 0.2.0)`.
    pub fn semver_line(&self) -> String {
        format!("semver: {} ({} -> {})", self.bump, self.version, self.next_version)
    }
}

fn change_text(change: &Change) -> String {
    let mut out = format!("- {}: {}\n", change.subject, change.reason);
    if let Some(old) = &change.old {
        out.push_str(&format!("    old: {old}\n"));
    }
    if let Some(new) = &change.new {
        out.push_str(&format!("    new: {new}\n"));
    }
    out
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{}\n", self.changes_text(), self.semver_line())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bump(impact: Option<Impact>, version: &str) -> String {
        let current: Version = version.parse().expect("valid");
        let bump = Bump::for_impact(impact, current);
        format!("{bump} {}", current.bumped(bump))
    }

    #[test]
    fn pre_1_0_breaking_is_minor_and_the_rest_patch() {
        assert_eq!(bump(Some(Impact::Breaking), "0.1.3"), "minor 0.2.0");
        assert_eq!(bump(Some(Impact::Compatible), "0.1.3"), "patch 0.1.4");
        assert_eq!(bump(Some(Impact::NoApiChange), "0.1.3"), "patch 0.1.4");
        assert_eq!(bump(None, "0.1.3"), "none 0.1.3");
    }

    #[test]
    fn from_1_0_breaking_is_major_additions_minor_docs_patch() {
        assert_eq!(bump(Some(Impact::Breaking), "1.4.2"), "major 2.0.0");
        assert_eq!(bump(Some(Impact::Compatible), "1.4.2"), "minor 1.5.0");
        assert_eq!(bump(Some(Impact::NoApiChange), "1.4.2"), "patch 1.4.3");
        assert_eq!(bump(None, "1.4.2"), "none 1.4.2");
    }

    #[test]
    fn versions_that_are_not_major_minor_patch_are_refused() {
        for bad in ["", "1", "1.2", "1.2.3.4", "1.2.x", "01.2.3", "1.2.3-beta", "-1.2.3", "1..3"] {
            assert_eq!(next_version(bad, Bump::Patch), Err(InvalidVersion(bad.to_owned())), "{bad}");
        }
        assert_eq!(next_version("0.9.9", Bump::Major), Ok("1.0.0".to_owned()));
        assert_eq!(next_version("18446744073709551615.0.0", Bump::Major), Ok("18446744073709551615.0.0".to_owned()));
    }
}
