//! Tokenizer and sentence splitter on the cases real articles contain.

use onoma::{split_sentences, tokenize};

fn words(text: &str) -> Vec<&str> {
    tokenize(text).iter().map(|t| t.text(text)).collect()
}

/// Sentences as the words they contain.
fn sentences(text: &str) -> Vec<Vec<&str>> {
    let tokens = tokenize(text);
    split_sentences(text, &tokens)
        .into_iter()
        .map(|r| tokens[r].iter().map(|t| t.text(text)).collect())
        .collect()
}

#[test]
fn treebank_conventions() {
    assert_eq!(
        words("Mr. Smith didn't go."),
        ["Mr.", "Smith", "did", "n't", "go", "."]
    );
    assert_eq!(
        words("It's John's car, isn't it?"),
        ["It", "'s", "John", "'s", "car", ",", "is", "n't", "it", "?"]
    );
    assert_eq!(
        words("a well-known co-founder"),
        ["a", "well", "-", "known", "co", "-", "founder"]
    );
    assert_eq!(words("They’re here"), ["They", "’re", "here"]);
    assert_eq!(words("(see above)"), ["(", "see", "above", ")"]);
}

#[test]
fn abbreviations_keep_their_period() {
    assert_eq!(words("the U.S. economy"), ["the", "U.S.", "economy"]);
    assert_eq!(
        words("Dr. Li at 5 p.m. today"),
        ["Dr.", "Li", "at", "5", "p.m.", "today"]
    );
    assert_eq!(
        words("Acme Co., Ltd. and Foo Inc."),
        ["Acme", "Co.", ",", "Ltd.", "and", "Foo", "Inc."]
    );
    assert_eq!(words("No. 3 seed"), ["No.", "3", "seed"]);
    assert_eq!(words("A. Sulka & Co."), ["A.", "Sulka", "&", "Co."]);
    assert_eq!(
        words("Time Warner Inc.'s magazine"),
        ["Time", "Warner", "Inc.", "'s", "magazine"]
    );
    assert_eq!(
        words("the U.S.-Canada pact, U.S.’s role"),
        ["the", "U.S.", "-", "Canada", "pact", ",", "U.S.", "’s", "role"]
    );
    assert_eq!(words("the end.'s"), ["the", "end", ".", "'", "s"]);
}

#[test]
fn abbreviations_do_not_end_sentences() {
    let s = sentences("Dr. Smith met Mr. Jones at A. Sulka & Co. on Monday. They talked.");
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[1], ["They", "talked", "."]);
    let s = sentences("He works for Acme Inc. The company is small.");
    assert_eq!(s.len(), 2, "{s:?}");
    let s = sentences("Prices rose 5 p.m. yesterday in the U.S. market.");
    assert_eq!(s.len(), 1, "{s:?}");
    let s = sentences("Executives at Time Warner Inc.'s weekly magazine said so.");
    assert_eq!(s.len(), 1, "{s:?}");
}

#[test]
fn sentence_boundaries() {
    let s = sentences("He left. She stayed! Why? \"Fine.\" Then... nothing");
    assert_eq!(s.len(), 5, "{s:?}");
    assert_eq!(s[3], ["\"", "Fine", ".", "\""]);
    assert_eq!(s[4], ["Then", "...", "nothing"]);
    // A full stop ends a sentence even before a lower-case word (as in transcripts),
    // an abbreviation or an ellipsis does not.
    let s = sentences("It cost 3 p.m. or so. yeah. etc. and more... and more");
    assert_eq!(s.len(), 3, "{s:?}");
    assert_eq!(s[2], ["etc.", "and", "more", "...", "and", "more"]);
}

#[test]
fn newlines_are_sentence_boundaries() {
    let s = sentences("BREAKING NEWS\nParis votes today\n\nMore later");
    assert_eq!(
        s,
        [
            vec!["BREAKING", "NEWS"],
            vec!["Paris", "votes", "today"],
            vec!["More", "later"]
        ]
    );
}

/// An article as e-mail or a terminal shows it: wrapped at 72 columns, with a headline,
/// a dateline, a list and a blank line.
const WRAPPED: &str = "\
Aluminium maker expands in Anhui
HEFEI, China
Anhui Meixin Aluminum Co., Ltd. said on Monday that its chairman, Zhang
Li, would spend 100 billion yuan on a plant in the Suiwu Modern
Industrial Park, the largest investment the province has seen in a
decade, and that work would start before the end of the year while
talks with three more suppliers in Hefei and Wuhu went on.
The plan has three parts:
1. a smelter near the Yangtze River that will employ 2,000 people
2. a research centre in Hefei

Shares rose 4 percent in Shanghai.";

#[test]
fn a_line_break_that_only_wraps_a_line_is_a_space() {
    let s = sentences(WRAPPED);
    let lines: Vec<String> = s.iter().map(|words| words.join(" ")).collect();
    assert_eq!(
        lines,
        [
            "Aluminium maker expands in Anhui",
            "HEFEI , China",
            "Anhui Meixin Aluminum Co. , Ltd. said on Monday that its chairman , Zhang Li , \
             would spend 100 billion yuan on a plant in the Suiwu Modern Industrial Park , the \
             largest investment the province has seen in a decade , and that work would start \
             before the end of the year while talks with three more suppliers in Hefei and Wuhu \
             went on .",
            "The plan has three parts :",
            "1 .",
            "a smelter near the Yangtze River that will employ 2,000 people",
            "2 .",
            "a research centre in Hefei",
            "Shares rose 4 percent in Shanghai .",
        ]
    );
}

#[test]
fn short_lines_are_not_taken_for_wrapped_text() {
    let s = sentences("Obama visits Paris\nMerkel meets Macron in Berlin\nTrump golfs");
    assert_eq!(s.len(), 3);
}

#[test]
fn numbers_money_and_dates() {
    assert_eq!(words("$57 billion"), ["$", "57", "billion"]);
    assert_eq!(words("US$57"), ["US$", "57"]);
    assert_eq!(
        words("up 4.2%, to 1,000.50."),
        ["up", "4.2", "%", ",", "to", "1,000.50", "."]
    );
    assert_eq!(
        words("on 2026-07-16 at 10:30"),
        ["on", "2026-07-16", "at", "10:30"]
    );
    assert_eq!(words("1990-91"), ["1990", "-", "91"]);
    assert_eq!(words("€40m"), ["€", "40m"]);
}

#[test]
fn quotes_dashes_and_ellipses() {
    assert_eq!(
        words("\"Yes,\" he said"),
        ["\"", "Yes", ",", "\"", "he", "said"]
    );
    assert_eq!(
        words("“Yes” — he said…"),
        ["“", "Yes", "”", "—", "he", "said", "…"]
    );
    assert_eq!(
        words("wait--no...really"),
        ["wait", "--", "no", "...", "really"]
    );
    assert_eq!(words("Well..."), ["Well", "..."]);
}

#[test]
fn urls_and_emails_stay_whole() {
    assert_eq!(
        words("See https://example.com/a-b?x=1."),
        ["See", "https://example.com/a-b?x=1", "."]
    );
    assert_eq!(
        words("Mail jane.doe@example.org, now"),
        ["Mail", "jane.doe@example.org", ",", "now"]
    );
    assert_eq!(words("www.onoma.dev"), ["www.onoma.dev"]);
}

#[test]
fn non_ascii_offsets_are_exact() {
    let text = "Zürich, Łódź and 東京 👋Obama";
    let tokens = tokenize(text);
    let got: Vec<(usize, usize, &str)> = tokens
        .iter()
        .map(|t| (t.start, t.end, t.text(text)))
        .collect();
    assert_eq!(
        got,
        [
            (0, 7, "Zürich"),
            (7, 8, ","),
            (9, 16, "Łódź"),
            (17, 20, "and"),
            (21, 27, "東京"),
            (28, 32, "👋"),
            (32, 37, "Obama"),
        ]
    );
}

#[test]
fn combining_marks_and_joiners_stay_in_words() {
    let text = "Jose\u{301} met Ame\u{301}lie";
    assert_eq!(words(text), ["Jose\u{301}", "met", "Ame\u{301}lie"]);
    let family = "👨\u{200D}👩\u{200D}👧 Biden";
    let w = words(family);
    assert_eq!(w.last(), Some(&"Biden"));
    assert_eq!(w.concat().chars().count() + 1, family.chars().count());
}

#[test]
fn rtl_and_control_characters() {
    assert_eq!(words("שלום Cairo مرحبا"), ["שלום", "Cairo", "مرحبا"]);
    assert_eq!(words("a\u{0}b\u{7}c"), ["a", "b", "c"]);
    assert!(words("").is_empty());
    assert!(words(" \n\t ").is_empty());
}
