//! `onoma`: the command-line interface. It only translates between files, arguments and
//! the library.

mod annotate;
mod bench;
mod bench_edit;
mod evaluate;
mod label_file;
mod train;

use onoma::{PatternOptions, Patterns, Precedence, Recognizer};
use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

const USAGE: &str = "\
onoma: named-entity recognition for English

USAGE:
  onoma annotate [OPTIONS] [--threads N] [--shares N] [--in-steps N]
                                              JSONL {\"id\",\"text\"} on stdin -> entities JSONL on stdout,
                                              one record per thread at a time (default: every
                                              core), output in input order; --shares N reads
                                              each text in N shares as the worker pool of the
                                              npm package does, --in-steps N as it is typed
                                              (its first 1/N, 2/N, ...), analysed again only
                                              where it changed, as the page does (to measure
                                              what these cost)
  onoma annotate [OPTIONS] --text TEXT        print the entities of TEXT, one per line
  onoma annotate [OPTIONS] FILE.txt           print the entities of a plain-text file
  onoma tokenize                              JSONL {\"id\",\"text\"} on stdin -> tokens and sentences JSONL
  onoma eval [--model FILE] CORPUS.tsv [--raw RAW.jsonl]
                                              precision/recall/F1 per type on gold tokens and
                                              on raw text (--raw, or the shared benchmark's
                                              eval/ontonotes_NAME.jsonl when it exists)
  onoma bench [OPTIONS] [TEXTS.jsonl]         throughput (tokens/s) and peak memory
  onoma bench --family NAME --size BYTES      the same on one generated input (prose, nospace,
                                              random, punct, us, planes, marks, rtl)
  onoma train --corpus TRAIN --dev DEV --out FILE.onm [TRAIN OPTIONS]
                                              train a model whose labels are those of TRAIN
                                              (IOB columns, or JSONL with code-point offsets:
                                              {\"text\",\"entities\"}, Prodigy spans, doccano);
                                              the epoch, mix and confidence are chosen on DEV

OPTIONS of annotate and bench:
  --model FILE                 a model file instead of the built-in English model
  --patterns FILE              your own entities: spaCy EntityRuler JSONL, one pattern per line
  --case exact|ignore          whether phrase patterns match whatever the case (default exact)
  --precedence patterns|model  which wins where a pattern match overlaps a model entity
                               (default patterns; model: patterns only fill the gaps)

TRAIN OPTIONS:
  --test TEST                  also score on TEST (gold tokens) and record it in the model
  --lexicons DIR|none          public name lists and word classes (default target/lexicons,
                               made by scripts/build-lexicons.py)
  --labels FILE                descriptions and colours: {\"label\",\"description\",\"colour\"} lines
  --name NAME  --trained-on TEXT   the model's metadata (default: the file names)
  --epochs N (10)  --runs N (4)  --crf-runs N (2)  --seed N  --max-weights N (850000)
  --min-count N (2)  --dropout P (0.2)  --money-sign inside|as-annotated
  --running-text on|off        learn from the corpus cut as raw text is cut (default on)
  --headline-copies on|off     also learn from Title Case and ALL CAPS copies (default on)
  --lower-case-copies on|off   also learn from lower-case copies of some documents (default on)
  --sentences-alone on|off     also learn from some sentences read alone, as one-sentence
                               documents (default off)
  --datelines on|off           also learn from dateline copies (default on; needs GPE or
                               LOC, and ORG)

Offsets in JSON output are Unicode code points.";

/// The options of `Args::recognizer`.
pub const RECOGNIZER_OPTIONS: [&str; 4] = ["model", "patterns", "case", "precedence"];

/// Parsed command line: the subcommand's options and positional arguments.
pub struct Args {
    options: Vec<(String, String)>,
    positional: Vec<String>,
    help: bool,
}

impl Args {
    /// Every `--name` takes a value (`--name VALUE` or `--name=VALUE`) except `--help` and
    /// `-h`, which take none, so no flag swallows the argument after it.
    fn parse(raw: impl IntoIterator<Item = OsString>) -> Result<Self, String> {
        use lexopt::Arg::{Long, Short, Value};
        let mut parser = lexopt::Parser::from_args(raw);
        let mut args = Args {
            options: Vec::new(),
            positional: Vec::new(),
            help: false,
        };
        while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
            match arg {
                Short('h') | Long("help") => args.help = true,
                Long(name) => {
                    let name = name.to_string();
                    let value = parser
                        .value()
                        .map_err(|_| format!("--{name} needs a value"))?;
                    let value = utf8(value).map_err(|v| format!("--{name}: {v}"))?;
                    args.options.push((name, value));
                }
                Short(c) => return Err(format!("unknown option -{c}")),
                Value(value) => args.positional.push(utf8(value)?),
            }
        }
        Ok(args)
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

    /// The recognizer named by `--model`, or the built-in one, with the patterns of
    /// `--patterns` (matched as `--case` and `--precedence` say) if given.
    pub fn recognizer(&self) -> Result<Recognizer, String> {
        let ner = match self.option("model") {
            Some(path) => Recognizer::from_path(path).map_err(|e| format!("{path}: {e}"))?,
            None => Recognizer::default(),
        };
        let Some(path) = self.option("patterns") else {
            for name in ["case", "precedence"] {
                if self.option(name).is_some() {
                    return Err(format!("--{name} applies to --patterns, which is missing"));
                }
            }
            return Ok(ner);
        };
        let options = PatternOptions {
            ignore_case: match self.option("case") {
                None | Some("exact") => false,
                Some("ignore") => true,
                Some(other) => {
                    return Err(format!("--case: expected exact or ignore, got {other:?}"))
                }
            },
            precedence: match self.option("precedence") {
                None | Some("patterns") => Precedence::Patterns,
                Some("model") => Precedence::Model,
                Some(other) => {
                    return Err(format!(
                        "--precedence: expected patterns or model, got {other:?}"
                    ))
                }
            },
        };
        let file = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let file = String::from_utf8(file).map_err(|_| format!("{path}: not UTF-8 text"))?;
        let patterns = Patterns::from_jsonl(&file, options).map_err(|e| format!("{path}: {e}"))?;
        Ok(ner.with_patterns(patterns))
    }
}

fn utf8(value: OsString) -> Result<String, String> {
    value
        .into_string()
        .map_err(|v| format!("not valid UTF-8: {}", v.to_string_lossy()))
}

/// Why a command stopped early.
#[derive(Debug)]
pub enum Failure {
    /// What went wrong, for standard error.
    Message(String),
    /// Whoever read the output stopped reading (`onoma annotate a.txt | head -1`): not an
    /// error, so the command ends quietly.
    ClosedPipe,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Message(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure::Message(message.to_string())
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::BrokenPipe => Failure::ClosedPipe,
            _ => Failure::Message(format!("writing output: {e}")),
        }
    }
}

/// What a command returns: `Ok(false)` when it ran but some input was bad.
pub type Outcome = Result<bool, Failure>;

fn run(command: &str, args: &Args) -> Outcome {
    if args.help || matches!(command, "help" | "-h" | "--help") {
        writeln!(io::stdout().lock(), "{USAGE}")?;
        return Ok(true);
    }
    match command {
        "annotate" => annotate::run(args),
        "tokenize" => annotate::run_tokenize(args),
        "eval" => evaluate::run(args),
        "bench" => bench::run(args),
        "train" => train::run(args),
        other => Err(format!("unknown command {other:?}\n\n{USAGE}").into()),
    }
}

fn main() -> ExitCode {
    let mut raw = std::env::args_os().skip(1);
    let Some(command) = raw.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let command = command.to_string_lossy().into_owned();
    let result = Args::parse(raw)
        .map_err(Failure::from)
        .and_then(|args| run(&command, &args));
    match result {
        Ok(true) | Err(Failure::ClosedPipe) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(Failure::Message(e)) => {
            eprintln!("onoma: {e}");
            ExitCode::from(2)
        }
    }
}
