//! `onoma bench --edit`: what an edit costs in a long text being edited, as the page
//! edits it (a `LiveDocument`), against analysing the whole text again.

use onoma::{LiveDocument, Recognizer};
use std::io::Write;
use std::time::Instant;

/// Edits timed of each kind; the figure reported is their median.
const EDITS: usize = 9;

/// Times, on the paragraphs `texts` joined into one text of about `size` bytes: reading
/// it whole, typing a character at its end, adding a paragraph at its end, changing a
/// word in its middle, and adding a paragraph there.
pub fn report(ner: &Recognizer, texts: &[String], size: usize) -> std::io::Result<()> {
    let mut text = String::new();
    for paragraph in texts.iter().cycle() {
        if text.len() >= size || paragraph.is_empty() {
            break;
        }
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    text.truncate(text.trim_end().len());
    let mut live = LiveDocument::default();
    let started = Instant::now();
    let whole = live.analyze(ner, &text);
    let whole_ms = ms(started);
    let mut out = std::io::stdout().lock();
    writeln!(out, "bytes        {}", text.len())?;
    writeln!(out, "tokens       {}", whole.tokens)?;
    writeln!(out, "whole text   {whole_ms:.0} ms")?;
    let mut time = |edit: &dyn Fn(&mut String, usize)| {
        let mut times: Vec<f64> = (0..EDITS)
            .map(|k| {
                edit(&mut text, k);
                let started = Instant::now();
                live.analyze(ner, &text);
                ms(started)
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[EDITS / 2]
    };
    let typed = time(&|text, k| text.push(if k % 4 == 3 { ' ' } else { 'a' }));
    writeln!(out, "type at end  {typed:.1} ms (median of {EDITS})")?;
    let paragraph =
        time(&|text, _| text.push_str("\n\nAda Lovelace met Charles Babbage in London."));
    writeln!(out, "paragraph    {paragraph:.1} ms")?;
    let middle = time(&|text, k| {
        let mut at = text.len() / 2 + k;
        while !text.is_char_boundary(at) {
            at += 1;
        }
        text.insert_str(at, if k % 2 == 0 { " Paris" } else { " and" });
    });
    writeln!(out, "middle edit  {middle:.1} ms")?;
    let new_paragraph = time(&|text, k| {
        let mut middle = text.len() / 3 + k * 1000;
        while !text.is_char_boundary(middle) {
            middle += 1;
        }
        let at = middle + text[middle..].find("\n\n").map_or(0, |i| i + 2);
        text.insert_str(at, "Grace Hopper joined the Navy in 1943.\n\n");
    });
    writeln!(out, "new paragraph in the middle  {new_paragraph:.1} ms")
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}
