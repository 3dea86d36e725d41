//! Reading a word-frequency list (a `word_freq.csv` of wenxi, or any CSV with a word column and a
//! count column) as a reference corpus.

use std::path::Path;

use rustc_hash::FxHashMap;

/// Word counts of a reference given as a CSV file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordList {
    pub counts: FxHashMap<String, u64>,
    pub total: u64,
}

/// Headers taken as the word column, and as the count column (compared in lower case).
pub const WORD_HEADERS: &[&str] = &["word", "词", "词语", "词汇", "单词"];
pub const COUNT_HEADERS: &[&str] = &["count", "freq", "frequency", "词频", "频次", "频数", "次数"];

/// The places of the word and count columns in a header, if it has both.
fn columns(header: &[String]) -> Option<(usize, usize)> {
    let header: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    Some((find(WORD_HEADERS)?, find(COUNT_HEADERS)?))
}

impl WordList {
    /// Whether `path` is a CSV whose header names a word column and a count column (a
    /// reference word list, not a sheet of essays); only its start is read.
    pub fn is_word_list(path: &Path) -> bool {
        use std::io::Read;
        let mut start = Vec::new();
        let read =
            std::fs::File::open(path).and_then(|file| file.take(64 * 1024).read_to_end(&mut start));
        if read.is_err() {
            return false;
        }
        // Whole lines (not a character cut by the 64 KiB), as many as there are: the header
        // alone (`词,频次`) is too little text to tell GBK by.
        let Some(end) = start.iter().rposition(|&b| b == b'\n') else {
            return false;
        };
        match super::decode::decode(&start[..=end], None) {
            Ok(decoded) => columns(&super::sheet::parse_csv(&decoded.text).header).is_some(),
            // Not text that can be read (an old .xls renamed .csv): the corpus reader says what
            // it is.
            Err(_) => false,
        }
    }

    /// Reads `path`: a header row naming a `word` column and a `count` (or `freq`, `frequency`)
    /// column; the encoding is detected as for essays (Excel's plain CSV save writes GBK). The
    /// counts of a word listed more than once (one row per tag) are added up.
    pub fn read(path: &Path) -> Result<WordList, String> {
        let bytes =
            std::fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let text = super::decode::decode(&bytes, None)
            .map_err(|err| format!("{}: {err}", path.display()))?
            .text;
        let sheet = super::sheet::parse_csv(&text);
        if sheet.header.is_empty() {
            return Err(format!(
                "{} is empty; expected a header with word and count columns",
                path.display()
            ));
        }
        let Some((word_col, count_col)) = columns(&sheet.header) else {
            return Err(format!(
                "{} has no `word` and `count` columns (header: {}); a word column is headed {} \
                 and a count column {}",
                path.display(),
                sheet.header.join(","),
                WORD_HEADERS.join("/"),
                COUNT_HEADERS.join("/")
            ));
        };
        let records = sheet.rows;
        let mut list = WordList::default();
        for (index, record) in records.iter().enumerate() {
            let (Some(word), Some(count)) = (record.get(word_col), record.get(count_col)) else {
                continue;
            };
            let word = word.trim().trim_start_matches('\'');
            let count: u64 = count.trim().parse().map_err(|_| {
                format!(
                    "{}, line {}: count `{count}` is not a whole number",
                    path.display(),
                    index + 2
                )
            })?;
            if word.is_empty() {
                continue;
            }
            *list.counts.entry(word.to_owned()).or_default() += count;
            list.total += count;
        }
        Ok(list)
    }

    /// Leaves out the rows that are not words ([`crate::analysis::frequency::is_word`]:
    /// punctuation, bare numbers), which other tools' lists count and a corpus's size does not;
    /// the rows and occurrences left out.
    pub fn words_only(&mut self) -> (usize, u64) {
        let before = (self.counts.len(), self.total);
        self.counts
            .retain(|word, _| crate::analysis::frequency::is_word(word));
        self.total = self.counts.values().sum();
        (before.0 - self.counts.len(), before.1 - self.total)
    }

    /// The list with its words converted to simplified as the essays are (a wenxi list of
    /// traditional essays shows their written forms); words that become one are added up.
    pub fn converted(self, conversion: super::script::Conversion) -> WordList {
        let mut counts: FxHashMap<String, u64> = FxHashMap::default();
        for (word, count) in self.counts {
            let word = if word.chars().all(|c| c.is_ascii()) {
                word
            } else {
                conversion.convert(&word)
            };
            *counts.entry(word).or_default() += count;
        }
        WordList {
            counts,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wenxi_and_excel_word_lists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("freq.csv");
        std::fs::write(
            &path,
            "\u{FEFF}word,pos,count,per_10k\n社区,n,3,1.0\n\"a,b\",eng,2,1.0\n社区,v,1,1.0\n",
        )
        .unwrap();
        let list = WordList::read(&path).unwrap();
        assert_eq!(
            (list.counts["社区"], list.counts["a,b"], list.total),
            (4, 2, 6)
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("词语,词频\r\n居民,7\r\n");
        std::fs::write(&path, gbk).unwrap();
        assert_eq!(WordList::read(&path).unwrap().counts["居民"], 7);
        assert!(WordList::is_word_list(&path));
        // A GBK list as Excel saves it, with headers chardetng cannot tell by themselves.
        let (gbk, _, _) = encoding_rs::GBK.encode("词,频次\r\n居民,7\r\n社区,5\r\n志愿者,3\r\n");
        std::fs::write(&path, gbk).unwrap();
        assert!(WordList::is_word_list(&path));
        std::fs::write(&path, "词汇,频次\n居民,5\n").unwrap();
        assert_eq!(WordList::read(&path).unwrap().counts["居民"], 5);
        std::fs::write(&path, "term,n\nx,1\n").unwrap();
        assert!(!WordList::is_word_list(&path));
        assert!(WordList::read(&path)
            .unwrap_err()
            .contains("no `word` and `count` columns"));
    }
}
