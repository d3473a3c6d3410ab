//! The `onoma` binary itself: arguments, exit statuses, offsets in its JSON, and a reader
//! that stops reading.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

fn onoma(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_onoma"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("input written");
    child.wait_with_output().expect("the binary ends")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 errors")
}

#[test]
fn help_is_printed_for_the_program_and_for_each_command() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["annotate", "--help"],
        &["train", "-h"],
    ] {
        let output = onoma(args, "");
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(stdout(&output).contains("USAGE:"), "{args:?}");
    }
}

#[test]
fn help_does_not_swallow_the_argument_after_it() {
    let output = onoma(&["annotate", "--help", "missing.txt"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("USAGE:"));
}

#[test]
fn misuse_is_reported_with_status_2() {
    let cases: [(&[&str], &str); 5] = [
        (&["annotate", "--bogus", "x"], "unknown option --bogus"),
        (&["annotate", "--model"], "--model needs a value"),
        (&["annotate", "-x"], "unknown option -x"),
        (&["frobnicate"], "unknown command"),
        (&["annotate", "--in-steps", "0"], "--in-steps: at least 1"),
    ];
    for (args, message) in cases {
        let output = onoma(args, "");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn json_offsets_count_code_points_and_bad_lines_are_kept_in_place() {
    let input = concat!(
        "{\"id\": 1, \"text\": \"😀 Siemens paid €1.4 billion for a plant in Zürich.\"}\n",
        "not json\n",
        "{\"id\": 3, \"text\": \"Angela Merkel visited Paris.\"}\n",
    );
    let output = onoma(&["annotate"], input);
    assert_eq!(output.status.code(), Some(1), "a bad line gives status 1");
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["id"], 3);
    let text: Vec<char> = "😀 Siemens paid €1.4 billion for a plant in Zürich."
        .chars()
        .collect();
    let entities = lines[0]["entities"].as_array().expect("entities");
    assert!(entities.iter().any(|e| e["text"] == "Zürich"));
    for e in entities {
        let (start, end) = (e["start"].as_u64().unwrap(), e["end"].as_u64().unwrap());
        let slice: String = text[start as usize..end as usize].iter().collect();
        assert_eq!(slice, e["text"].as_str().unwrap());
    }
}

#[test]
fn a_text_read_as_it_is_typed_ends_with_the_entities_of_the_whole() {
    let paragraph = "Ünïcödé 😀: Angela Merkel met Emmanuel Macron in Paris on Monday.\\n\\n";
    let input = format!("{{\"text\": \"{}\"}}\n", paragraph.repeat(80));
    let whole = stdout(&onoma(&["annotate"], &input));
    for steps in ["1", "7"] {
        let typed = onoma(&["annotate", "--in-steps", steps, "--shares", "2"], &input);
        assert_eq!(typed.status.code(), Some(0));
        let found: serde_json::Value = serde_json::from_str(&stdout(&typed)).expect("JSON");
        let expected: serde_json::Value = serde_json::from_str(&whole).expect("JSON");
        assert_eq!(found["entities"], expected["entities"], "{steps} steps");
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    let dir = std::env::temp_dir().join(format!("onoma-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("long.txt");
    // Far more output than a pipe holds, so writing must meet the closed pipe.
    std::fs::write(
        &file,
        "Angela Merkel visited Paris on Monday. ".repeat(20_000),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_onoma"))
        .args(["annotate", file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here, as `head -1` exits.
    let output = child.wait_with_output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(first.contains("Angela Merkel"), "{first}");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn entity_edges_skip_emoji_and_keep_the_currency_sign_in_code_points() {
    let input = "{\"id\": 1, \"text\": \"Gao Weimin 🇨🇳 took part. 😀😀 Tim Cook paid €89.\"}\n";
    let output = onoma(&["annotate"], input);
    assert!(output.status.success(), "{}", stderr(&output));
    let line: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let found: Vec<(String, u64, u64)> = line["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = e["text"].as_str().unwrap().to_string();
            (
                text,
                e["start"].as_u64().unwrap(),
                e["end"].as_u64().unwrap(),
            )
        })
        .collect();
    for expected in [("Gao Weimin", 0, 10), ("Tim Cook", 28, 36), ("€89", 42, 45)] {
        let expected = (expected.0.to_string(), expected.1, expected.2);
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
}

/// A pattern file in a fresh temporary directory.
fn pattern_file(name: &str, content: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("onoma-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("patterns.jsonl");
    std::fs::write(&path, content).expect("the pattern file is written");
    path
}

#[test]
fn patterns_add_entities_with_code_point_offsets_source_and_id() {
    let file = pattern_file(
        "good",
        "{\"label\": \"DISH\", \"pattern\": \"crème brûlée\", \"id\": \"d1\"}\n\
         {\"pattern\": \"Paris\", \"stop\": true}\n",
    );
    let input = "{\"id\": 1, \"text\": \"😀 Angela Merkel ate crème brûlée in Paris.\"}\n";
    let args = [
        "annotate",
        "--patterns",
        file.to_str().unwrap(),
        "--case",
        "ignore",
    ];
    let output = onoma(&args, input);
    assert!(output.status.success(), "{}", stderr(&output));
    let line: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let entities = line["entities"].as_array().unwrap();
    let dish = entities
        .iter()
        .find(|e| e["label"] == "DISH")
        .expect("DISH found");
    assert_eq!((&dish["start"], &dish["end"]), (&20.into(), &32.into()));
    assert_eq!(
        (&dish["source"], &dish["id"], &dish["score"]),
        (&"pattern".into(), &"d1".into(), &1.0.into())
    );
    assert!(
        entities.iter().all(|e| e["text"] != "Paris"),
        "the stop term removes Paris"
    );
    let merkel = entities
        .iter()
        .find(|e| e["label"] == "PERSON")
        .expect("PERSON found");
    assert_eq!(
        (&merkel["source"], merkel.get("id")),
        (&"model".into(), None)
    );
}

#[test]
fn a_bad_pattern_file_is_named_with_its_line_and_status_2() {
    let file = pattern_file("bad", "{\"label\": \"A\", \"pattern\": \"x\"}\n\n{\"label\": \"B\", \"pattern\": [{\"OP\": \"+\", \"LOWR\": \"x\"}]}\n");
    let output = onoma(
        &[
            "annotate",
            "--patterns",
            file.to_str().unwrap(),
            "--text",
            "x",
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("patterns.jsonl: line 3: token 0: unknown token attribute \"LOWR\""),
        "{message}"
    );
    let output = onoma(&["annotate", "--precedence", "model", "--text", "x"], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--precedence applies to --patterns"),
        "{}",
        stderr(&output)
    );
}

/// A file of the made-up three-label corpus in `tests/data/kitchen/`.
fn kitchen(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/kitchen");
    dir.join(name).to_str().unwrap().to_string()
}

#[test]
fn train_learns_the_labels_of_the_data_and_annotate_uses_the_model() {
    let dir = std::env::temp_dir().join(format!("onoma-cli-{}-train", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let train = [
        "train",
        "--corpus",
        &kitchen("train.jsonl"),
        "--dev",
        &kitchen("dev.jsonl"),
        "--out",
        &path("kitchen.onm"),
        "--labels",
        &kitchen("labels.jsonl"),
        "--lexicons",
        "none",
        "--epochs",
        "4",
        "--runs",
        "1",
        "--crf-runs",
        "1",
    ];
    let output = onoma(&train, "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("3 labels: CHEF CITY DISH"),
        "{}",
        stderr(&output)
    );

    let input = "{\"id\": 1, \"text\": \"😀 Zoë Brûlé cooked ramen in Gdańsk last night.\"}\n";
    let output = onoma(&["annotate", "--model", &path("kitchen.onm")], input);
    assert!(output.status.success(), "{}", stderr(&output));
    let line: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let found: Vec<(String, u64, u64, String)> = line["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            let n = |k: &str| e[k].as_u64().unwrap();
            (s("text"), n("start"), n("end"), s("label"))
        })
        .collect();
    let expected = [
        ("Zoë Brûlé", 2, 11, "CHEF"),
        ("ramen", 19, 24, "DISH"),
        ("Gdańsk", 28, 34, "CITY"),
    ]
    .map(|(t, s, e, l)| (t.to_string(), s, e, l.to_string()));
    assert_eq!(found, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn train_reports_bad_records_and_missing_arguments() {
    let dir = std::env::temp_dir().join(format!("onoma-cli-{}-badtrain", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let records = std::fs::read_to_string(kitchen("train.jsonl")).unwrap();
    let good: String = records.lines().take(2).map(|l| format!("{l}\n")).collect();
    std::fs::write(path("bad.jsonl"), format!("{good}{{\"text\": 5}}\n")).unwrap();
    // "Jiř" ends inside the token "Jiří": reported, not silently dropped.
    let cut = "{\"text\": \"Jiří Novák cooked.\", \"entities\": [[0, 3, \"CHEF\"]]}\n";
    std::fs::write(path("cut.jsonl"), format!("{good}{cut}")).unwrap();
    let args = |corpus: &str| {
        let list = ["train", "--corpus", corpus, "--dev", corpus, "--out"];
        let mut args: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        args.extend([path("m.onm"), "--lexicons".into(), "none".into()]);
        args.extend(["--epochs", "1", "--runs", "1", "--crf-runs", "0"].map(String::from));
        args
    };
    let run = |args: Vec<String>| onoma(&args.iter().map(String::as_str).collect::<Vec<_>>(), "");

    let output = run(args(&path("bad.jsonl")));
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("line 3: \"text\" is a number"),
        "{}",
        stderr(&output)
    );

    let output = run(args(&path("cut.jsonl")));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("line 3: "), "{}", stderr(&output));

    let output = onoma(&["train", "--corpus", &path("cut.jsonl")], "");
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--dev"), "{}", stderr(&output));
    std::fs::remove_dir_all(&dir).unwrap();
}
