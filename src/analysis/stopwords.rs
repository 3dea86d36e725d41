//! Stopwords: a built-in Chinese list (see `stopwords.txt` for where it comes from) plus the
//! user's own.

use std::path::Path;

use rustc_hash::FxHashSet;

use crate::error::{Error, Result};
use crate::segment::utf8_text;

const BUILTIN: &str = include_str!("stopwords.txt");

/// A set of stopwords. Stopwords stay in the frequency tables, flagged; keywords skip them.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    words: FxHashSet<String>,
}

impl Stopwords {
    /// The built-in list.
    pub fn builtin() -> Self {
        let mut stopwords = Stopwords::default();
        stopwords.extend_from_text(BUILTIN);
        stopwords
    }

    /// No stopwords at all.
    pub fn empty() -> Self {
        Stopwords::default()
    }

    /// Adds the words of a file: whitespace-separated, `#` starts a comment line, BOM tolerated.
    pub fn load_file(&mut self, path: &Path) -> Result<usize> {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            what: "stopword file",
            path: path.into(),
            source,
        })?;
        let text = utf8_text(&bytes, "stopword file", path)?;
        Ok(self.extend_from_text(text))
    }

    fn extend_from_text(&mut self, text: &str) -> usize {
        let before = self.words.len();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with('#'))
        {
            self.words
                .extend(line.split_whitespace().map(str::to_lowercase));
        }
        self.words.len() - before
    }

    /// Whether `word` is a stopword (Latin letters compared in lower case).
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
            || (word.bytes().any(|b| b.is_ascii_uppercase())
                && self.words.contains(&word.to_lowercase()))
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Stopwords;

    #[test]
    fn builtin_list_holds_function_words_not_content_words() {
        let stopwords = Stopwords::builtin();
        for word in ["的", "了", "我们", "因此", "The"] {
            assert!(stopwords.contains(word), "{word}");
        }
        for word in ["社区", "疫情", "志愿者", "#"] {
            assert!(!stopwords.contains(word), "{word}");
        }
        assert!(stopwords.len() > 400, "{}", stopwords.len());
    }
}
