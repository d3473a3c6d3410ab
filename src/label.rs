//! The 18 OntoNotes entity types.

use std::fmt;
use std::str::FromStr;

/// An entity type from the OntoNotes 5.0 guidelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// People, including fictional.
    Person,
    /// Nationalities, religious or political groups.
    Norp,
    /// Buildings, airports, highways, bridges…
    Fac,
    /// Companies, agencies, institutions.
    Org,
    /// Countries, cities, states.
    Gpe,
    /// Non-political locations: mountains, waters, regions.
    Loc,
    /// Objects, vehicles, foods…
    Product,
    /// Named hurricanes, battles, wars, sports events…
    Event,
    /// Titles of books, songs, films…
    WorkOfArt,
    /// Named documents made into laws.
    Law,
    /// Named languages.
    Language,
    /// Absolute or relative dates or periods.
    Date,
    /// Times smaller than a day.
    Time,
    /// Percentages.
    Percent,
    /// Monetary values.
    Money,
    /// Measurements, as of weight or distance.
    Quantity,
    /// "first", "second"…
    Ordinal,
    /// Numerals that fall under no other type.
    Cardinal,
}

impl Label {
    /// Every label, in a fixed order (the order of the model's tag table).
    pub const ALL: [Label; 18] = [
        Label::Person,
        Label::Norp,
        Label::Fac,
        Label::Org,
        Label::Gpe,
        Label::Loc,
        Label::Product,
        Label::Event,
        Label::WorkOfArt,
        Label::Law,
        Label::Language,
        Label::Date,
        Label::Time,
        Label::Percent,
        Label::Money,
        Label::Quantity,
        Label::Ordinal,
        Label::Cardinal,
    ];

    /// The OntoNotes name, e.g. `"WORK_OF_ART"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Norp => "NORP",
            Label::Fac => "FAC",
            Label::Org => "ORG",
            Label::Gpe => "GPE",
            Label::Loc => "LOC",
            Label::Product => "PRODUCT",
            Label::Event => "EVENT",
            Label::WorkOfArt => "WORK_OF_ART",
            Label::Law => "LAW",
            Label::Language => "LANGUAGE",
            Label::Date => "DATE",
            Label::Time => "TIME",
            Label::Percent => "PERCENT",
            Label::Money => "MONEY",
            Label::Quantity => "QUANTITY",
            Label::Ordinal => "ORDINAL",
            Label::Cardinal => "CARDINAL",
        }
    }

    /// A short human description of what the label covers.
    pub fn description(self) -> &'static str {
        match self {
            Label::Person => "People, including fictional",
            Label::Norp => "Nationalities, religious or political groups",
            Label::Fac => "Buildings, airports, highways, bridges and other facilities",
            Label::Org => "Companies, agencies, institutions",
            Label::Gpe => "Countries, cities, states",
            Label::Loc => "Non-political locations: mountain ranges, bodies of water, regions",
            Label::Product => "Objects, vehicles, foods and other products",
            Label::Event => "Named hurricanes, battles, wars, sports events",
            Label::WorkOfArt => "Titles of books, songs, films and other works",
            Label::Law => "Named documents made into laws",
            Label::Language => "Named languages",
            Label::Date => "Absolute or relative dates or periods",
            Label::Time => "Times smaller than a day",
            Label::Percent => "Percentages",
            Label::Money => "Monetary values",
            Label::Quantity => "Measurements, as of weight or distance",
            Label::Ordinal => "\"first\", \"second\" and so on",
            Label::Cardinal => "Numerals that do not fall under another type",
        }
    }

    /// Position of this label in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a string that names no OntoNotes label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLabel(pub String);

impl fmt::Display for UnknownLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown entity label {:?}", self.0)
    }
}

impl std::error::Error for UnknownLabel {}

impl FromStr for Label {
    type Err = UnknownLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Label::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownLabel(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for l in Label::ALL {
            assert_eq!(l.as_str().parse::<Label>().unwrap(), l);
            assert_eq!(Label::ALL[l.index()], l);
        }
        assert!("WIDGET".parse::<Label>().is_err());
    }
}
