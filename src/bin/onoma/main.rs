//! `onoma`: the command-line interface. It only translates between files, arguments and
//! the library.

mod annotate;
mod bench;
mod evaluate;
#[cfg(feature = "train")]
mod train;

use onoma::Recognizer;
use std::process::ExitCode;

const USAGE: &str = "\
onoma: named-entity recognition for English

USAGE:
  onoma annotate [--model FILE]               JSONL {\"id\",\"text\"} on stdin -> entities JSONL on stdout
  onoma annotate [--model FILE] --text TEXT   print the entities of TEXT, one per line
  onoma annotate [--model FILE] FILE.txt      print the entities of a plain-text file
  onoma tokenize                              JSONL {\"id\",\"text\"} on stdin -> tokens and sentences JSONL
  onoma eval [--model FILE] CORPUS.tsv [--raw RAW.jsonl]
                                              precision/recall/F1 per type on gold tokens and
                                              on raw text (--raw, or the shared benchmark's
                                              eval/ontonotes_NAME.jsonl when it exists)
  onoma bench [--model FILE] [TEXTS.jsonl]    throughput (tokens/s) and peak memory
  onoma bench --family NAME --size BYTES      the same on one generated input (prose, nospace,
                                              random, punct, us, planes, marks, rtl)
  onoma train [--data DIR] [--lexicons DIR] [--out FILE] [--epochs N] [--runs N] [--crf-runs N] [--seed N] [--max-weights N] [--min-count N] [--dropout P]
                                              train the model (needs --features train)

Offsets in JSON output are Unicode code points.";

/// Parsed command line: the subcommand, its options and positional arguments.
pub struct Args {
    options: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Args {
    fn parse(raw: &[String]) -> Result<Self, String> {
        let mut options = Vec::new();
        let mut positional = Vec::new();
        let mut it = raw.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                options.push((name.to_string(), value.clone()));
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args {
            options,
            positional,
        })
    }

    /// The value of `--name`, if given.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `--name` as a whole number, if given.
    pub fn number(&self, name: &str) -> Result<Option<usize>, String> {
        self.option(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("--{name}: not a whole number: {v}"))
            })
            .transpose()
    }

    /// Fails on options not in `known`.
    pub fn only(&self, known: &[&str]) -> Result<(), String> {
        match self
            .options
            .iter()
            .find(|(n, _)| !known.contains(&n.as_str()))
        {
            Some((n, _)) => Err(format!("unknown option --{n}")),
            None => Ok(()),
        }
    }

    /// The recognizer named by `--model`, or the built-in one.
    pub fn recognizer(&self) -> Result<Recognizer, String> {
        match self.option("model") {
            Some(path) => Recognizer::from_path(path).map_err(|e| format!("{path}: {e}")),
            None => Ok(Recognizer::default()),
        }
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = raw.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = Args::parse(rest).and_then(|args| match command.as_str() {
        "annotate" => annotate::run(&args),
        "tokenize" => annotate::run_tokenize(&args),
        "eval" => evaluate::run(&args),
        "bench" => bench::run(&args),
        #[cfg(feature = "train")]
        "train" => train::run(&args),
        #[cfg(not(feature = "train"))]
        "train" => Err("this build has no training code: build with `--features train`".into()),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(true)
        }
        other => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    });
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("onoma: {e}");
            ExitCode::from(2)
        }
    }
}
