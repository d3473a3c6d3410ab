//! A text being edited, analysed again only where it changed.
//!
//! The text is cut into blocks at line breaks that always end a sentence (a blank line;
//! any line break in a text that is not hard-wrapped), at least [`MIN_BLOCK`] bytes
//! apart, chosen by the text that follows them (see [`blocks_of`]). Each block keeps its
//! [`PieceContext`] (what it says about its words) and its entities. When the text
//! changes, only new blocks are read; the blocks' contexts merge into the whole text's
//! [`Context`], exactly as if it were read at once, and a block is tagged again
//! when it is new or when what the whole text says about one of its words changed. A new
//! block is tagged after the [`WARM_UP`] sentences before it, so the tags given earlier
//! in the text still inform it; that history, for blocks not tagged again, is all that
//! can differ from [`Recognizer::analyze`] (see `docs/benchmarks.md`, "Editing a long
//! text").

use crate::features::{Context, Document, PieceContext, TagHistory};
use crate::hash::fnv1a;
use crate::recognizer::{Analysis, Entity, EntityRef, Recognizer, Source, WARM_UP};
use crate::tokenize::{split_piece, tokenize, Wrapping};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Smallest block, in bytes, so that a text of short lines does not become a block per
/// line: a cut comes at the first line break that may end a block this far past the last.
const MIN_BLOCK: usize = 500;

/// One line break in this many may end a block (by the text after it), up to...
const CUT_ONE_IN: u64 = 4;

/// ...blocks of this many bytes, past which any line break that ends a sentence does.
const MAX_BLOCK: usize = 8 * MIN_BLOCK;

/// Bytes after a line break that say whether it may end a block.
const CUT_KEY: usize = 32;

/// Bytes of text tagged at a time when many blocks are (see [`LiveDocument::tag_run`]).
const PIECE: usize = 100_000;

/// A text being edited: give each version to [`LiveDocument::analyze`] with the same
/// recognizer, and what did not change is not analysed again.
///
/// ```
/// let ner = onoma::Recognizer::default();
/// let mut live = onoma::LiveDocument::default();
/// let mut text = "Ada Lovelace met Charles Babbage in London.\n\n".repeat(100);
/// let first = live.analyze(&ner, &text);
/// assert_eq!(first.entities, ner.analyze(&text).entities);
/// text.push_str("Lovelace wrote notes in 1843.");
/// let edited = live.analyze(&ner, &text);
/// assert_eq!(edited.entities.len(), first.entities.len() + 2);
/// ```
#[derive(Default)]
pub struct LiveDocument {
    blocks: Vec<Block>,
    context: Context,
    /// How the text last read is wrapped: its blocks were cut and split so.
    wrapping: Wrapping,
    /// The labels and pattern ids of the blocks' entities.
    strings: Strings,
    /// The blocks of the share last read.
    share: Range<usize>,
    /// Bytes of stale blocks tagged again per read; `None`: all of them.
    refresh_limit: Option<usize>,
}

/// A block of the text and what is known of it.
struct Block {
    text: String,
    context: PieceContext,
    tokens: usize,
    sentences: usize,
    /// Its entities; `None` until tagged.
    entities: Option<Box<[BlockEntity]>>,
    /// Whether what the whole text says about its words has changed since it was tagged.
    stale: bool,
}

/// An entity of a block, in a fraction of an [`Entity`]'s room: its text is the text's
/// at its offsets, and its label and pattern id are kept once for the whole document.
struct BlockEntity {
    /// Byte offsets from the block's start.
    start: usize,
    end: usize,
    score: f32,
    /// Index of its label in [`LiveDocument::strings`].
    label: u32,
    /// Index of its pattern id in [`LiveDocument::strings`], or [`NO_ID`].
    id: u32,
    source: Source,
}

/// The [`BlockEntity::id`] of an entity without a pattern id.
const NO_ID: u32 = u32::MAX;

/// Strings kept once each, known by their index.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: HashMap<String, u32>,
}

impl LiveDocument {
    /// The entities of `text`, with token and sentence counts.
    pub fn analyze(&mut self, recognizer: &Recognizer, text: &str) -> Analysis {
        self.analyze_share(recognizer, text, 0, 1)
    }

    /// The entities of share `share` of `shares` of `text` (blocks whose first byte is
    /// within the `share`-th of `shares` equal parts of the text's bytes), with token and
    /// sentence counts, as [`Recognizer::analyze_share`] gives them. The blocks of the
    /// other shares are read (for the whole text's context) but not tagged.
    ///
    /// # Panics
    /// If `share >= shares`.
    pub fn analyze_share(
        &mut self,
        recognizer: &Recognizer,
        text: &str,
        share: usize,
        shares: usize,
    ) -> Analysis {
        let (tokens, sentences) = self.read_share(recognizer, text, share, shares);
        Analysis {
            entities: self.entities().map(|e| e.to_entity()).collect(),
            tokens,
            sentences,
        }
    }

    /// [`LiveDocument::analyze_share`] without copying the entities out: the numbers of
    /// tokens and sentences of the share; its entities are then [`LiveDocument::entities`].
    ///
    /// # Panics
    /// If `share >= shares`.
    pub fn read_share(
        &mut self,
        recognizer: &Recognizer,
        text: &str,
        share: usize,
        shares: usize,
    ) -> (usize, usize) {
        assert!(share < shares, "share {share} of {shares}");
        let wrapping = Wrapping::of(text);
        if self.wrapping != wrapping {
            self.blocks.clear();
            self.wrapping = wrapping;
        }
        self.update_blocks(recognizer, text);
        let starts = self.starts();
        let cut = |k: usize| (text.len() as u128 * k as u128 / shares as u128) as usize;
        let first = starts.partition_point(|&s| s < cut(share));
        let end = starts.partition_point(|&s| s < cut(share + 1));
        let last = share + 1 == shares;
        self.share = first..if last { self.blocks.len() } else { end };
        self.refresh(self.share.clone());
        self.tag(recognizer, text, &starts, self.share.clone());
        let blocks = &self.blocks[self.share.clone()];
        let tokens = blocks.iter().map(|b| b.tokens).sum();
        (tokens, blocks.iter().map(|b| b.sentences).sum())
    }

    /// Tags again no more than [`LiveDocument::refresh_limit`] bytes of stale blocks after
    /// each read, in text order: the others keep their entities, which may be out of date,
    /// until a later read (see [`LiveDocument::pending`]). By default every stale block is
    /// tagged again at once. A block that is new is tagged whatever the limit.
    pub fn set_refresh_limit(&mut self, bytes: Option<usize>) {
        self.refresh_limit = bytes;
    }

    /// How many blocks of the share last read are stale: their entities are those of the
    /// text before an edit that changed what the text says about their words.
    pub fn pending(&self) -> usize {
        self.blocks[self.share.clone()]
            .iter()
            .filter(|b| b.stale)
            .count()
    }

    /// Marks untagged the stale blocks among `blocks` to be tagged again now.
    fn refresh(&mut self, blocks: Range<usize>) {
        let mut left = self.refresh_limit.unwrap_or(usize::MAX);
        for block in &mut self.blocks[blocks] {
            if block.stale && block.entities.is_some() && left > 0 {
                left = left.saturating_sub(block.text.len());
                block.entities = None;
            }
        }
    }

    /// The entities of the share last read, in text order, borrowed from the document.
    pub fn entities(&self) -> impl Iterator<Item = EntityRef<'_>> {
        let before: usize = self.blocks[..self.share.start]
            .iter()
            .map(|b| b.text.len())
            .sum();
        let blocks = self.blocks[self.share.clone()].iter();
        let starts = blocks.clone().scan(before, |at, block| {
            let start = *at;
            *at += block.text.len();
            Some(start)
        });
        blocks.zip(starts).flat_map(move |(block, start)| {
            let entities = block.entities.as_deref().unwrap_or_default().iter();
            entities.map(move |e| e.borrowed(block, start, &self.strings))
        })
    }

    /// The text last read, in pieces (none before the first).
    ///
    /// ```
    /// let ner = onoma::Recognizer::default();
    /// let mut live = onoma::LiveDocument::default();
    /// let text = "Ada Lovelace met Charles Babbage.\n\nIn London.";
    /// live.analyze(&ner, text);
    /// assert_eq!(live.text().collect::<String>(), text);
    /// ```
    pub fn text(&self) -> impl Iterator<Item = &str> + Clone {
        self.blocks.iter().map(|block| block.text.as_str())
    }

    /// Byte offset where each block starts.
    fn starts(&self) -> Vec<usize> {
        let mut at = 0;
        let mut starts = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            starts.push(at);
            at += block.text.len();
        }
        starts
    }

    /// Takes the blocks of `text` in place of the old ones, keeping those that did not
    /// change, and marks untagged every kept block whose words the change concerns.
    fn update_blocks(&mut self, recognizer: &Recognizer, text: &str) {
        let wrapping = self.wrapping;
        let cuts = blocks_of(text, wrapping);
        let old = &self.blocks;
        let same = |a: &Block, b: &Range<usize>| a.text == text[b.clone()];
        let before = old
            .iter()
            .zip(&cuts)
            .take_while(|(a, b)| same(a, b))
            .count();
        let room = old.len().min(cuts.len()) - before;
        let after = old.iter().rev().zip(cuts.iter().rev()).take(room);
        let after = after.take_while(|(a, b)| same(a, b)).count();
        let fresh: Vec<Block> = cuts[before..cuts.len() - after]
            .iter()
            .map(|range| Block::read(recognizer, &text[range.clone()], wrapping))
            .collect();
        let gone: Vec<Block> = self
            .blocks
            .splice(before..old.len() - after, fresh)
            .collect();
        let added = &self.blocks[before..self.blocks.len() - after];
        let concerned: HashSet<u64> = gone
            .iter()
            .chain(added)
            .flat_map(|b| b.context.words_known())
            .collect();
        drop(gone);
        // Of the old context, only what it says about these words is needed: the rest
        // goes before the new one is made.
        let was = std::mem::take(&mut self.context).keep_only(concerned.iter().copied());
        self.context = Context::merge(self.blocks.iter().map(|b| &b.context));
        let changed: Vec<u64> = concerned
            .into_iter()
            .filter(|&word| self.context.differs_on(&was, word))
            .collect();
        if changed.is_empty() {
            return;
        }
        for block in &mut self.blocks {
            if changed.iter().any(|&word| block.context.knows(word)) {
                block.stale = true;
            }
        }
    }

    /// Tags the untagged blocks among `blocks`, each run of them after the [`WARM_UP`]
    /// sentences before it. `starts` gives where each block starts in `text`.
    fn tag(&mut self, recognizer: &Recognizer, text: &str, starts: &[usize], blocks: Range<usize>) {
        let mut b = blocks.start;
        while b < blocks.end {
            if self.blocks[b].entities.is_some() {
                b += 1;
                continue;
            }
            let run_end = (b..blocks.end)
                .find(|&k| self.blocks[k].entities.is_some())
                .unwrap_or(blocks.end);
            self.tag_run(recognizer, text, starts, b..run_end);
            b = run_end;
        }
    }

    /// Tags the blocks `run`, which follow each other, as one stretch of the text: in
    /// pieces of about [`PIECE`] bytes, so that a long text needs no more memory than its
    /// contexts and one piece, the tag history carried from each piece to the next.
    fn tag_run(
        &mut self,
        recognizer: &Recognizer,
        text: &str,
        starts: &[usize],
        run: Range<usize>,
    ) {
        let mut from = run.start;
        let mut warm_up = 0;
        while from > 0 && warm_up < WARM_UP {
            from -= 1;
            warm_up += self.blocks[from].sentences;
        }
        let end_of = |b: usize| starts.get(b).copied().unwrap_or(text.len());
        let mut history = TagHistory::default();
        let mut piece = run.start..run.start;
        while piece.end < run.end {
            piece.end = (piece.start + 1..=run.end)
                .find(|&b| b == run.end || end_of(b) - starts[piece.start] >= PIECE)
                .unwrap_or(run.end);
            let entities = self.tag_piece(
                recognizer,
                text,
                starts,
                (from, piece.clone()),
                &mut history,
            );
            let mut found: Vec<Vec<BlockEntity>> = piece.clone().map(|_| Vec::new()).collect();
            let mut k = piece.start;
            for entity in entities {
                while k + 1 < piece.end && starts[k + 1] <= entity.start {
                    k += 1;
                }
                let entity = BlockEntity::of(entity, starts[k], &mut self.strings);
                found[k - piece.start].push(entity);
            }
            for (k, entities) in piece.clone().zip(found) {
                self.blocks[k].entities = Some(entities.into_boxed_slice());
                self.blocks[k].stale = false;
            }
            from = piece.end;
            piece.start = piece.end;
        }
    }

    /// The entities, at offsets in `text`, of the blocks `piece`, read from block `from`
    /// on (the blocks before `piece` only add their sentences' tags to `history`).
    fn tag_piece(
        &self,
        recognizer: &Recognizer,
        text: &str,
        starts: &[usize],
        (from, piece): (usize, Range<usize>),
        history: &mut TagHistory,
    ) -> Vec<Entity> {
        let offset = starts[from];
        let end = starts.get(piece.end).copied().unwrap_or(text.len());
        let stretch = &text[offset..end];
        let tokens = tokenize(stretch);
        let sentences = split_piece(stretch, &tokens, self.wrapping);
        let first_word = self.blocks[..from].iter().map(|b| b.context.words()).sum();
        let words = tokens.iter().map(|t| t.text(stretch));
        let lexicons = recognizer.lexicons();
        let classes = recognizer.word_classes();
        let in_context = (&self.context, first_word);
        let doc = Document::in_context(words, &sentences, lexicons, classes, in_context);
        let piece_start = starts[piece.start] - offset;
        let part = sentences.partition_point(|s| tokens[s.start].start < piece_start);
        let all = (&tokens[..], &sentences[..]);
        let analysis = recognizer.analyze_part(stretch, all, &doc, part..sentences.len(), history);
        let mut entities = analysis.entities;
        for entity in &mut entities {
            entity.start += offset;
            entity.end += offset;
        }
        entities
    }
}

impl Block {
    /// Reads the block `text` of a text wrapped as `wrapping` says.
    fn read(recognizer: &Recognizer, text: &str, wrapping: Wrapping) -> Self {
        let tokens = tokenize(text);
        let sentences = split_piece(text, &tokens, wrapping);
        let words = tokens.iter().map(|t| t.text(text));
        let lexicons = recognizer.lexicons();
        let context = Document::context_of(words, &sentences, lexicons, recognizer.word_classes());
        Block {
            text: text.to_string(),
            context,
            tokens: tokens.len(),
            sentences: sentences.len(),
            entities: None,
            stale: false,
        }
    }
}

impl BlockEntity {
    /// `entity`, found in a block that starts at byte `block_start` of the text, its
    /// label and pattern id kept in `strings`.
    fn of(entity: Entity, block_start: usize, strings: &mut Strings) -> Self {
        BlockEntity {
            start: entity.start - block_start,
            end: entity.end - block_start,
            score: entity.score,
            label: strings.index_of(entity.label),
            id: entity.id.map_or(NO_ID, |id| strings.index_of(id)),
            source: entity.source,
        }
    }

    /// This entity of `block`, which starts at byte `block_start` of the text, its label
    /// and pattern id kept in `strings`.
    fn borrowed<'a>(
        &self,
        block: &'a Block,
        block_start: usize,
        strings: &'a Strings,
    ) -> EntityRef<'a> {
        EntityRef {
            start: block_start + self.start,
            end: block_start + self.end,
            label: &strings.list[self.label as usize],
            text: &block.text[self.start..self.end],
            score: self.score,
            source: self.source,
            id: (self.id != NO_ID).then(|| strings.list[self.id as usize].as_str()),
        }
    }
}

impl Strings {
    /// The index of `string`, kept from now on if it was not.
    fn index_of(&mut self, string: String) -> u32 {
        if let Some(&index) = self.index.get(&string) {
            return index;
        }
        let index = u32::try_from(self.list.len())
            .ok()
            .filter(|&i| i != NO_ID)
            .expect("fewer than 2^32 - 1 labels and pattern ids");
        self.list.push(string.clone());
        self.index.insert(string, index);
        index
    }
}

/// The blocks of `text`, as byte ranges that cover it in order: each ends after a run of
/// white space with a line break that ends a sentence in a text wrapped as `wrapping`
/// says, at least [`MIN_BLOCK`] bytes after the block's start.
///
/// Of those line breaks, only the ones whose next [`CUT_KEY`] bytes hash to one value in
/// [`CUT_ONE_IN`] end a block, until it reaches [`MAX_BLOCK`] bytes. The cuts depend on
/// the text around them, not on where the last cut fell, so that after an edit the cuts
/// soon fall where they fell before: were every break a candidate, a paragraph added
/// would move every later cut by a paragraph, and every later block would be new.
fn blocks_of(text: &str, wrapping: Wrapping) -> Vec<Range<usize>> {
    let breaks_needed = if wrapping.is_wrapped() { 2 } else { 1 };
    let bytes = text.as_bytes();
    let mut blocks = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\n' || i < start + MIN_BLOCK {
            i += 1;
            continue;
        }
        // The run of white space around this line break.
        let run_start = text[..i].trim_end().len();
        let run_end = i + (text[i..].len() - text[i..].trim_start().len());
        let breaks = bytes[run_start..run_end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let chosen = || {
            let key = &bytes[run_end..bytes.len().min(run_end + CUT_KEY)];
            (fnv1a(0, key) >> 32) % CUT_ONE_IN == 0 || run_end - start >= MAX_BLOCK
        };
        if breaks >= breaks_needed && run_start > start && run_end < bytes.len() && chosen() {
            blocks.push(start..run_end);
            start = run_end;
        }
        i = run_end.max(i + 1);
    }
    if start < text.len() || blocks.is_empty() {
        blocks.push(start..text.len());
    }
    blocks
}
