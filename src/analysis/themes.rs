//! Theme lexicons: how much of each essay speaks of each theme.

use std::path::Path;

use regex::Regex;
use rustc_hash::FxHashSet;

use crate::segment::utf8_text;

/// The theme lexicon of the bundled corpus, used with the embedded corpus.
pub const EMBEDDED_THEMES: &str = include_str!("../../corpus/themes.toml");

/// One theme: whole words, prefixes (`防控*`) and regular expressions (`/^志愿.+$/`).
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    words: FxHashSet<String>,
    prefixes: Vec<String>,
    patterns: Vec<Regex>,
}

impl Theme {
    pub fn matches(&self, word: &str) -> bool {
        self.words.contains(word)
            || self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
            || self.patterns.iter().any(|r| r.is_match(word))
    }
}

/// Themes in the order of their file.
#[derive(Debug, Clone, Default)]
pub struct ThemeLexicon {
    pub themes: Vec<Theme>,
}

impl ThemeLexicon {
    /// Reads a TOML file of `"name" = ["word", "prefix*", "/regex/"]` lines.
    pub fn load(path: &Path) -> Result<ThemeLexicon, String> {
        let bytes = std::fs::read(path)
            .map_err(|err| format!("cannot read theme file {}: {err}", path.display()))?;
        let text = utf8_text(&bytes, "theme file", path).map_err(|err| err.to_string())?;
        Self::parse(text).map_err(|err| format!("theme file {}: {err}", path.display()))
    }

    /// Parses the TOML text of a theme lexicon.
    pub fn parse(text: &str) -> Result<ThemeLexicon, String> {
        let table: toml::Table = toml::from_str(text).map_err(|err| err.to_string())?;
        let mut lexicon = ThemeLexicon::default();
        for (name, value) in table {
            let entries = value
                .as_array()
                .ok_or_else(|| format!("theme `{name}` must be a list of words, such as \"{name}\" = [\"词\", \"前缀*\"]"))?;
            let mut theme = Theme {
                name: name.clone(),
                words: FxHashSet::default(),
                prefixes: Vec::new(),
                patterns: Vec::new(),
            };
            for entry in entries {
                let entry = entry
                    .as_str()
                    .ok_or_else(|| format!("theme `{name}`: {entry:?} is not a string"))?
                    .trim();
                if let Some(pattern) = entry
                    .strip_prefix('/')
                    .and_then(|e| e.strip_suffix('/'))
                    .filter(|p| !p.is_empty())
                {
                    theme.patterns.push(Regex::new(pattern).map_err(|err| {
                        format!("theme `{name}`: bad pattern /{pattern}/: {err}")
                    })?);
                } else if let Some(prefix) = entry.strip_suffix('*').filter(|p| !p.is_empty()) {
                    theme.prefixes.push(prefix.to_owned());
                } else if !entry.is_empty() {
                    theme.words.insert(entry.to_owned());
                }
            }
            lexicon.themes.push(theme);
        }
        if lexicon.themes.is_empty() {
            return Err(
                "no theme in it; write one theme a line: \"name\" = [\"word\", ...]".to_owned(),
            );
        }
        Ok(lexicon)
    }
}

/// One essay's hits on one theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeHits<'a> {
    pub hits: u64,
    /// Words hit with their counts, most frequent first, ties by word.
    pub words: Vec<(&'a str, u64)>,
}

/// Hits of every theme in one essay's word counts (a word may count for several themes).
/// `counts` holds (word, count), most frequent first, ties by word.
pub fn profile<'a>(counts: &[(&'a str, u64)], lexicon: &ThemeLexicon) -> Vec<ThemeHits<'a>> {
    lexicon
        .themes
        .iter()
        .map(|theme| {
            // `counts` is already sorted by count descending, then word.
            let words: Vec<(&'a str, u64)> = counts
                .iter()
                .filter(|w| theme.matches(w.0))
                .copied()
                .collect();
            ThemeHits {
                hits: words.iter().map(|w| w.1).sum(),
                words,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_prefixes_and_patterns() {
        let lexicon = ThemeLexicon::parse(
            "\"防护\" = [\"口罩\", \"消毒*\", \"/^隔离.*$/\"]\n\"互助\" = [\"互助\"]",
        )
        .unwrap();
        let names: Vec<_> = lexicon.themes.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["防护", "互助"]);
        let t = &lexicon.themes[0];
        assert!(t.matches("口罩") && t.matches("消毒液") && t.matches("隔离点"));
        assert!(!t.matches("口罩厂") && !t.matches("互助"));
        let hits = profile(&[("口罩", 3), ("互助", 2), ("消毒", 1)], &lexicon);
        assert_eq!(
            hits[0],
            ThemeHits {
                hits: 4,
                words: vec![("口罩", 3), ("消毒", 1)]
            }
        );
        assert_eq!(hits[1].hits, 2);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        assert!(ThemeLexicon::parse("\"防护\" = \"口罩\"")
            .unwrap_err()
            .contains("must be a list of words"));
        assert!(ThemeLexicon::parse("\"防护\" = [\"/(/\"]")
            .unwrap_err()
            .contains("bad pattern"));
        assert!(ThemeLexicon::parse("").unwrap_err().contains("no theme"));
        assert!(ThemeLexicon::parse("\"防护\" = [").is_err());
    }

    #[test]
    fn the_bundled_lexicon_parses() {
        assert!(ThemeLexicon::parse(EMBEDDED_THEMES).unwrap().themes.len() >= 5);
    }
}
