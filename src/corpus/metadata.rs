//! `--metadata FILE`: a table of facts about the essays (class, student, score …), CSV or a
//! workbook, joined to the essays by a key column whose cells name an essay by its key, its
//! `--id-column` id, its path, its file name, its title or its number.
//!
//! The join is made essay by essay as each batch is read, so it does not depend on the batch
//! size; what it matched is counted for the report at the end.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::{sheet, Corpus, Essay};

/// What the cells of the key column are matched against (`--metadata-match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchOn {
    /// Each of the others in turn, the first that matches.
    Auto,
    /// The essay key of the report tables (`essays/a.txt#1`).
    Key,
    /// The `--id-column` cell of spreadsheet input.
    Id,
    /// The file's path as wenxi shows it (`essays/a.txt`).
    Path,
    /// The file's name, with or without its extension (`a.txt` or `a`).
    File,
    /// The essay's title.
    Title,
    /// The essay's number (`essay_id` of the tables).
    Number,
}

impl MatchOn {
    const EACH: [MatchOn; 6] = [
        MatchOn::Key,
        MatchOn::Id,
        MatchOn::Path,
        MatchOn::File,
        MatchOn::Title,
        MatchOn::Number,
    ];

    fn as_str(self) -> &'static str {
        match self {
            MatchOn::Auto => "auto",
            MatchOn::Key => "essay key",
            MatchOn::Id => "id",
            MatchOn::Path => "path",
            MatchOn::File => "file name",
            MatchOn::Title => "title",
            MatchOn::Number => "essay number",
        }
    }
}

/// A metadata table, and what it has matched so far.
#[derive(Debug)]
pub struct Metadata {
    path: PathBuf,
    header: Vec<String>,
    key_column: usize,
    rows: Vec<Vec<String>>,
    /// Each row's number as the spreadsheet shows it.
    numbers: Vec<u32>,
    /// Key cell → its first row.
    index: FxHashMap<String, usize>,
    /// Keys on more than one row: (key, its rows as Excel numbers them).
    repeated: Vec<(String, Vec<usize>)>,
    on: MatchOn,
    matched_rows: Vec<bool>,
    /// Essays matched by each way of [`MatchOn::EACH`].
    by: [usize; 6],
    essays: usize,
    /// Some essays that got no row, for the report.
    unmatched: Vec<String>,
    unmatched_count: usize,
}

/// Essays (and rows) named in a report at most.
const SHOWN: usize = 8;

impl Metadata {
    /// The table as read for `--metadata` (see [`sheet::read_table`]), the decoding's advice
    /// naming this table's own option, not the essays' `--encoding`.
    pub fn read_table(
        path: &Path,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<sheet::Sheet, String> {
        sheet::read_table(path, encoding)
            .map_err(|e| e.replace("--encoding", "--metadata-encoding"))
    }

    /// Reads the table; `key` names its key column by header or letter (the first if `None`).
    ///
    /// A CSV is read in `encoding`, or in the encoding detected if `None`; damage it was read
    /// despite (invalid bytes, a quote never closed) is said on stderr.
    pub fn load(
        path: &Path,
        key: Option<&str>,
        on: MatchOn,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<Metadata, String> {
        let table = Self::read_table(path, encoding)?;
        for note in &table.notes {
            eprintln!("wenxi: {}: {note}", path.display());
        }
        for problem in &table.problems {
            eprintln!(
                "wenxi: warning: {} is damaged but was read: {}",
                path.display(),
                problem.replace("--encoding", "--metadata-encoding")
            );
        }
        if table.header.is_empty() {
            return Err(
                "the metadata table is empty; it needs a header row and a row for each \
                        essay"
                    .to_owned(),
            );
        }
        let key_column = match key {
            Some(name) => sheet::named(&table, name).ok_or_else(|| {
                format!(
                    "no column {name:?} (--metadata-key); the columns are: {}",
                    table.header.join(", ")
                )
            })?,
            None => 0,
        };
        let mut index = FxHashMap::default();
        let mut rows_of: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (r, (row, &number)) in table.rows.iter().zip(&table.numbers).enumerate() {
            let cell = row[key_column].trim();
            if cell.is_empty() {
                continue;
            }
            index.entry(cell.to_owned()).or_insert(r);
            rows_of.entry(cell).or_default().push(number as usize);
        }
        let mut repeated: Vec<(String, Vec<usize>)> = rows_of
            .into_iter()
            .filter(|(_, rows)| rows.len() > 1)
            .map(|(key, rows)| (key.to_owned(), rows))
            .collect();
        repeated.sort_by_key(|(_, rows)| rows[0]);
        let matched_rows = vec![false; table.rows.len()];
        Ok(Metadata {
            path: path.to_owned(),
            header: table.header,
            key_column,
            rows: table.rows,
            numbers: table.numbers,
            index,
            repeated,
            on,
            matched_rows,
            by: [0; 6],
            essays: 0,
            unmatched: Vec::new(),
            unmatched_count: 0,
        })
    }

    /// Appends the columns of each essay's row to its metadata (a column its spreadsheet
    /// already has keeps the spreadsheet's value).
    pub fn attach(&mut self, batch: &mut Corpus) {
        let keys = batch.essay_keys();
        for (essay, key) in batch.essays.iter_mut().zip(keys) {
            self.essays += 1;
            let found = MatchOn::EACH
                .iter()
                .enumerate()
                .filter(|(_, &way)| self.on == MatchOn::Auto || self.on == way)
                .find_map(|(w, &way)| {
                    candidates(essay, &key, way)
                        .into_iter()
                        .find_map(|c| self.index.get(c.as_str()).copied())
                        .map(|row| (w, row))
                });
            let Some((way, row)) = found else {
                self.unmatched_count += 1;
                if self.unmatched.len() < SHOWN {
                    self.unmatched.push(key);
                }
                continue;
            };
            self.by[way] += 1;
            self.matched_rows[row] = true;
            for (name, value) in self.header.iter().zip(&self.rows[row]) {
                if !essay.meta.iter().any(|(n, _)| n == name) {
                    essay.meta.push((name.clone(), value.trim().to_owned()));
                }
            }
        }
    }

    /// What the join did, a line each: the first says how many essays got a row and how; the
    /// others (warnings) name essays and rows that matched nothing and repeated keys.
    pub fn report(&self) -> Vec<String> {
        let file = self.path.display();
        let key = &self.header[self.key_column];
        let matched = self.essays - self.unmatched_count;
        let mut lines = Vec::new();
        let ways: Vec<String> = MatchOn::EACH
            .iter()
            .zip(self.by)
            .filter(|(_, n)| *n > 0)
            .map(|(way, n)| format!("{n} by {}", way.as_str()))
            .collect();
        let mut first = format!(
            "wenxi: metadata from {file} (key column {key}): {matched} of {} essay(s) matched",
            self.essays
        );
        if !ways.is_empty() {
            first.push_str(&format!(" ({})", ways.join(", ")));
        }
        lines.push(first);
        if matched == 0 && self.essays > 0 {
            let examples: Vec<&str> = self
                .rows
                .iter()
                .map(|r| r[self.key_column].trim())
                .filter(|k| !k.is_empty())
                .take(3)
                .collect();
            lines.push(format!(
                "wenxi: warning: no essay matched a cell of column {key} of {file} (cells such \
                 as {}; essays such as {}): name the key column with --metadata-key, or say \
                 what it holds with --metadata-match",
                examples.join(", "),
                self.unmatched
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return lines;
        }
        if self.unmatched_count > 0 {
            lines.push(format!(
                "wenxi: warning: {} essay(s) got no metadata from {file}: {}{}",
                self.unmatched_count,
                self.unmatched.join(", "),
                if self.unmatched_count > self.unmatched.len() {
                    ", …"
                } else {
                    ""
                }
            ));
        }
        let unused: Vec<String> = self
            .matched_rows
            .iter()
            .enumerate()
            .filter(|(_, &m)| !m)
            .map(|(r, _)| {
                format!(
                    "row {} ({})",
                    self.numbers[r],
                    self.rows[r][self.key_column].trim()
                )
            })
            .collect();
        if !unused.is_empty() {
            lines.push(format!(
                "wenxi: warning: {} row(s) of {file} matched no essay: {}{}",
                unused.len(),
                unused[..unused.len().min(SHOWN)].join(", "),
                if unused.len() > SHOWN { ", …" } else { "" }
            ));
        }
        for (key, rows) in self.repeated.iter().take(SHOWN) {
            let rows: Vec<String> = rows.iter().map(usize::to_string).collect();
            lines.push(format!(
                "wenxi: warning: {file}: {key} is the key of rows {}: the first is used",
                rows.join(", ")
            ));
        }
        lines
    }
}

/// What the essays read so far hold of a [`Selection`]'s column, to say what there is when no
/// essay matched: the column's values, or else the columns (the first 20 of each, in order).
#[derive(Debug, Default)]
pub struct Seen {
    has_column: bool,
    values: std::collections::BTreeSet<String>,
    columns: std::collections::BTreeSet<String>,
}

impl Seen {
    /// Takes in what `essay` holds of `selection`'s column.
    pub fn add(&mut self, selection: &Selection, essay: &Essay) {
        fn keep(set: &mut std::collections::BTreeSet<String>, text: &str) {
            if set.len() < 20 || set.last().is_some_and(|last| text < last.as_str()) {
                if set.insert(text.to_owned()) && set.len() > 20 {
                    set.pop_last();
                }
            }
        }
        for (name, value) in &essay.meta {
            if *name == selection.column {
                self.has_column = true;
                keep(&mut self.values, value.trim());
            } else if !self.has_column {
                keep(&mut self.columns, name);
            }
        }
    }

    /// The error of a selection no essay matched.
    pub fn missing(&self, selection: &Selection) -> String {
        let list = |set: &std::collections::BTreeSet<String>| {
            set.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.has_column {
            format!(
                "no essay has {}={}; the values of {} are: {}",
                selection.column,
                selection.value,
                selection.column,
                list(&self.values)
            )
        } else if self.columns.is_empty() {
            format!(
                "no essay has a column {:?}: the essays have no metadata (give a spreadsheet, \
                 or --metadata FILE)",
                selection.column
            )
        } else {
            format!(
                "no essay has a column {:?}; the metadata columns are: {}",
                selection.column,
                list(&self.columns)
            )
        }
    }
}

/// `COLUMN=VALUE`: the essays whose metadata column (of their spreadsheet or of `--metadata`)
/// holds the value, as `compare` and `keyness` take them (`class=一班`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub column: String,
    pub value: String,
}

impl Selection {
    /// `None` unless the text has an `=` with a column name before it.
    pub fn parse(text: &str) -> Option<Selection> {
        let (column, value) = text.split_once('=')?;
        let column = column.trim();
        (!column.is_empty()).then(|| Selection {
            column: column.to_owned(),
            value: value.trim().to_owned(),
        })
    }

    pub fn matches(&self, essay: &Essay) -> bool {
        essay
            .meta
            .iter()
            .any(|(n, v)| *n == self.column && v.trim() == self.value)
    }

    /// Whether some essay has the column at all.
    pub fn has_column(&self, corpus: &Corpus) -> bool {
        corpus
            .essays
            .iter()
            .any(|e| e.meta.iter().any(|(n, _)| *n == self.column))
    }

    /// The essays selected (with every file of the corpus), or an error saying which columns or
    /// values there are.
    pub fn select(&self, corpus: &Corpus) -> Result<Corpus, String> {
        let essays: Vec<Essay> = corpus
            .essays
            .iter()
            .filter(|e| self.matches(e))
            .cloned()
            .collect();
        if !essays.is_empty() {
            return Ok(Corpus {
                essays,
                files: corpus.files.clone(),
            });
        }
        let mut seen = Seen::default();
        corpus.essays.iter().for_each(|e| seen.add(self, e));
        Err(seen.missing(self))
    }

    /// The essays not selected.
    pub fn rest(&self, corpus: &Corpus) -> Corpus {
        Corpus {
            essays: corpus
                .essays
                .iter()
                .filter(|e| !self.matches(e))
                .cloned()
                .collect(),
            files: corpus.files.clone(),
        }
    }
}

/// The strings an essay is known by, one way.
fn candidates(essay: &Essay, key: &str, way: MatchOn) -> Vec<String> {
    let file = || Path::new(&essay.source);
    match way {
        MatchOn::Auto => Vec::new(),
        MatchOn::Key => vec![key.to_owned()],
        MatchOn::Id => essay.row_id.iter().cloned().collect(),
        MatchOn::Path => vec![essay.source.clone()],
        MatchOn::File => [file().file_name(), file().file_stem()]
            .into_iter()
            .flatten()
            .map(|n| n.to_string_lossy().into_owned())
            .collect(),
        MatchOn::Title => vec![essay.title.trim().to_owned()],
        MatchOn::Number => vec![essay.id.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essay(id: u32, source: &str, title: &str) -> Essay {
        Essay {
            id,
            title: title.into(),
            source: source.into(),
            body: "正文。".into(),
            ..Essay::default()
        }
    }

    #[test]
    fn rows_join_by_file_name_then_title_and_misses_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meta.csv");
        std::fs::write(
            &path,
            "学生,班级,分数\n张三,一班,85\n我的老师,二班,90\n王五,一班,70\n张三,三班,60\n",
        )
        .unwrap();
        let mut meta = Metadata::load(&path, None, MatchOn::Auto, None).unwrap();
        let mut batch = Corpus {
            essays: vec![
                essay(1, "essays/张三.txt", "春天"),
                essay(2, "essays/b.txt", "我的老师"),
                essay(3, "essays/c.txt", "秋天"),
            ],
            ..Corpus::default()
        };
        meta.attach(&mut batch);
        let value = |e: &Essay, name: &str| {
            e.meta
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(value(&batch.essays[0], "班级").as_deref(), Some("一班"));
        assert_eq!(value(&batch.essays[0], "分数").as_deref(), Some("85"));
        assert_eq!(value(&batch.essays[1], "班级").as_deref(), Some("二班"));
        assert!(batch.essays[2].meta.is_empty());
        let report = meta.report().join("\n");
        assert!(report.contains("2 of 3 essay(s) matched (1 by file name, 1 by title)"));
        assert!(report.contains("1 essay(s) got no metadata"));
        assert!(report.contains("essays/c.txt#1"));
        assert!(report.contains("row 4 (王五)"));
        assert!(report.contains("张三 is the key of rows 2, 5"));
    }

    #[test]
    fn a_named_way_and_key_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meta.csv");
        std::fs::write(&path, "班级,序号\n一班,2\n二班,1\n").unwrap();
        assert!(Metadata::load(&path, Some("学号"), MatchOn::Auto, None)
            .unwrap_err()
            .contains("no column \"学号\""));
        let mut meta = Metadata::load(&path, Some("B"), MatchOn::Number, None).unwrap();
        let mut batch = Corpus {
            essays: vec![essay(1, "a.txt", "2"), essay(2, "b.txt", "1")],
            ..Corpus::default()
        };
        meta.attach(&mut batch);
        // By number, not by the titles "2" and "1".
        assert_eq!(batch.essays[0].meta[0], ("班级".into(), "二班".into()));
        assert_eq!(batch.essays[1].meta[0], ("班级".into(), "一班".into()));
    }
}
