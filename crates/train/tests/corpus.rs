//! Reading user corpora in every supported format (`onoma_train::corpus`): the same text
//! in each format reads the same, offsets count code points, what cannot be read exactly
//! is reported or refused with its line, and the shared CoNLL-2003 files read whole
//! (`#[ignore]`d tests that need `../shared`).

use onoma_train::corpus::{
    parse_corpus_text, read_corpus_file, Corpus, LabelledDoc, LabelledSentence,
};
use std::ops::Range;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/corpus")
        .join(name)
}

fn parse(text: &str) -> Corpus {
    parse_corpus_text(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Each entity as its words and label.
fn entities(corpus: &Corpus) -> Vec<(String, String)> {
    corpus
        .docs
        .iter()
        .flat_map(|d| &d.sentences)
        .flat_map(|s| {
            s.entities
                .iter()
                .map(|(r, l)| (s.words[r.clone()].join(" "), l.clone()))
        })
        .collect()
}

fn sentences(corpus: &Corpus) -> Vec<&LabelledSentence> {
    corpus.docs.iter().flat_map(|d| &d.sentences).collect()
}

fn words(s: &LabelledSentence) -> Vec<&str> {
    s.words.iter().map(String::as_str).collect()
}

fn span(r: Range<usize>, label: &str) -> (Range<usize>, String) {
    (r, label.to_string())
}

/// One JSONL record with `"entities"` given as `(start, end, label)`.
fn record(text: &str, entities: &[(usize, usize, &str)]) -> String {
    let entities: Vec<_> = entities
        .iter()
        .map(|(s, e, l)| serde_json::json!({"start": s, "end": e, "label": l}))
        .collect();
    serde_json::json!({"text": text, "entities": entities}).to_string()
}

fn error(text: &str) -> String {
    match parse_corpus_text(text) {
        Ok(c) => panic!("read without error: {c:?}"),
        Err(e) => e,
    }
}

#[test]
fn every_format_reads_the_same_sentences_and_entities_for_the_same_text() {
    let reference = read_corpus_file(&fixture("iob2.tsv")).unwrap();
    let first = &reference.docs[0].sentences;
    assert_eq!(
        reference.docs.iter().map(|d| &d.id).collect::<Vec<_>>(),
        ["d1", "d2"]
    );
    assert_eq!(
        words(&first[0]),
        ["Tim", "Cook", "visited", "Apple", "in", "Cupertino", "."]
    );
    assert_eq!(
        first[0].entities,
        [span(0..2, "PER"), span(3..4, "ORG"), span(5..6, "LOC")]
    );
    assert_eq!(first[1].entities, [span(2..4, "PER"), span(5..6, "ORG")]);
    assert_eq!(reference.docs[1].sentences[0].entities, [span(3..4, "LOC")]);
    for name in [
        "bilou.tsv",
        "iob1.conll",
        "bioes.conll",
        "annotate.jsonl",
        "prodigy.jsonl",
        "doccano.jsonl",
        "doccano_entities.jsonl",
    ] {
        let corpus = read_corpus_file(&fixture(name)).unwrap();
        let docs: Vec<_> = corpus.docs.iter().map(|d| &d.sentences).collect();
        let want: Vec<_> = reference.docs.iter().map(|d| &d.sentences).collect();
        assert_eq!(docs, want, "{name}");
        assert_eq!(corpus.problems, [], "{name}");
        assert_eq!(corpus.labels(), ["LOC", "ORG", "PER"], "{name}");
    }
}

#[test]
fn documents_are_named_by_their_id_or_else_by_the_line_they_start_on() {
    let ids = |name: &str| -> Vec<String> {
        let corpus = read_corpus_file(&fixture(name)).unwrap();
        corpus.docs.into_iter().map(|d| d.id).collect()
    };
    assert_eq!(ids("annotate.jsonl"), ["d1", "d2"]);
    assert_eq!(ids("doccano_entities.jsonl"), ["1", "2"]);
    assert_eq!(ids("prodigy.jsonl"), ["1", "2"]);
    assert_eq!(ids("iob1.conll"), ["1", "19"]);
}

#[test]
fn offsets_count_code_points_so_emoji_cjk_combining_marks_and_arabic_do_not_shift_entities() {
    // Each of these takes more bytes than code points, and the emoji with a skin tone
    // and the flag take more than one code point per glyph.
    let text = "😀👍🏽🇫🇷 東京 Zu\u{308}rich met القاهرة and Tim Cook.";
    let chars: Vec<char> = text.chars().collect();
    let at = |s: &str| -> (usize, usize) {
        let b = text.find(s).unwrap();
        let start = text[..b].chars().count();
        (start, start + s.chars().count())
    };
    let mut offsets = Vec::new();
    for (s, label) in [
        ("東京", "GPE"),
        ("Zu\u{308}rich", "GPE"),
        ("القاهرة", "GPE"),
        ("Tim Cook", "PERSON"),
    ] {
        let (start, end) = at(s);
        assert_eq!(chars[start..end].iter().collect::<String>(), s);
        offsets.push((start, end, label));
    }
    let corpus = parse(&record(text, &offsets));
    assert_eq!(corpus.problems, []);
    assert_eq!(
        entities(&corpus),
        [
            ("東京".to_string(), "GPE".to_string()),
            ("Zu\u{308}rich".to_string(), "GPE".to_string()),
            ("القاهرة".to_string(), "GPE".to_string()),
            ("Tim Cook".to_string(), "PERSON".to_string()),
        ]
    );
}

#[test]
fn an_entity_cut_inside_a_token_is_reported_with_its_line_and_left_out() {
    let text = [
        record("Tim Cook spoke.", &[(0, 8, "PER")]),
        String::new(),
        record("Apples of Apple", &[(0, 5, "ORG"), (10, 15, "ORG")]),
        record("New York-based", &[(4, 10, "GPE")]),
        record("Midsentence", &[(1, 3, "X")]),
    ]
    .join("\n");
    let corpus = parse(&text);
    let problems: Vec<String> = corpus.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            r#"line 3: entity "Apple" (0..5, ORG) ends inside the token "Apples""#,
            r#"line 4: entity "York-b" (4..10, GPE) ends inside the token "based""#,
            r#"line 5: entity "id" (1..3, X) lies inside the token "Midsentence""#,
        ]
    );
    assert_eq!(corpus.problems[0].line, 3);
    // The entities that fall on token edges are kept.
    assert_eq!(
        entities(&corpus),
        [
            ("Tim Cook".to_string(), "PER".to_string()),
            ("Apple".to_string(), "ORG".to_string()),
        ]
    );
    assert_eq!(corpus.docs.len(), 4);
}

#[test]
fn an_entity_starting_inside_a_token_is_reported_with_both_tokens_it_cuts() {
    let corpus = parse(&record("the McDonald brothers", &[(6, 16, "PER")]));
    assert_eq!(
        corpus.problems[0].to_string(),
        r#"line 1: entity "Donald bro" (6..16, PER) starts inside the token "McDonald" and ends inside the token "brothers""#
    );
    assert_eq!(corpus.entity_count(), 0);
}

#[test]
fn white_space_at_an_entity_edge_cuts_no_token_and_is_left_out_of_it() {
    // Dragged selections in annotation tools often take a space with them.
    let corpus = parse(&record("I met  Tim Cook  today.", &[(5, 17, "PER")]));
    assert_eq!(corpus.problems, []);
    assert_eq!(
        entities(&corpus),
        [("Tim Cook".to_string(), "PER".to_string())]
    );
    let corpus = parse(&record("a   b", &[(1, 4, "X")]));
    assert_eq!(
        corpus.problems[0].to_string(),
        r#"line 1: entity "   " (1..4, X) holds no token"#
    );
}

#[test]
fn an_entity_across_a_sentence_boundary_joins_the_sentences_it_spans() {
    // The splitter ends a sentence after "Corp." before "The"; the annotator knew better.
    let text = "He works at Acme Corp. The Company makes tools. It sells them.";
    let name = "Acme Corp. The Company";
    let start = text.find(name).unwrap();
    let unsplit = parse(&record(text, &[]));
    assert_eq!(sentences(&unsplit).len(), 3);
    let corpus = parse(&record(text, &[(start, start + name.len(), "ORG")]));
    assert_eq!(corpus.problems, []);
    let s = sentences(&corpus);
    assert_eq!(s.len(), 2);
    assert_eq!(
        words(s[0]),
        ["He", "works", "at", "Acme", "Corp.", "The", "Company", "makes", "tools", "."]
    );
    assert_eq!(s[0].entities, [span(3..7, "ORG")]);
    assert_eq!(words(s[1]), ["It", "sells", "them", "."]);
    assert_eq!(s[1].entities, []);
}

#[test]
fn an_entity_across_three_sentences_joins_all_three_and_later_entities_stay_in_place() {
    // Blank lines end sentences.
    let text = "Hi.\n\nBank of\n\nNew\n\nEngland\n\nin London.";
    assert_eq!(sentences(&parse(&record(text, &[]))).len(), 5);
    let corpus = parse(&record(text, &[(5, 26, "ORG"), (31, 37, "GPE")]));
    assert_eq!(corpus.problems, []);
    let s = sentences(&corpus);
    assert_eq!(s.len(), 3, "{s:?}");
    assert_eq!(words(s[0]), ["Hi", "."]);
    assert_eq!(words(s[1]), ["Bank", "of", "New", "England"]);
    assert_eq!(s[1].entities, [span(0..4, "ORG")]);
    assert_eq!(words(s[2]), ["in", "London", "."]);
    assert_eq!(s[2].entities, [span(1..2, "GPE")]);
}

#[test]
fn of_overlapping_entities_the_earlier_then_the_longer_is_kept_and_the_others_reported() {
    let text = "The New York City Ballet danced.";
    //          0   4   8    13   18
    let corpus = parse(&record(
        text,
        &[
            (8, 17, "GPE"),
            (4, 12, "GPE"),
            (4, 24, "ORG"),
            (25, 31, "X"),
        ],
    ));
    assert_eq!(
        entities(&corpus),
        [
            ("New York City Ballet".to_string(), "ORG".to_string()),
            ("danced".to_string(), "X".to_string()),
        ]
    );
    let problems: Vec<String> = corpus.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            r#"line 1: entity "New York" (4..12, GPE) overlaps the entity "New York City Ballet" (4..24, ORG), which is kept"#,
            r#"line 1: entity "York City" (8..17, GPE) overlaps the entity "New York City Ballet" (4..24, ORG), which is kept"#,
        ]
    );
}

#[test]
fn prodigy_records_not_accepted_are_skipped_and_counted() {
    let corpus = read_corpus_file(&fixture("prodigy.jsonl")).unwrap();
    assert_eq!(corpus.docs.len(), 2);
    assert_eq!(corpus.skipped, 2);
    assert!(!entities(&corpus)
        .iter()
        .any(|(w, _)| w == "Berlin" || w == "Rome"));
    // A record without an answer is taken.
    let corpus = parse(r#"{"text": "Rome", "spans": [{"start": 0, "end": 4, "label": "LOC"}]}"#);
    assert_eq!((corpus.docs.len(), corpus.skipped), (1, 0));
}

#[test]
fn empty_texts_and_records_without_entities_are_documents_too() {
    let text = [
        r#"{"text": ""}"#,
        r#"{"text": "Nothing here.", "entities": []}"#,
        r#"{"text": "Nor here.", "spans": null}"#,
    ]
    .join("\n");
    let corpus = parse(&text);
    assert_eq!(corpus.docs.len(), 3);
    assert_eq!(corpus.docs[0].sentences, []);
    assert_eq!(
        words(&corpus.docs[1].sentences[0]),
        ["Nothing", "here", "."]
    );
    assert_eq!(corpus.entity_count(), 0);
    assert_eq!(corpus.labels(), Vec::<String>::new());
}

#[test]
fn labels_are_kept_as_written_and_listed_once_sorted_by_name() {
    let text = [
        record("Acme and Bolt and Crane", &[(0, 4, "org"), (9, 13, "ORG")]),
        record("Dove", &[(0, 4, "Org-Name")]),
    ];
    let corpus = parse(&text.join("\n"));
    assert_eq!(corpus.labels(), ["ORG", "Org-Name", "org"]);
    let tsv = "Acme\tB-org\nand\tO\nBolt\tB-ORG\n";
    assert_eq!(parse(tsv).labels(), ["ORG", "org"]);
}

#[test]
fn every_malformed_jsonl_record_is_an_error_naming_its_line() {
    let good = record("Tim Cook", &[(0, 8, "PER")]);
    let cases: [(&str, &str); 21] = [
        ("{not json", "line 2: not a JSON record"),
        ("[1, 2]", "line 2: expected a JSON object, found a list"),
        (r#"{"entities": []}"#, "line 2: no \"text\""),
        (
            r#"{"text": 7}"#,
            "line 2: \"text\" is a number, not a string",
        ),
        (
            r#"{"text": "ab", "entities": {"start": 0}}"#,
            "line 2: \"entities\" is an object, not a list of entities",
        ),
        (
            r#"{"text": "ab", "entities": [7]}"#,
            "line 2: entity 1 of \"entities\": expected",
        ),
        (
            r#"{"text": "ab", "entities": [{"end": 1, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": no \"start\"",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 0, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": no \"end\"",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 0, "end": 1}]}"#,
            "line 2: entity 1 of \"entities\": no \"label\"",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 0.5, "end": 1, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": start 0.5 is not a whole number",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": "0", "end": 1, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": start \"0\" is not a whole number",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": -1, "end": 1, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": start -1 is not a whole number",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 0, "end": 1e300, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": end 1e+300 is not a whole number",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 0, "end": 18446744073709551616, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": end",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 1, "end": 1, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": start 1 is not before end 1",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 2, "end": 1, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": start 2 is not before end 1",
        ),
        (
            r#"{"text": "😀b", "entities": [{"start": 0, "end": 3, "label": "X"}]}"#,
            "line 2: entity 1 of \"entities\": end 3 is beyond the text's 2 characters",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 0, "end": 1, "label": ""}]}"#,
            "line 2: entity 1 of \"entities\": the label is empty",
        ),
        (
            r#"{"text": "ab", "entities": [{"start": 0, "end": 1, "label": 3}]}"#,
            "line 2: entity 1 of \"entities\": the label is a number, not a string",
        ),
        (
            r#"{"text": "ab", "spans": [{"start": 0, "end": 1, "label": "X"}, {"start": 0, "end": 9, "label": "X"}]}"#,
            "line 2: entity 2 of \"spans\": end 9 is beyond",
        ),
        (
            r#"{"text": "ab", "label": [[0, 1]]}"#,
            "line 2: entity 1 of \"label\": expected",
        ),
    ];
    for (bad, want) in cases {
        let e = error(&format!("{good}\n{bad}\n{good}"));
        assert!(e.starts_with(want), "{bad}\n  gave {e}\n  want {want}…");
    }
}

#[test]
fn every_malformed_iob_line_is_an_error_naming_its_line() {
    let cases = [
        ("Paris\n", "line 3: expected WORD<TAB>TAG"),
        ("Paris\tB-\n", "line 3: \"B-\" is not a tag"),
        ("Paris\tLOC\n", "line 3: \"LOC\" is not a tag"),
        ("Paris\tb-LOC\n", "line 3: \"b-LOC\" is not a tag"),
        ("Paris NNP X-LOC\n", "line 3: \"X-LOC\" is not a tag"),
        ("\tO\n", "line 3: the word (first column) is empty"),
    ];
    for (bad, want) in cases {
        let e = error(&format!("# doc a\nIn\tO\n{bad}\n"));
        assert!(e.starts_with(want), "{bad:?}\n  gave {e}\n  want {want}…");
    }
}

#[test]
fn a_first_line_with_a_brace_token_is_read_as_iob_columns() {
    let corpus = parse("{\t(\tO\nAcme\tNNP\tB-ORG\n");
    assert_eq!(words(&corpus.docs[0].sentences[0]), ["{", "Acme"]);
    let corpus = parse("\n  { NN I-NP O\n");
    assert_eq!(words(&corpus.docs[0].sentences[0]), ["{"]);
    assert!(error("{ \"text\": 1 }").starts_with("line 1: \"text\" is a number"));
}

#[test]
fn docstart_lines_and_doc_headers_start_documents() {
    let text = "\u{feff}Before\tO\n\n-DOCSTART-\tO\n\nEU\tB-ORG\n\n# doc x/1\nParis\tS-LOC\n";
    let corpus = parse(text);
    let ids: Vec<_> = corpus.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["1", "3", "x/1"]);
    assert_eq!(corpus.docs[1].sentences[0].entities, [span(0..1, "ORG")]);
    assert_eq!(corpus.labels(), ["LOC", "ORG"]);
}

#[test]
fn no_offsets_in_a_text_of_many_scripts_panic_and_every_entity_is_kept_or_reported() {
    let text = "👩‍👩‍👧 São Paulo, 北京市; e\u{301}te\u{301} — שלום עולם! x";
    let n = text.chars().count();
    for start in 0..n {
        for end in start + 1..=n {
            let corpus = parse(&record(text, &[(start, end, "X")]));
            assert_eq!(
                corpus.entity_count() + corpus.problems.len(),
                1,
                "{start}..{end}"
            );
        }
        for end in [start, n + 1, usize::MAX] {
            let bad = format!(
                r#"{{"text": {}, "entities": [[{start}, {end}, "X"]]}}"#,
                serde_json::to_string(text).unwrap()
            );
            assert!(parse_corpus_text(&bad).unwrap_err().starts_with("line 1: "));
        }
    }
}

#[test]
fn a_file_that_cannot_be_read_or_parsed_is_an_error_naming_it() {
    let missing = fixture("missing.jsonl");
    assert!(read_corpus_file(&missing)
        .unwrap_err()
        .starts_with(&missing.display().to_string()));
}

/// The items of sorted `a` not in sorted `b`, and those of `b` not in `a`, as multisets.
fn difference<'a, T: Ord>(a: &'a [T], b: &'a [T]) -> (Vec<&'a T>, Vec<&'a T>) {
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    let (mut i, mut k) = (0, 0);
    loop {
        match (a.get(i), b.get(k)) {
            (Some(x), Some(y)) if x == y => (i, k) = (i + 1, k + 1),
            (Some(x), Some(y)) if x > y => {
                only_b.push(y);
                k += 1;
            }
            (Some(x), _) => {
                only_a.push(x);
                i += 1;
            }
            (None, Some(y)) => {
                only_b.push(y);
                k += 1;
            }
            (None, None) => break,
        }
    }
    (only_a, only_b)
}

/// A file of the shared CoNLL-2003 data beside the repository (see accuracy.rs).
fn conll(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/conll03")
        .join(name);
    assert!(
        path.exists(),
        "{} not found: the shared CoNLL-2003 data must be beside the repository",
        path.display()
    );
    path
}

#[test]
#[ignore = "reads ../shared/data/conll03; run with --ignored"]
fn conll03_train_tsv_reads_with_its_four_labels() {
    let corpus = read_corpus_file(&conll("train.tsv")).unwrap();
    assert_eq!(corpus.labels(), ["LOC", "MISC", "ORG", "PER"]);
    assert_eq!(corpus.docs.len(), 916);
    assert_eq!(corpus.entity_count(), 23_501);
    assert_eq!(corpus.problems, []);
}

#[test]
#[ignore = "reads ../shared/data/conll03; run with --ignored"]
fn conll03_dev_jsonl_holds_the_entities_of_dev_tsv() {
    let tsv = read_corpus_file(&conll("dev.tsv")).unwrap();
    let jsonl = read_corpus_file(&conll("dev.jsonl")).unwrap();
    assert_eq!(tsv.labels(), ["LOC", "MISC", "ORG", "PER"]);
    assert_eq!(jsonl.labels(), ["LOC", "MISC", "ORG", "PER"]);
    assert_eq!(tsv.entity_count(), 5_942);
    assert_eq!(jsonl.docs.len(), tsv.docs.len());
    for p in &jsonl.problems {
        eprintln!("{p}");
    }
    eprintln!(
        "dev.tsv {} entities; dev.jsonl {} read and {} reported",
        tsv.entity_count(),
        jsonl.entity_count(),
        jsonl.problems.len()
    );
    // Document by document, the same entities (their text without spaces, and label),
    // but for those reported.
    let names = |doc: &LabelledDoc| -> Vec<(String, String)> {
        let mut names: Vec<_> = doc
            .sentences
            .iter()
            .flat_map(|s| {
                s.entities
                    .iter()
                    .map(|(r, l)| (s.words[r.clone()].concat(), l.clone()))
            })
            .collect();
        names.sort();
        names
    };
    // Entities of dev.tsv not read from dev.jsonl, and entities read from dev.jsonl
    // that dev.tsv does not have.
    let (mut not_read, mut unlike) = (0, 0);
    for (t, j) in tsv.docs.iter().zip(&jsonl.docs) {
        assert_eq!(t.id, j.id);
        let (t, j) = (names(t), names(j));
        let (missing, extra) = difference(&t, &j);
        if !missing.is_empty() || !extra.is_empty() {
            eprintln!("dev.tsv only: {missing:?}; dev.jsonl only: {extra:?}");
        }
        not_read += missing.len();
        unlike += extra.len();
    }
    eprintln!("{not_read} entities of dev.tsv not read from dev.jsonl, {unlike} unlike any");
    assert!(not_read <= 10 && unlike <= 10);
    // Every entity is either read or reported (cut by Onoma's tokenizer).
    assert_eq!(
        jsonl.entity_count() + jsonl.problems.len(),
        tsv.entity_count()
    );
    assert!(jsonl.problems.len() * 100 < tsv.entity_count());
}

#[test]
#[ignore = "reads ../shared/data/conll03; run with --ignored"]
fn conll03_train_jsonl_reads_with_its_four_labels() {
    let corpus = read_corpus_file(&conll("train.jsonl")).unwrap();
    assert_eq!(corpus.labels(), ["LOC", "MISC", "ORG", "PER"]);
    for p in &corpus.problems {
        eprintln!("{p}");
    }
    eprintln!(
        "train.jsonl: {} entities read, {} reported",
        corpus.entity_count(),
        corpus.problems.len()
    );
    assert_eq!(corpus.entity_count() + corpus.problems.len(), 23_501);
    assert!(corpus.problems.len() * 100 < 23_501);
}
