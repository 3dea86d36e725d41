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

impl WordList {
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
        let header: Vec<String> = sheet.header.iter().map(|h| h.to_lowercase()).collect();
        let records = sheet.rows;
        let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
        let (Some(word_col), Some(count_col)) = (
            find(&["word", "词", "词语"]),
            find(&["count", "freq", "frequency", "词频"]),
        ) else {
            return Err(format!(
                "{} has no `word` and `count` columns (header: {})",
                path.display(),
                header.join(",")
            ));
        };
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
        std::fs::write(&path, "term,n\nx,1\n").unwrap();
        assert!(WordList::read(&path)
            .unwrap_err()
            .contains("no `word` and `count` columns"));
    }
}
