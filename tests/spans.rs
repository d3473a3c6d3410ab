//! Entity edges where a reader would put them: no emoji or half a flag at an edge, the
//! currency sign inside MONEY, "this year" whole, list numbers left alone.

use onoma::{Entity, Label, Recognizer};

fn entities(text: &str) -> Vec<Entity> {
    Recognizer::default().extract(text)
}

fn found(text: &str) -> Vec<(String, Label)> {
    entities(text)
        .into_iter()
        .map(|e| (e.text, e.label.parse().expect("an OntoNotes label")))
        .collect()
}

fn has(text: &str, name: &str, label: Label) {
    let found = found(text);
    assert!(
        found.contains(&(name.to_string(), label)),
        "{name} ({label}) not in {found:?} for {text:?}"
    );
}

#[test]
fn emoji_and_flags_stay_outside_names() {
    has("Elon Musk 🚀 launched it.", "Elon Musk", Label::Person);
    has("😀😀 Tim Cook spoke.", "Tim Cook", Label::Person);
    has("He met Sundar Pichai 😀.", "Sundar Pichai", Label::Person);
    has("Gao Weimin 🇨🇳 took part.", "Gao Weimin", Label::Person);
    has("Angela Merkel 👍🏽 spoke.", "Angela Merkel", Label::Person);
}

#[test]
fn the_currency_sign_is_part_of_the_amount() {
    has("It cost $95.", "$95", Label::Money);
    has(
        "The ticket was €89 and the hotel £120.",
        "€89",
        Label::Money,
    );
    has(
        "The ticket was €89 and the hotel £120.",
        "£120",
        Label::Money,
    );
    has("Tickets cost $25 each.", "$25", Label::Money);
    has("The fee is ₦15,000.", "₦15,000", Label::Money);
    has(
        "It sold for HK$200,000 last week.",
        "HK$200,000",
        Label::Money,
    );
}

#[test]
fn this_year_is_one_date() {
    has("This year's production rose.", "This year", Label::Date);
    has(
        "Sales fell last month, the company said.",
        "last month",
        Label::Date,
    );
}

#[test]
fn list_numbers_are_not_entities() {
    let text = "The plan:\n1. Build a plant in Hefei\n2. Hire 2,000 people\n3) Open in May";
    for e in entities(text) {
        let marker = e.text.trim_end_matches(['.', ')']);
        assert!(!["1", "2", "3"].contains(&marker), "{e:?}");
    }
    has(text, "2,000", Label::Cardinal);
}

#[test]
fn dingbat_digits_are_decoration_not_amounts() {
    // Found by the robustness test: "$➌" was MONEY, ending on a dingbat.
    let text = "%\u{feff}Ѩ𣙢𓽹d%�\u{46c7e}@𓝧\t\u{1b}\u{1b}$➌\u{a3702}´\u{e62d0}Ç$`'Û/k";
    assert!(entities(text).iter().all(|e| !e.text.contains('➌')));
}

/// A long text cut into shares: together they give every entity once, in order, each
/// within its share's sentences, whatever the number of shares.
#[test]
fn shares_of_a_text_give_its_entities_once_each() {
    let ner = Recognizer::default();
    let paragraph = "Angela Merkel met Emmanuel Macron in Paris on Monday. \
        The European Union paid $4 million to Siemens AG.\n\n";
    let text = paragraph.repeat(40);
    let whole = ner.analyze(&text);
    for shares in [1, 2, 3, 7, 200] {
        let parts: Vec<_> = (0..shares)
            .map(|s| ner.analyze_share(&text, s, shares))
            .collect();
        assert_eq!(parts.iter().map(|p| p.tokens).sum::<usize>(), whole.tokens);
        assert_eq!(
            parts.iter().map(|p| p.sentences).sum::<usize>(),
            whole.sentences
        );
        let entities: Vec<_> = parts.into_iter().flat_map(|p| p.entities).collect();
        assert!(
            entities.windows(2).all(|w| w[0].end <= w[1].start),
            "{shares}"
        );
        let spans = |es: &[Entity]| -> Vec<_> {
            es.iter()
                .map(|e| (e.start, e.end, e.label.clone()))
                .collect()
        };
        assert_eq!(spans(&entities), spans(&whole.entities), "{shares} shares");
    }
    let empty = ner.analyze_share("", 1, 2);
    assert_eq!((empty.entities.len(), empty.tokens), (0, 0));
}
