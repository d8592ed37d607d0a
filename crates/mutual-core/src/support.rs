//! Support kinds and the sets of them each side gave in an interaction.

use crate::names::named_enum;

named_enum! {
    /// What one person gave the other.
    pub enum SupportKind as "support kind" {
        /// Emotional support: being heard.
        Listening = "listening",
        /// Words of appreciation or encouragement.
        Affirmation = "affirmation",
        /// Practical help: a lift, a meal, a hand with a move.
        Practical = "practical",
        Advice = "advice",
        /// Sharing something vulnerable.
        Disclosure = "disclosure",
        /// Celebrating the other's win.
        Celebration = "celebration",
        /// Time together, showing up.
        Presence = "presence",
    }
}

impl SupportKind {
    const fn index(self) -> usize {
        self as usize
    }
}

/// How much of one kind was given, 1 (a little) to 3 (a lot).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Intensity(u8);

impl Intensity {
    pub const MIN: Intensity = Intensity(1);
    pub const MAX: Intensity = Intensity(3);
    /// Used when an entry names a kind without an intensity.
    pub const DEFAULT: Intensity = Intensity(2);

    pub fn new(value: u8) -> Option<Intensity> {
        (1..=3).contains(&value).then_some(Intensity(value))
    }

    pub const fn get(self) -> u8 {
        self.0
    }
}

/// A set of support kinds, each with an intensity. Small and `Copy`; packs
/// into 14 bits for storage (two bits per kind, 0 meaning absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SupportSet([u8; 7]);

/// Why a support list such as `listening:2,practical` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupportParseError {
    #[error(transparent)]
    Kind(#[from] crate::names::UnknownName),
    #[error("intensity '{0}' is not 1, 2 or 3 (write it as kind:1, kind:2 or kind:3)")]
    Intensity(String),
}

impl SupportSet {
    pub const EMPTY: SupportSet = SupportSet([0; 7]);

    pub fn with(mut self, kind: SupportKind, intensity: Intensity) -> SupportSet {
        self.0[kind.index()] = intensity.get();
        self
    }

    pub fn get(self, kind: SupportKind) -> Option<Intensity> {
        Intensity::new(self.0[kind.index()])
    }

    pub fn is_empty(self) -> bool {
        self.0 == [0; 7]
    }

    pub fn contains(self, kind: SupportKind) -> bool {
        self.0[kind.index()] != 0
    }

    /// The sum of intensities: how much support this set carries.
    pub fn total(self) -> u32 {
        self.0.iter().map(|&v| u32::from(v)).sum()
    }

    pub fn iter(self) -> impl Iterator<Item = (SupportKind, Intensity)> {
        SupportKind::ALL
            .iter()
            .filter_map(move |&k| self.get(k).map(|i| (k, i)))
    }

    /// The sum of intensities of the kinds that are also in `kinds`.
    pub fn total_within(self, kinds: SupportKinds) -> u32 {
        self.iter()
            .filter(|(k, _)| kinds.contains(*k))
            .map(|(_, i)| u32::from(i.get()))
            .sum()
    }

    /// Packs into 14 bits: kind `i` at bits `2i..2i+2`.
    pub fn to_bits(self) -> u16 {
        self.0
            .iter()
            .enumerate()
            .fold(0, |bits, (i, &v)| bits | (u16::from(v & 3) << (2 * i)))
    }

    /// The inverse of [`SupportSet::to_bits`]; bits above 14 are ignored.
    pub fn from_bits(bits: u16) -> SupportSet {
        let mut set = [0; 7];
        for (i, v) in set.iter_mut().enumerate() {
            *v = ((bits >> (2 * i)) & 3) as u8;
        }
        SupportSet(set)
    }

    /// The kinds present, without intensities.
    pub fn kinds(self) -> SupportKinds {
        self.iter().fold(SupportKinds::NONE, |set, (k, _)| set.with(k))
    }
}

impl std::str::FromStr for SupportSet {
    type Err = SupportParseError;

    /// Reads `listening:3,practical` (intensity defaults to 2).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut set = SupportSet::EMPTY;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, intensity) = match part.split_once(':') {
                Some((kind, level)) => {
                    let level = level.trim();
                    let intensity = level
                        .parse::<u8>()
                        .ok()
                        .and_then(Intensity::new)
                        .ok_or_else(|| SupportParseError::Intensity(level.to_owned()))?;
                    (kind.parse::<SupportKind>()?, intensity)
                }
                None => (part.parse::<SupportKind>()?, Intensity::DEFAULT),
            };
            set = set.with(kind, intensity);
        }
        Ok(set)
    }
}

impl std::fmt::Display for SupportSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (n, (kind, intensity)) in self.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            write!(f, "{kind}:{}", intensity.get())?;
        }
        Ok(())
    }
}

impl serde::Serialize for SupportSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (kind, intensity) in self.iter() {
            map.serialize_entry(kind.as_str(), &intensity.get())?;
        }
        map.end()
    }
}

/// A set of support kinds without intensities: the roles of an agreement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SupportKinds(u8);

impl SupportKinds {
    pub const NONE: SupportKinds = SupportKinds(0);

    pub fn with(self, kind: SupportKind) -> SupportKinds {
        SupportKinds(self.0 | 1 << kind.index())
    }

    pub fn contains(self, kind: SupportKind) -> bool {
        self.0 & (1 << kind.index()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, other: SupportKinds) -> SupportKinds {
        SupportKinds(self.0 | other.0)
    }

    pub fn iter(self) -> impl Iterator<Item = SupportKind> {
        SupportKind::ALL
            .iter()
            .copied()
            .filter(move |&k| self.contains(k))
    }

    pub fn to_bits(self) -> u8 {
        self.0
    }

    pub fn from_bits(bits: u8) -> SupportKinds {
        SupportKinds(bits & 0x7f)
    }
}

impl std::str::FromStr for SupportKinds {
    type Err = crate::names::UnknownName;

    /// Reads `listening,practical`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .try_fold(SupportKinds::NONE, |set, part| {
                Ok(set.with(part.parse::<SupportKind>()?))
            })
    }
}

impl std::fmt::Display for SupportKinds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.iter().map(SupportKind::as_str).collect();
        f.write_str(&names.join(","))
    }
}

impl serde::Serialize for SupportKinds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_kinds_with_and_without_intensity() {
        let set: SupportSet = "listening:3, practical".parse().unwrap();
        assert_eq!(set.get(SupportKind::Listening), Intensity::new(3));
        assert_eq!(set.get(SupportKind::Practical), Some(Intensity::DEFAULT));
        assert_eq!(set.get(SupportKind::Advice), None);
        assert_eq!(set.total(), 5);
        assert_eq!(set.to_string(), "listening:3,practical:2");
    }

    #[test]
    fn rejects_unknown_kind_and_bad_intensity() {
        let err = "listening,hugs".parse::<SupportSet>().unwrap_err();
        assert!(err.to_string().contains("unknown support kind 'hugs'"), "{err}");
        assert!(err.to_string().contains("listening, affirmation"), "{err}");
        let err = "advice:4".parse::<SupportSet>().unwrap_err();
        assert!(err.to_string().contains("'4'"), "{err}");
    }

    fn any_set() -> impl Strategy<Value = SupportSet> {
        proptest::array::uniform7(0u8..=3).prop_map(SupportSet)
    }

    proptest! {
        #[test]
        fn bits_round_trip(set in any_set()) {
            prop_assert_eq!(SupportSet::from_bits(set.to_bits()), set);
        }

        #[test]
        fn text_round_trip(set in any_set()) {
            prop_assert_eq!(set.to_string().parse::<SupportSet>().unwrap(), set);
        }
    }
}
