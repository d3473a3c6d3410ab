//! Accuracy regression on the shared raw-text OntoNotes benchmark (`#[ignore]`d tests that
//! `make test` runs where `../shared` is beside the repository; CI has it), and on
//! datelines written for this test.

use onoma::Recognizer;
use onoma_train::eval::{raw_text_scores, GoldMoney, Scorer};
use std::path::PathBuf;

/// A file of the shared raw-text benchmark beside the repository. These tests are
/// `#[ignore]`d, so that a checkout without `../shared` reports them as skipped instead of
/// passing them; `make test` runs them with `--ignored` where `../shared` exists.
fn benchmark(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval")
        .join(name);
    assert!(
        path.exists(),
        "{} not found: the shared OntoNotes data must be beside the repository",
        path.display()
    );
    path
}

/// Scored with the currency sign inside every gold MONEY span, as the guidelines (and the
/// engine) have it; the benchmark leaves it outside in 36 of its 128 such spans. The model
/// scored 0.8709 here before it learned from lower-case documents, 0.8690 since (a fifth of
/// a point for text without capitals read at 0.81 instead of 0.60); this guards that.
#[test]
#[ignore = "reads ../shared/eval; run with --ignored"]
fn shipped_model_reaches_0_868_on_ontonotes_test() {
    let path = benchmark("ontonotes_test.jsonl");
    let ner = Recognizer::default();
    let (scores, calibration) = raw_text_scores(&ner, &path, GoldMoney::SignInside).unwrap();
    let f1 = scores.overall().f1();
    eprintln!("{}", scores.table());
    assert!(f1 >= 0.868, "raw-text F1 {f1:.4} fell below 0.868");
    // Confidences mean something: confident entities are far more often right.
    let (high, n_high) = calibration.band(3);
    let (low, n_low) = calibration.band(0);
    assert!(n_high > 1000 && n_low > 50, "{}", calibration.table());
    assert!(high > 0.9 && low < 0.6, "{}", calibration.table());
}

/// Words Title Case leaves in lower case (as `scripts/case-variants.py`).
const SMALL_WORDS: [&str; 16] = [
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with",
    "from", "as",
];

/// Title Case as `scripts/case-variants.py` writes it: each run of lower-case ASCII
/// letters that is a whole word (not after an apostrophe: "didn't" stays) and not a
/// small word gets a capital. Only ASCII letters change, so offsets stay valid.
fn title_case(text: &str) -> String {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_lowercase() {
            i += 1;
        }
        if i == start {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run: String = chars[start..i].iter().collect();
        let after_word =
            start > 0 && (is_word(chars[start - 1]) || matches!(chars[start - 1], '\'' | '’'));
        let before_word = chars.get(i).is_some_and(|&c| is_word(c));
        if after_word || before_word || SMALL_WORDS.contains(&run.as_str()) {
            out.push_str(&run);
        } else {
            out.push(run.as_bytes()[0].to_ascii_uppercase() as char);
            out.push_str(&run[1..]);
        }
    }
    out
}

#[test]
fn title_case_follows_the_variants_script() {
    assert_eq!(
        title_case("the vote in ohio didn't sway 3rd-party e-mail iPhone users"),
        "the Vote in Ohio Didn't Sway 3rd-Party E-Mail iPhone Users"
    );
}

/// The lowest F1 allowed on the benchmark in lower case (0.60 before lower-case copies in
/// training, 0.814 with them).
const LOWER_CASE_FLOOR: f64 = 0.80;

/// Headlines and text typed without capitals: the benchmark in Title Case, in capitals
/// and in lower case, as `scripts/case-variants.py` writes them. Before training saw
/// recased sentences the model scored 0.52 and 0.73 on the first two, and 0.60 in lower
/// case before it saw lower-case documents; the casing alone must not wreck it.
#[test]
#[ignore = "reads ../shared/eval; run with --ignored"]
fn casing_keeps_most_entities() {
    let path = benchmark("ontonotes_test.jsonl");
    let content = std::fs::read_to_string(&path).unwrap();
    type Recase = fn(&str) -> String;
    let variants: [(&str, Recase, f64); 3] = [
        ("title", title_case, 0.75),
        ("upper", str::to_ascii_uppercase, 0.75),
        ("lower", str::to_ascii_lowercase, LOWER_CASE_FLOOR),
    ];
    for (name, recase, floor) in variants {
        let mut out = String::new();
        for line in content.lines().filter(|l| !l.trim().is_empty()) {
            let mut doc: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = recase(doc["text"].as_str().unwrap());
            doc["text"] = text.into();
            out.push_str(&doc.to_string());
            out.push('\n');
        }
        let file = std::env::temp_dir().join(format!("onoma-{name}-{}.jsonl", std::process::id()));
        std::fs::write(&file, out).unwrap();
        let scores = raw_text_scores(&Recognizer::default(), &file, GoldMoney::SignInside);
        let scores = scores.map(|s| s.0);
        std::fs::remove_file(&file).unwrap();
        let f1 = scores.unwrap().overall().f1();
        eprintln!("{name}: F1 {f1:.4}");
        assert!(
            f1 >= floor,
            "{name} casing: raw-text F1 {f1:.4} fell below {floor}"
        );
    }
}

/// Openings of wire stories as they are pasted today, written for this test (none of
/// them a dateline of the fresh-text set): the dateline's places and agency, with their
/// types.
const DATELINES: [(&str, &[(&str, &str)]); 16] = [
    ("NAIROBI, Kenya (AP) — Kenya's parliament passed a new housing levy on Tuesday after a long night of debate.", &[("NAIROBI", "GPE"), ("Kenya", "GPE"), ("AP", "ORG")]),
    ("DHAKA — Flooding in northern Bangladesh has displaced more than 200,000 people, officials said.", &[("DHAKA", "GPE")]),
    ("TBILISI, Georgia — Thousands of protesters gathered outside the parliament building for a fifth night.", &[("TBILISI", "GPE"), ("Georgia", "GPE")]),
    ("BENGALURU (Reuters) — Infosys raised its annual revenue forecast on Thursday, sending its shares up 4%.", &[("BENGALURU", "GPE"), ("Reuters", "ORG")]),
    ("KIGALI — Rwanda will host the next summit of the African Union's health agency, the government said.", &[("KIGALI", "GPE")]),
    ("ULAANBAATAR, Mongolia — A severe winter has killed millions of livestock across the steppe.", &[("ULAANBAATAR", "GPE"), ("Mongolia", "GPE")]),
    ("BOISE, Idaho (AP) — A wildfire north of the city forced the evacuation of 3,000 homes overnight.", &[("BOISE", "GPE"), ("Idaho", "GPE"), ("AP", "ORG")]),
    ("HANOI — Vietnam's central bank cut its main interest rate for the second time this year.", &[("HANOI", "GPE")]),
    ("ALMATY, Kazakhstan (Reuters) — Kazakhstan's sovereign wealth fund plans to list a stake in its uranium miner.", &[("ALMATY", "GPE"), ("Kazakhstan", "GPE"), ("Reuters", "ORG")]),
    ("DAKAR — Senegal's new president named a former tax inspector as prime minister on Wednesday.", &[("DAKAR", "GPE")]),
    ("PHNOM PENH, Cambodia — The government opened a new airport south of the capital this week.", &[("PHNOM PENH", "GPE"), ("Cambodia", "GPE")]),
    ("MONTEVIDEO (AFP) — Uruguay's farmers are bracing for a third year of drought.", &[("MONTEVIDEO", "GPE"), ("AFP", "ORG")]),
    ("KATHMANDU — Rescuers reached the remote village two days after the landslide.", &[("KATHMANDU", "GPE")]),
    ("SAN ANTONIO, Texas — The city council approved a new downtown arena by a vote of 8 to 3.", &[("SAN ANTONIO", "GPE"), ("Texas", "GPE")]),
    ("CHENNAI, India (AP) — Heavy rain shut schools across the state for a second day.", &[("CHENNAI", "GPE"), ("India", "GPE"), ("AP", "ORG")]),
    ("REYKJAVIK — Iceland declared a state of emergency as the volcano erupted again.", &[("REYKJAVIK", "GPE")]),
];

#[test]
fn dateline_places_are_found() {
    let ner = Recognizer::default();
    let (mut found, mut total) = (0, 0);
    for (text, expected) in DATELINES {
        let entities = ner.extract(text);
        for &(name, label) in expected {
            total += 1;
            let hit = entities.iter().any(|e| e.text == name && e.label == label);
            if hit {
                found += 1;
            } else {
                eprintln!("missed {name} ({label}) in: {text}\n  got {entities:?}");
            }
        }
    }
    eprintln!("dateline entities found: {found} of {total}");
    assert!(
        found * 10 >= total * 9,
        "only {found} of {total} dateline entities found"
    );
}

/// A line of `tests/data/amounts_times.txt`: the text and its entities, each written
/// `[LABEL text]`, as byte ranges of the text.
fn parse_marked(line: &str) -> (String, Vec<(std::ops::Range<usize>, String)>) {
    let (mut text, mut gold, mut rest) = (String::new(), Vec::new(), line);
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let close = open + rest[open..].find(']').expect("a closing bracket");
        let (label, name) = rest[open + 1..close].split_once(' ').expect("[LABEL text]");
        gold.push((text.len()..text.len() + name.len(), label.to_string()));
        text.push_str(name);
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    (text, gold)
}

/// Amounts and clock times in the forms people write, cased and in lower case
/// ("20 euros", "$18k", "3pm", "8 p.m.", "10:30", "noon").
#[test]
fn amounts_and_clock_times_are_found() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/amounts_times.txt");
    let content = std::fs::read_to_string(path).unwrap();
    let ner = Recognizer::default();
    let mut scorer = Scorer::default();
    for line in content
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (text, gold) = parse_marked(line);
        let found: Vec<_> = ner
            .extract(&text)
            .into_iter()
            .map(|e| (e.start..e.end, e.label))
            .collect();
        scorer.add(&gold, &found);
    }
    let (money, time) = (scorer.label("MONEY"), scorer.label("TIME"));
    assert!(money.tp + money.fn_ >= 60 && time.tp + time.fn_ >= 50);
    let f1 = scorer.overall().f1();
    assert!(f1 >= 0.95, "F1 {f1:.4}\n{}", scorer.table());
}
