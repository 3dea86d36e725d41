//! Finding the files to read: files as given, folders walked recursively for `.txt`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A file to read, a path that could not be used (recorded and skipped), or a file of a folder
/// that is not input (recorded as not read).
#[derive(Debug)]
pub enum Found {
    File(PathBuf),
    Problem { path: String, message: String },
    NotRead { path: String, message: String },
}

/// Expands `inputs` in order: a file stands for itself whatever its extension; a folder for its
/// `.txt`, `.md`, `.docx`, `.doc` and `.wps` files and those whose names match an `include` pattern, depth
/// first in sorted name order, every other file of it (a FIFO, socket or device too, never
/// opened) listed as not read. Symbolic links are followed; a link back to an
/// ancestor is reported instead of followed forever. A file reached twice is read once.
pub fn find_files(inputs: &[PathBuf], include: &[regex::Regex]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut push_file = |path: PathBuf, found: &mut Vec<Found>| {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            found.push(Found::File(path));
        }
    };
    for input in inputs {
        let shown = super::shown(input);
        match std::fs::metadata(input) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                found.push(Found::Problem {
                    path: shown,
                    message: "no such file or folder".to_owned(),
                });
            }
            Err(err) => found.push(Found::Problem {
                path: shown,
                message: format!("cannot open: {err}"),
            }),
            Ok(meta) if meta.is_file() => push_file(input.clone(), &mut found),
            Ok(meta) if meta.is_dir() => {
                let mut walker = WalkDir::new(input)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter();
                while let Some(entry) = walker.next() {
                    match entry {
                        Ok(entry) if entry.file_type().is_dir() => {
                            // wenxi's own reports (CSV, a page) are never its input.
                            if entry.path().join(crate::report::run::RUN_FILE).is_file() {
                                found.push(Found::NotRead {
                                    path: super::shown(entry.path()),
                                    message: format!(
                                        "a wenxi report folder (it has {}): not read",
                                        crate::report::run::RUN_FILE
                                    ),
                                });
                                walker.skip_current_dir();
                            }
                        }
                        Ok(entry) if entry.file_type().is_file() => {
                            let name = entry.file_name().to_string_lossy();
                            if entry.depth() == 1 && name == "themes.toml" {
                                // The folder's theme lexicon, used for themes.csv.
                            } else if name.starts_with("~$") {
                                found.push(Found::NotRead {
                                    path: super::shown(entry.path()),
                                    message: "an Office lock file (its document is open in \
                                              Word or Excel): not read"
                                        .to_owned(),
                                });
                            } else if is_txt(entry.path())
                                || include.iter().any(|glob| glob.is_match(&name))
                            {
                                push_file(entry.into_path(), &mut found)
                            } else {
                                found.push(Found::NotRead {
                                    path: super::shown(entry.path()),
                                    message: not_read(entry.path()),
                                });
                            }
                        }
                        Ok(entry) => {
                            // Never opened (a FIFO would block its reader forever): one named
                            // like input is a failure to read it, any other merely not input.
                            let path = super::shown(entry.path());
                            let message = "not a regular file (a FIFO, socket or device): \
                                           not read"
                                .to_owned();
                            if is_txt(entry.path()) {
                                found.push(Found::Problem { path, message });
                            } else {
                                found.push(Found::NotRead { path, message });
                            }
                        }
                        Err(err) => {
                            let path = super::shown(err.path().unwrap_or(input));
                            let message = if err.loop_ancestor().is_some() {
                                "symbolic link loop: not followed".to_owned()
                            } else {
                                format!(
                                    "cannot open: {}",
                                    err.io_error()
                                        .map_or_else(|| err.to_string(), ToString::to_string)
                                )
                            };
                            found.push(Found::Problem { path, message });
                        }
                    }
                }
            }
            Ok(_) => found.push(Found::Problem {
                path: shown,
                message: "not a regular file or folder (a FIFO, socket or device): not read"
                    .to_owned(),
            }),
        }
    }
    found
}

/// Why a file of a folder is not read.
fn not_read(path: &Path) -> String {
    match path.extension() {
        Some(ext) if super::sheet::is_sheet(path) => format!(
            "a spreadsheet in a folder (it may be a report): read when named on the command line \
             or taken in with --include '*.{}'",
            ext.to_string_lossy()
        ),
        Some(ext) if ext.eq_ignore_ascii_case("pdf") => {
            "a PDF, which wenxi does not read: copy its text into a .txt file, or save it as \
             .docx"
                .to_owned()
        }
        _ => "not a .txt, .md, .docx or .doc file: not read (--include GLOB takes more)".to_owned(),
    }
}

/// `--include` patterns: `*` any run of characters, `?` one, matched against whole file names,
/// whatever the case.
pub fn glob(pattern: &str) -> Result<regex::Regex, regex::Error> {
    let mut re = String::from("(?i)^");
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push('$');
    regex::Regex::new(&re)
}

/// The inputs as given (files and folders), to name a file found under one of them by its path
/// within that input, so that a pattern on paths does not depend on how the input was typed nor
/// on the working directory.
#[derive(Debug)]
pub struct Inputs {
    /// Each input and its own name (the last component of its canonical path, so that `.` has
    /// the name of the working directory; none for `/`).
    inputs: Vec<(PathBuf, Option<String>)>,
}

impl Inputs {
    pub fn new(inputs: &[PathBuf]) -> Inputs {
        let name = |input: &Path| {
            std::fs::canonicalize(input)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .or_else(|| input.file_name().map(|n| n.to_string_lossy().into_owned()))
        };
        Inputs {
            inputs: inputs.iter().map(|i| (i.clone(), name(i))).collect(),
        }
    }

    /// `path` (a file found under the inputs, as [`find_files`] gives it) within the first input
    /// that holds it: a folder's name, then the path inside it (`essays/2022/a.txt` whether the
    /// folder was given as `essays`, `./essays/` or `/home/me/essays`); a file given by itself is
    /// its name. Components are joined with `/` on every platform; a path under no input is
    /// given as it is.
    pub fn path_within(&self, path: &str) -> String {
        let as_given = Path::new(path);
        for (input, name) in &self.inputs {
            if let Ok(rest) = as_given.strip_prefix(input) {
                return name
                    .iter()
                    .cloned()
                    .chain(
                        rest.components()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
                    )
                    .collect::<Vec<_>>()
                    .join("/");
            }
        }
        path.replace('\\', "/")
    }
}

/// Files a folder is searched for: text (`.txt`, `.md`) and Word documents (`.docx`, and
/// `.doc` and `.wps` of Word 97–2003's format). Spreadsheets are
/// read when named, since a folder often holds report CSVs too.
fn is_txt(path: &Path) -> bool {
    path.extension().is_some_and(|ext| {
        ["txt", "md", "docx", "doc", "wps"]
            .iter()
            .any(|x| ext.eq_ignore_ascii_case(x))
    })
}
