//! Helpers shared by the integration tests: running the binary and reading its CSV reports.

#![allow(dead_code)]

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn wenxi() -> Command {
    let mut cmd = Command::cargo_bin("wenxi").unwrap();
    cmd.current_dir(repo());
    cmd
}

/// Runs `wenxi analyze INPUT -o DIR` into a fresh folder, which it returns; the run must succeed.
pub fn analyze(input: impl AsRef<OsStr>) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(input)
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    out
}

/// Runs `wenxi analyze INPUT… EXTRA… -o DIR` without charts or page into a fresh folder; the
/// run must succeed. Returns the folder and the run's stderr.
pub fn analyze_tables(inputs: &[&Path], extra: &[&str]) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .arg("analyze")
        .args(inputs)
        .args(["--no-charts", "--no-html", "-q"])
        .args(extra)
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    (out, stderr)
}

/// A CSV report read back: header and rows of strings. The reader is written here, apart from
/// the code under test, and knows only RFC 4180 quoting.
pub struct Csv {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    pub fn read(path: &Path) -> Csv {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = String::from_utf8(bytes).unwrap();
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        let mut records = parse(text);
        let header = records.remove(0);
        Csv {
            header,
            rows: records,
        }
    }

    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    pub fn column(&self, name: &str) -> Vec<&str> {
        let i = self.col(name);
        self.rows.iter().map(|r| r[i].as_str()).collect()
    }

    /// Rows as maps from column name to value.
    pub fn records(&self) -> Vec<HashMap<&str, &str>> {
        self.rows
            .iter()
            .map(|row| {
                self.header
                    .iter()
                    .map(String::as_str)
                    .zip(row.iter().map(String::as_str))
                    .collect()
            })
            .collect()
    }
}

fn parse(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Writes a minimal Word document: each paragraph in two runs cut after `cut` characters, as
/// Word often splits them, with an empty paragraph after each if `blank_between` (blank lines
/// in Word).
pub fn write_docx(path: &Path, paragraphs: &[&str], cut: usize, blank_between: bool) {
    use std::io::Write;
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options: zip::write::SimpleFileOptions = Default::default();
    zip.start_file("word/document.xml", options).unwrap();
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for p in paragraphs {
        let at = p.char_indices().nth(cut).map_or(p.len(), |(i, _)| i);
        xml.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            &p[..at],
            &p[at..]
        ));
        if blank_between {
            xml.push_str("<w:p/>");
        }
    }
    xml.push_str("</w:body></w:document>");
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
}
