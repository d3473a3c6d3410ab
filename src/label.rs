//! The 18 OntoNotes entity types, and the label set of a model.

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

/// The labels of a model, in the order of its tag table, each with a description and a
/// display colour where the model file gives them (empty strings otherwise). The
/// built-in model has the 18 [`Label`]s; a model trained on other data has that data's
/// labels, any strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSet {
    labels: Vec<LabelInfo>,
}

/// One label of a [`LabelSet`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelInfo {
    /// The label as entities carry it, e.g. `"GPE"`.
    pub name: String,
    /// What it covers, in a few words; may be empty.
    pub description: String,
    /// A CSS colour to show it in, e.g. `"#1f77b4"`; may be empty.
    pub colour: String,
}

impl LabelSet {
    /// The 18 OntoNotes labels, in [`Label::ALL`] order, with their descriptions.
    pub fn ontonotes() -> Self {
        LabelSet {
            labels: Label::ALL
                .iter()
                .map(|l| LabelInfo {
                    name: l.as_str().to_string(),
                    description: l.description().to_string(),
                    colour: String::new(),
                })
                .collect(),
        }
    }

    /// A label set; names must be distinct, non-empty, and at most
    /// [`MAX_LABELS`](crate::MAX_LABELS) of them.
    pub fn new(labels: Vec<LabelInfo>) -> Result<Self, String> {
        if labels.is_empty() || labels.len() > crate::tags::MAX_LABELS {
            return Err(format!(
                "a model has 1 to {} labels, not {}",
                crate::tags::MAX_LABELS,
                labels.len()
            ));
        }
        for (i, label) in labels.iter().enumerate() {
            if label.name.trim().is_empty() {
                return Err(format!("label {i} has no name"));
            }
            if labels[..i].iter().any(|l| l.name == label.name) {
                return Err(format!("label {:?} is there twice", label.name));
            }
        }
        Ok(LabelSet { labels })
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Always false: a label set has at least one label.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The labels in order.
    pub fn iter(&self) -> impl Iterator<Item = &LabelInfo> {
        self.labels.iter()
    }

    /// The name of label `i`.
    pub fn name(&self, i: usize) -> &str {
        &self.labels[i].name
    }

    /// The number of the label called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l.name == name)
    }
}

/// Where the OntoNotes labels that the clean-up rules and the amount patterns know
/// (MONEY, DATE, TIME) stand in a model's label set, if they are in it at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KnownLabels([Option<usize>; 18]);

impl KnownLabels {
    /// The numbers of the OntoNotes labels in `labels`, found by name.
    pub fn of(labels: &LabelSet) -> Self {
        KnownLabels(Label::ALL.map(|l| labels.index_of(l.as_str())))
    }

    /// The number of `label` in the model's label set.
    pub fn number(&self, label: Label) -> Option<usize> {
        self.0[label.index()]
    }

    /// Whether label number `i` is `label`.
    pub fn is(&self, i: usize, label: Label) -> bool {
        self.number(label) == Some(i)
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
