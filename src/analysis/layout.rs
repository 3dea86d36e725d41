//! An essay's tokens with where each one is: its byte offset, sentence and paragraph. The
//! concordance, n-grams and collocations all walk this, built from the same segmentation as the
//! word counts of `analyze` (so a word's hits equal its count in `word_freq.csv`).

use crate::corpus::Essay;
use crate::segment::{Segmenter, Token};

use super::frequency::is_word;
use super::structure;

/// A sentence of an essay, as [`structure::sentences`] splits each paragraph (non-empty line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// 1-based among the essay's paragraphs.
    pub paragraph: u32,
    /// Byte range in the essay's body.
    pub start: u32,
    pub end: u32,
}

/// The tokens of one essay (whitespace left out) and where they are.
#[derive(Debug, Clone, Default)]
pub struct Layout<'a> {
    pub tokens: Vec<Token<'a>>,
    /// Byte offset of each token in the body.
    pub offsets: Vec<u32>,
    /// Index into `sentences` of each token's sentence.
    pub sentence: Vec<u32>,
    pub sentences: Vec<Sentence>,
}

impl<'a> Layout<'a> {
    /// Segments the essay as `analyze` does.
    pub fn new(segmenter: &'a Segmenter, essay: &'a Essay) -> Self {
        let tokens = super::segment_essay(segmenter, essay);
        Self::of_tokens(&essay.body, tokens)
    }

    /// The layout of `tokens`, slices of `body`.
    pub fn of_tokens(body: &str, tokens: Vec<Token<'a>>) -> Self {
        let sentences = sentences(body);
        let base = body.as_ptr() as usize;
        let offsets: Vec<u32> = tokens
            .iter()
            .map(|t| (t.as_ptr() as usize - base) as u32)
            .collect();
        let mut sentence = Vec::with_capacity(tokens.len());
        let mut current = 0usize;
        for &offset in &offsets {
            while current + 1 < sentences.len() && sentences[current + 1].start <= offset {
                current += 1;
            }
            sentence.push(current as u32);
        }
        Layout {
            tokens,
            offsets,
            sentence,
            sentences,
        }
    }

    /// The sentence and paragraph (both 1-based, headings included) of byte `offset`.
    pub fn place(&self, offset: u32) -> (u32, u32) {
        let i = self
            .sentences
            .partition_point(|s| s.start <= offset)
            .saturating_sub(1);
        match self.sentences.get(i) {
            Some(s) => (i as u32 + 1, s.paragraph),
            None => (0, 0),
        }
    }

    /// The word tokens (see [`is_word`]) with their token index.
    pub fn words(&self) -> impl Iterator<Item = (usize, Token<'a>)> + '_ {
        self.tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| is_word(t))
            .map(|(i, &t)| (i, t))
    }
}

/// The sentences of an essay's body, paragraph by paragraph.
pub fn sentences(body: &str) -> Vec<Sentence> {
    let mut found = Vec::new();
    let mut paragraph = 0;
    let mut line_start = 0;
    for line in body.split('\n') {
        if !line.trim().is_empty() {
            paragraph += 1;
            for (start, end) in structure::sentences(line) {
                found.push(Sentence {
                    paragraph,
                    start: (line_start + start) as u32,
                    end: (line_start + end) as u32,
                });
            }
        }
        line_start += line.len() + 1;
    }
    found
}

/// The text shown for an essay (by `kwic` and the page): its body, or for an essay converted to
/// simplified character for character, the same places of the text as written.
pub struct Shown<'e> {
    body: &'e str,
    /// The original text, with the byte offset of each character of the body and of the
    /// original (and of their ends).
    original: Option<(&'e str, Vec<u32>, Vec<u32>)>,
}

impl<'e> Shown<'e> {
    pub fn of(essay: &'e Essay) -> Self {
        let starts = |text: &str| -> Vec<u32> {
            text.char_indices()
                .map(|(i, _)| i as u32)
                .chain([text.len() as u32])
                .collect()
        };
        Shown {
            body: &essay.body,
            original: essay
                .original
                .as_deref()
                .map(|original| (original, starts(&essay.body), starts(original))),
        }
    }

    /// The shown text of the body's bytes `start..end` (character boundaries).
    pub fn text(&self, start: usize, end: usize) -> &'e str {
        match &self.original {
            None => &self.body[start..end],
            Some((original, body_at, original_at)) => {
                let place = |byte: usize| {
                    let char = body_at
                        .binary_search(&(byte as u32))
                        .expect("a place in the body is a character boundary");
                    original_at[char] as usize
                };
                &original[place(start)..place(end)]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_know_their_sentence_and_paragraph() {
        let body = "社区很好。居民互助！\n我们感动。";
        let segmenter = Segmenter::new();
        let tokens = segmenter.segment(body);
        let layout = Layout::of_tokens(body, tokens);
        let at = |word: &str| {
            let i = layout.tokens.iter().position(|&t| t == word).unwrap();
            layout.place(layout.offsets[i])
        };
        assert_eq!(at("社区"), (1, 1));
        assert_eq!(at("居民"), (2, 1));
        assert_eq!(at("我们"), (3, 2));
        assert_eq!(layout.sentences.len(), 3);
        let i = layout.tokens.iter().position(|&t| t == "感动").unwrap();
        assert_eq!(layout.sentence[i], 2);
    }
}
