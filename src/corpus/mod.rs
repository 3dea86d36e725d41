//! Reading a corpus: finding files, decoding, cleaning, splitting compiled pages into essays.

pub mod clean;
pub mod decode;
pub mod doc;
pub mod docx;
pub mod form;
pub mod metadata;
pub mod script;
pub mod sheet;
pub mod split;
mod walk;

pub use walk::{glob, Inputs};
pub mod wordlist;

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use rayon::prelude::*;

pub use split::Splitter;

/// The bundled corpus, analysed when no path is given and `./corpus` does not exist.
pub const EMBEDDED_NAME: &str = "epidemic-community-essays.txt";
pub const EMBEDDED_TEXT: &str = include_str!("../../corpus/epidemic-community-essays.txt");

/// One essay: its title is metadata, its body the text analysed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Essay {
    /// 1-based, in corpus order (sorted paths, then position in the file).
    pub id: u32,
    pub title: String,
    /// The file it came from, as given or found (shown lossily if not UTF-8).
    pub source: String,
    /// Paragraphs, one a line, cleaned.
    pub body: String,
    /// The other columns of its spreadsheet row (header, value), then those joined from
    /// `--metadata`; empty for a text file without metadata.
    pub meta: Vec<(String, String)>,
    /// Its row's cell in the `--id-column` of a spreadsheet (a student number): its key is then
    /// `path#id` instead of `path#position`.
    pub row_id: Option<String>,
    /// Its position in its file, from 1 (0: not known, for an essay not read from a file; its
    /// key then counts the essays of its file before it in the corpus).
    pub position: u32,
    /// The script its body was found in (`None`: no Han character, or not looked for).
    pub script: Option<script::Script>,
    /// Its body was converted from traditional to simplified before it was analysed.
    pub converted: bool,
    /// Its body as written, when it was converted character for character (the same number of
    /// characters, so that a place in `body` is the same place here): what `kwic` shows.
    /// `None` when not converted, or when the conversion changed its length (Taiwan vocabulary
    /// with `--opencc tw2sp`: 網際網路 → 互联网).
    pub original: Option<String>,
}

/// Whether a file went into the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    Ok,
    /// Read, but damaged: what was mended is in the message (stray NULs, a last character cut
    /// short, two encodings in one file).
    Repaired,
    Skipped,
    /// A file of a folder that is not input (an image, a spreadsheet, a report folder): listed
    /// so that nothing is passed over without a word, but not a failure.
    NotRead,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Repaired => "repaired",
            FileStatus::Skipped => "skipped",
            FileStatus::NotRead => "not read",
        }
    }
}

/// What happened to one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    /// Encoding it was read in; empty when it was not read.
    pub encoding: String,
    pub bytes: u64,
    pub essays: usize,
    pub status: FileStatus,
    /// Why it was skipped, or what was dropped from it.
    pub message: String,
}

/// How files are read.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Forced encoding (`--encoding`); detection otherwise.
    pub encoding: Option<&'static Encoding>,
    pub splitter: Splitter,
    /// The columns of spreadsheet input.
    pub columns: sheet::ColumnChoice,
    /// Traditional characters: found and converted (`--script`, `--opencc`).
    pub script: script::ScriptChoice,
    pub conversion: script::Conversion,
}

/// Essays and the record of every file read for them.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub essays: Vec<Essay>,
    pub files: Vec<SourceFile>,
}

impl Corpus {
    /// Reads files and folders (walked recursively for `.txt`, in sorted path order). Files that
    /// cannot be read are recorded as skipped; this never fails as a whole.
    pub fn load(inputs: &[PathBuf], options: &LoadOptions) -> Corpus {
        let mut corpus = Corpus::default();
        let all: Result<(), std::convert::Infallible> =
            CorpusReader::new(inputs, &[]).read(options, u64::MAX, |batch, _| {
                corpus.essays.extend(batch.essays);
                corpus.files.extend(batch.files);
                Ok(())
            });
        let Ok(()) = all;
        corpus
    }

    /// Takes in the record of a batch's files and its essays without their text (titles, sources
    /// and ids: what the reports need once the batch is analysed).
    pub fn absorb_without_text(&mut self, batch: Corpus) {
        self.files.extend(batch.files);
        self.essays
            .extend(batch.essays.into_iter().map(|essay| Essay {
                body: String::new(),
                original: None,
                ..essay
            }));
    }

    /// The bundled seed corpus, read from the binary itself.
    pub fn embedded(options: &LoadOptions) -> Corpus {
        Self::from_text_with(
            &format!("<embedded>/{EMBEDDED_NAME}"),
            EMBEDDED_TEXT,
            options,
        )
    }

    /// A corpus of one text, cleaned and split like a file named `name` would be.
    pub fn from_text(name: &str, text: &str) -> Corpus {
        Self::from_text_with(name, text, &LoadOptions::default())
    }

    /// Like [`Corpus::from_text`], with the given splitting options.
    pub fn from_text_with(name: &str, text: &str, options: &LoadOptions) -> Corpus {
        let mut corpus = Corpus::default();
        let (file, essays) = from_decoded(
            name.to_owned(),
            text.len() as u64,
            "UTF-8",
            text,
            None,
            options,
        );
        corpus.push_file(file, essays);
        corpus
    }

    /// Each essay's stable key: its source path and its position in that file (`path#3`), or its
    /// `--id-column` cell (`path#20230105`), the same whatever else is analysed with it, so that
    /// the tables of shards can be combined.
    pub fn essay_keys(&self) -> Vec<String> {
        let mut keys = Vec::with_capacity(self.essays.len());
        let mut position = 0;
        for (i, essay) in self.essays.iter().enumerate() {
            let same_file = i > 0 && self.essays[i - 1].source == essay.source;
            position = match essay.position {
                0 if same_file => position + 1,
                0 => 1,
                known => known,
            };
            match &essay.row_id {
                Some(id) => keys.push(format!("{}#{id}", essay.source)),
                None => keys.push(format!("{}#{position}", essay.source)),
            }
        }
        keys
    }

    /// Files that were skipped.
    pub fn skipped(&self) -> impl Iterator<Item = &SourceFile> {
        self.files
            .iter()
            .filter(|file| file.status == FileStatus::Skipped)
    }

    /// Total bytes of essay text (after cleaning).
    pub fn text_bytes(&self) -> usize {
        self.essays.iter().map(|essay| essay.body.len()).sum()
    }

    fn push_file(&mut self, file: SourceFile, essays: Vec<FoundEssay>) {
        let stem = file_stem(&file.path);
        for (place, found) in essays.into_iter().enumerate() {
            let id = self.essays.len() as u32 + 1;
            let title = found.title.unwrap_or_else(|| stem.clone());
            self.essays.push(Essay {
                id,
                title,
                source: file.path.clone(),
                body: found.body,
                meta: found.meta,
                row_id: found.row_id,
                position: place as u32 + 1,
                ..Essay::default()
            });
        }
        self.files.push(file);
    }
}

/// The files of some inputs, read a batch at a time (ripgrep's bounded buffer, at the scale of
/// files): never more than a batch of text in memory.
pub struct CorpusReader {
    found: Vec<walk::Found>,
    sizes: Vec<u64>,
}

impl CorpusReader {
    /// Finds the files of `inputs` (see [`Corpus::load`]), and in folders also those whose
    /// names match an `include` pattern ([`glob`]); reads nothing yet.
    pub fn new(inputs: &[PathBuf], include: &[regex::Regex]) -> Self {
        let found = walk::find_files(inputs, include);
        let sizes = found
            .iter()
            .map(|f| match f {
                walk::Found::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
                walk::Found::Problem { .. } | walk::Found::NotRead { .. } => 0,
            })
            .collect();
        CorpusReader { found, sizes }
    }

    /// Bytes of all the files found.
    pub fn bytes(&self) -> u64 {
        self.sizes.iter().sum()
    }

    /// Reads the files in order, in batches of about `batch_bytes` of files (at least one file
    /// each, read in parallel), and gives each batch to `each` with its bytes of files. A batch
    /// whose essays hold more than twice `batch_bytes` of text (a spreadsheet or a compiled page
    /// of thousands of essays; files whose text grows as it is decoded) goes in parts of its
    /// essays, about half of `batch_bytes` of text each (set aside in a temporary file while
    /// they wait, see [`Waiting`]), the first with the batch's files, so that no
    /// more than a batch of essays is analysed at once whatever the files. Essay ids continue
    /// from batch to batch.
    pub fn read<E>(
        self,
        options: &LoadOptions,
        batch_bytes: u64,
        mut each: impl FnMut(Corpus, u64) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut start = 0;
        let mut essays = 0u32;
        while start < self.found.len() {
            let mut end = start + 1;
            let mut bytes = self.sizes[start];
            while end < self.found.len() && bytes + self.sizes[end] <= batch_bytes {
                bytes += self.sizes[end];
                end += 1;
            }
            let outcomes: Vec<FileOutcome> = self.found[start..end]
                .par_iter()
                .flat_map_iter(|entry| match entry {
                    walk::Found::File(path) if sheet::is_workbook(path) => {
                        read_workbook(path, options)
                    }
                    walk::Found::File(path) => vec![read_file(path, options)],
                    walk::Found::Problem { path, message } => vec![(
                        skipped(path.clone(), 0, String::new(), message.clone()),
                        Vec::new(),
                    )],
                    walk::Found::NotRead { path, message } => vec![(
                        SourceFile {
                            status: FileStatus::NotRead,
                            // Its size, as for every other file: the column says bytes.
                            ..skipped(
                                path.clone(),
                                std::fs::metadata(path).map_or(0, |m| m.len()),
                                String::new(),
                                message.clone(),
                            )
                        },
                        Vec::new(),
                    )],
                })
                .collect();
            let mut batch = Corpus::default();
            for (file, found) in outcomes {
                batch.push_file(file, found);
            }
            for essay in &mut batch.essays {
                essay.id += essays;
            }
            essays += batch.essays.len() as u32;
            let text: u64 = batch.essays.iter().map(|e| e.body.len() as u64).sum();
            if batch.essays.len() > 1 && text > batch_bytes.saturating_mul(2) {
                // Each part's share of the files' bytes (for progress), summing to them.
                let (mut done, mut told) = (0u64, 0u64);
                let mut rest = Waiting::new(std::mem::take(&mut batch.essays)).peekable();
                // The file's text and its table's cells (a spreadsheet) were freed on the
                // thread that read it, and its essays now that they are set aside, among blocks
                // that stay: their pages would stay resident under the analysis of the parts.
                crate::memory::give_back();
                let mut part = batch;
                while rest.peek().is_some() {
                    let mut part_text = 0u64;
                    // Parts of half a batch (the 50 MB bench corpus as one file peaked at
                    // 294–301 MiB in parts of 4 MB, at 281–289 MiB in parts of 2, while its
                    // essays waited in memory; 262–273 MiB with them set aside).
                    while let Some(essay) = rest.next_if(|e| {
                        part.essays.is_empty() || part_text + e.body.len() as u64 <= batch_bytes / 2
                    }) {
                        part_text += essay.body.len() as u64;
                        part.essays.push(essay);
                    }
                    done += part_text;
                    let share = (u128::from(bytes) * u128::from(done) / u128::from(text)) as u64;
                    each(std::mem::take(&mut part), share - told)?;
                    told = share;
                }
            } else {
                each(batch, bytes)?;
            }
            start = end;
        }
        Ok(())
    }
}

/// The essays of a batch cut into parts ([`CorpusReader::read`]), waiting for their part in an
/// unnamed temporary file, so that a large file's text is not held beside the analysis of its
/// first parts: held, it was freed a part at a time among what the analysis keeps, and stayed
/// resident (a 500 MB corpus in one file peaked at 1,320 MiB, 1,040 as 3,669 files). In memory
/// if the file cannot be written. The file goes where `TMPDIR` says (`/tmp` by default): on a
/// tmpfs it is memory still, only not the process's.
enum Waiting {
    Memory(std::vec::IntoIter<Essay>),
    Disk {
        file: std::io::BufReader<std::fs::File>,
        left: usize,
    },
}

impl Waiting {
    fn new(essays: Vec<Essay>) -> Waiting {
        match Self::set_aside(&essays) {
            Ok(file) => Waiting::Disk {
                file: std::io::BufReader::with_capacity(1 << 20, file),
                left: essays.len(),
            },
            Err(_) => Waiting::Memory(essays.into_iter()),
        }
    }

    /// Writes `essays` (as read: before their script is found) to a temporary file, rewound.
    fn set_aside(essays: &[Essay]) -> std::io::Result<std::fs::File> {
        use std::io::{Seek, Write};
        let mut out = std::io::BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        let put = |out: &mut std::io::BufWriter<std::fs::File>, text: &str| {
            out.write_all(&(text.len() as u64).to_le_bytes())?;
            out.write_all(text.as_bytes())
        };
        for essay in essays {
            debug_assert!(essay.script.is_none() && !essay.converted && essay.original.is_none());
            out.write_all(&essay.id.to_le_bytes())?;
            out.write_all(&essay.position.to_le_bytes())?;
            put(&mut out, &essay.title)?;
            put(&mut out, &essay.source)?;
            put(&mut out, &essay.body)?;
            out.write_all(&(essay.meta.len() as u64).to_le_bytes())?;
            for (column, value) in &essay.meta {
                put(&mut out, column)?;
                put(&mut out, value)?;
            }
            match &essay.row_id {
                Some(id) => {
                    out.write_all(&[1])?;
                    put(&mut out, id)?;
                }
                None => out.write_all(&[0])?,
            }
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        Ok(file)
    }

    fn read(file: &mut impl std::io::Read) -> std::io::Result<Essay> {
        fn number<const N: usize>(file: &mut impl std::io::Read) -> std::io::Result<[u8; N]> {
            let mut bytes = [0u8; N];
            file.read_exact(&mut bytes)?;
            Ok(bytes)
        }
        fn text(file: &mut impl std::io::Read) -> std::io::Result<String> {
            let len = u64::from_le_bytes(number(file)?) as usize;
            let mut bytes = vec![0u8; len];
            file.read_exact(&mut bytes)?;
            String::from_utf8(bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        }
        let id = u32::from_le_bytes(number(file)?);
        let position = u32::from_le_bytes(number(file)?);
        let (title, source, body) = (text(file)?, text(file)?, text(file)?);
        let columns = u64::from_le_bytes(number(file)?);
        let mut meta = Vec::new();
        for _ in 0..columns {
            meta.push((text(file)?, text(file)?));
        }
        let row_id = match number::<1>(file)? {
            [1] => Some(text(file)?),
            _ => None,
        };
        Ok(Essay {
            id,
            title,
            source,
            body,
            meta,
            row_id,
            position,
            ..Essay::default()
        })
    }
}

impl Iterator for Waiting {
    type Item = Essay;

    fn next(&mut self) -> Option<Essay> {
        match self {
            Waiting::Memory(essays) => essays.next(),
            Waiting::Disk { left: 0, .. } => None,
            Waiting::Disk { file, left } => {
                *left -= 1;
                // The file was written a moment ago by this process: only a failing disk
                // could keep it from being read back.
                Some(Self::read(file).unwrap_or_else(|e| {
                    panic!("wenxi: cannot read back essays set aside in a temporary file: {e}")
                }))
            }
        }
    }
}

/// An essay as read from its file.
#[derive(Debug, Clone, Default)]
struct FoundEssay {
    title: Option<String>,
    body: String,
    meta: Vec<(String, String)>,
    row_id: Option<String>,
}

type FileOutcome = (SourceFile, Vec<FoundEssay>);

/// A workbook's essays: its file, and for each sheet skipped on its own, that sheet as a file.
fn read_workbook(path: &Path, options: &LoadOptions) -> Vec<FileOutcome> {
    let shown = shown(path);
    // calamine reads the file itself: its bytes are not read here too.
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let kind = match path.extension().map(|e| e.to_ascii_lowercase()) {
        Some(e) if e == "ods" => "ODS",
        Some(e) if e == "xls" => "XLS",
        _ => "XLSX",
    };
    match sheet::read_workbook_sheets(path) {
        Ok(mut sheets) if sheets.len() == 1 => {
            let (_, table) = sheets.pop().expect("one sheet");
            vec![from_sheet(shown, size, kind, None, table, options)]
        }
        Ok(sheets) => from_sheets(shown, size, kind, sheets, options),
        Err(message) => vec![(skipped(shown, size, String::new(), message), Vec::new())],
    }
}

fn read_file(path: &Path, options: &LoadOptions) -> FileOutcome {
    let shown = shown(path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            return (
                skipped(shown, 0, String::new(), format!("cannot read: {err}")),
                Vec::new(),
            )
        }
    };
    let size = bytes.len() as u64;
    if doc::is_doc(path) {
        let document = doc::text(&bytes);
        drop(bytes);
        return match document {
            Ok(document) => {
                let (mut file, found) = with_form(
                    from_decoded(shown, size, "DOC", document.text, None, options),
                    &document.meta,
                );
                if document.several_forms {
                    add_note(
                        &mut file,
                        "several forms (a class set in one .doc?) read as text, since the \
                         essays' headings are not read in .doc: save it as .docx to have each \
                         essay and its form read apart",
                    );
                }
                (file, found)
            }
            Err(message) => (skipped(shown, size, String::new(), message), Vec::new()),
        };
    }
    if docx::is_docx(path) {
        let text = docx::text(&bytes);
        drop(bytes);
        return match text {
            Ok(mut document) if document.parts.len() == 1 => {
                let meta = document.all_meta().to_vec();
                let text = document.parts.pop().expect("one part");
                let (mut file, found) = with_form(
                    from_decoded(shown, size, "DOCX", text, None, options),
                    &meta,
                );
                if document.several_forms {
                    add_note(
                        &mut file,
                        "several forms (a class set in one document?) read as text: head each \
                         essay's title in the style Heading 1 on a new page to have each essay \
                         and its form read apart",
                    );
                }
                (file, found)
            }
            Ok(document) => from_parts(shown, size, document, options),
            Err(message) => (skipped(shown, size, String::new(), message), Vec::new()),
        };
    }
    if let Some(what) = office_file(&bytes) {
        return (
            skipped(shown, size, String::new(), what.to_owned()),
            Vec::new(),
        );
    }
    // Each form of the text goes once the next is made (the bytes, the decoded text, the
    // cleaned text, the essays), so that a large file is in memory about twice at most, not
    // four times (a 50 MB file read at 257 MiB).
    match decode::decode_owned(bytes, options.encoding) {
        Ok(decoded) if sheet::is_sheet(path) => {
            let table = sheet::parse_csv(&decoded.text);
            let (encoding, repair) = (decoded.encoding, decoded.repair);
            drop(decoded.text);
            from_sheet(shown, size, encoding, repair, table, options)
        }
        Ok(decoded) => from_decoded(
            shown,
            size,
            decoded.encoding,
            decoded.text,
            decoded.repair,
            options,
        ),
        Err(err) => (
            skipped(shown, size, String::new(), err.to_string()),
            Vec::new(),
        ),
    }
}

/// What an Office file read as text is, by its first bytes, and what to do with it: an old
/// Word document (the OLE compound file of .doc, .xls and .wps), or a zip archive, which is what
/// a .docx or .xlsx renamed (to .txt, say) is.
fn office_file(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(
            "an old Office document (.doc, .xls or .wps, not text): save it as .docx or .xlsx \
             and give that",
        )
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(
            "a zip archive, not text (a .docx or .xlsx renamed?): give it its own extension, \
             .docx or .xlsx",
        )
    } else {
        None
    }
}

fn from_decoded(
    path: String,
    bytes: u64,
    encoding: &str,
    text: impl AsRef<str>,
    repair: Option<String>,
    options: &LoadOptions,
) -> FileOutcome {
    let blank = text.as_ref().trim().is_empty();
    let cleaned = clean::clean(text.as_ref());
    drop(text);
    let mut split = options.splitter.split(&cleaned);
    // Lines of a form's fields atop the text (`班级：一班  姓名：张三`): one essay's, found before
    // its title is (the line above it would be taken as the title); on a page of several
    // essays, each essay's own, atop its body.
    let mut fields = Vec::new();
    let mut own_fields: Vec<Vec<(String, String)>> = Vec::new();
    if split.essays.len() == 1 {
        // Its lines at the top, and under its text (a score, a signature).
        let before = cleaned.len();
        let (stripped, mut found) = form::leading_fields(cleaned);
        let under = form::trailing_field_lines(&stripped);
        let has_text = stripped[..under.first().map_or(stripped.len(), |(r, _)| r.start)]
            .trim()
            .contains('\n');
        let under = if has_text { under } else { Vec::new() };
        form::add_fields(&mut found, &form::merged(&under));
        let stripped = form::without(stripped, &under);
        if stripped.len() != before {
            split = options.splitter.split(&stripped);
            fields = found;
        }
    } else {
        // Above the first essay's title (a class set's form line): every essay's, unless the
        // other essays have lines of the same fields (then it is the first essay's).
        let first = split
            .essays
            .first()
            .and_then(|essay| essay.title.as_deref())
            .and_then(|title| cleaned.find(title));
        let above: Vec<form::FieldLine> = form::field_lines(&cleaned, 1)
            .into_iter()
            .filter(|(range, _)| first.is_some_and(|first| range.end <= first))
            .collect();
        drop(cleaned);
        // Each essay's lines atop its body; lines under its text that name a writer are the
        // next essay's, written above its title; other lines under it (a score) its own.
        // Lines from the first that names a writer to the end go to the next essay, unless
        // that essay names its own writer atop its body, or the last essay too is signed
        // under its text (then every essay is signed so).
        let count = split.essays.len();
        let names = |lines: &[form::FieldLine]| {
            lines
                .iter()
                .position(|(_, found)| found.iter().any(|(l, _)| form::names_the_writer(l)))
        };
        let mut tops: Vec<Vec<form::FieldLine>> = Vec::with_capacity(count);
        let mut unders: Vec<Vec<form::FieldLine>> = Vec::with_capacity(count);
        for essay in &split.essays {
            let top = form::field_lines(&essay.body, 0);
            let top_end = top.last().map_or(0, |(range, _)| range.end);
            let under: Vec<form::FieldLine> = form::trailing_field_lines(&essay.body)
                .into_iter()
                .filter(|(range, _)| range.start >= top_end)
                .collect();
            tops.push(top);
            unders.push(under);
        }
        let signed_under = unders.last().is_some_and(|under| names(under).is_some());
        own_fields = vec![Vec::new(); count];
        let mut carried: Vec<(String, String)> = Vec::new();
        for i in 0..count {
            let mut own = std::mem::take(&mut carried);
            form::add_fields(&mut own, &form::merged(&tops[i]));
            let split_at = names(&unders[i])
                .filter(|_| !signed_under && i + 1 < count && names(&tops[i + 1]).is_none());
            match split_at {
                Some(at) => {
                    form::add_fields(&mut own, &form::merged(&unders[i][..at]));
                    carried = form::merged(&unders[i][at..]);
                }
                None => form::add_fields(&mut own, &form::merged(&unders[i])),
            }
            own_fields[i] = own;
        }
        for (essay, (mut top, under)) in split.essays.iter_mut().zip(tops.into_iter().zip(unders)) {
            top.extend(under);
            essay.body = form::without(std::mem::take(&mut essay.body), &top);
        }
        if !above.is_empty() {
            let found = form::merged(&above);
            let same_kind = found.iter().all(|(label, _)| {
                own_fields
                    .iter()
                    .skip(1)
                    .any(|f| f.iter().any(|(l, _)| l == label))
            });
            if same_kind {
                let mut first_own = found;
                form::add_fields(&mut first_own, &own_fields[0]);
                own_fields[0] = first_own;
            } else {
                fields = found;
            }
        }
    }
    let with_own = own_fields.iter().filter(|f| !f.is_empty()).count();
    let own_note = (with_own > 0).then(|| {
        format!(
            "form fields read as metadata of {with_own} essay(s): {}",
            form::labels(own_fields.iter().flatten())
        )
    });
    if split.essays.is_empty() {
        let why = if blank {
            "empty file: no text to analyse"
        } else {
            "no essay text after cleaning (only junk lines or a preamble)"
        };
        return (
            skipped(path, bytes, encoding.to_owned(), why.to_owned()),
            Vec::new(),
        );
    }
    let mut notes = Vec::new();
    if split.first_line_title {
        notes.push("first line taken as the title".to_owned());
    } else if split.essays.len() > 1 || split.essays[0].title.is_some() {
        notes.push(format!("compiled page: {} essays", split.essays.len()));
    }
    if let [only] = split.essays.as_slice() {
        let body = only.body.trim();
        if only.title.is_none()
            && !body.contains('\n')
            && body.chars().count() <= 24
            // No punctuation but a title's (`家乡·春`, `我的理想——当一名医生`): `我爱我的祖国.`
            // and `春眠不觉晓，处处闻啼鸟` are sentences.
            && body.chars().all(|c| {
                c.is_alphanumeric()
                    || c.is_whitespace()
                    || matches!(c, '《' | '》' | '“' | '”' | '·' | '—' | '–' | '-')
            })
        {
            notes.push(
                "its only line is short and no sentence: a title whose essay is missing?"
                    .to_owned(),
            );
        }
    }
    if split.preamble_lines > 0 {
        notes.push(format!("{} preamble line(s) dropped", split.preamble_lines));
    }
    if split.junk_lines > 0 {
        notes.push(format!("{} junk line(s) dropped", split.junk_lines));
    }
    if split.empty_titles > 0 {
        notes.push(format!(
            "{} title line(s) with no text under them dropped (a table of contents?)",
            split.empty_titles
        ));
    }
    notes.extend(own_note);
    let damaged = repair.is_some();
    notes.extend(repair);
    let file = read_ok(
        path,
        bytes,
        encoding,
        split.essays.len(),
        damaged,
        notes.join("; "),
    );
    let outcome = (
        file,
        split
            .essays
            .into_iter()
            .enumerate()
            .map(|(i, essay)| {
                let mut found = FoundEssay {
                    title: essay.title,
                    body: essay.body,
                    meta: own_fields.get(i).cloned().unwrap_or_default(),
                    row_id: None,
                };
                titled_by_form(&mut found);
                found
            })
            .collect(),
    );
    with_form(outcome, &fields)
}

/// A spreadsheet: one essay a row with text in its text column, the title column (if any)
/// naming it, every other column kept as metadata.
fn from_sheet(
    path: String,
    bytes: u64,
    encoding: &str,
    repair: Option<String>,
    table: sheet::Sheet,
    options: &LoadOptions,
) -> FileOutcome {
    // What the file's message ends with, read or skipped: what was done to the sheet (a title
    // row taken off), then what was wrong with it (a quote never closed in its header row takes
    // every row into the header).
    let damaged = repair.is_some() || !table.problems.is_empty();
    let tail: Vec<String> = table
        .notes
        .iter()
        .chain(&repair)
        .chain(&table.problems)
        .cloned()
        .collect();
    let with_damage = |why: String| -> String {
        tail.iter()
            .fold(why, |message, part| format!("{message}; {part}"))
    };
    if table.rows.is_empty() {
        let why = if table.header.is_empty() {
            "empty spreadsheet: no rows to read"
        } else {
            "the spreadsheet has a header row but no row under it"
        };
        return (
            skipped(
                path,
                bytes,
                encoding.to_owned(),
                with_damage(why.to_owned()),
            ),
            Vec::new(),
        );
    }
    let columns = match sheet::columns(&table, &options.columns) {
        Ok(columns) => columns,
        Err(message) => {
            return (
                skipped(path, bytes, encoding.to_owned(), with_damage(message)),
                Vec::new(),
            )
        }
    };
    let mut table = table;
    let named: Vec<usize> = [Some(columns.text), columns.title, columns.id]
        .into_iter()
        .flatten()
        .collect();
    table.fill_merged(&named);
    // Each row is dropped once its essay is made, so that the table and the essays are not
    // both whole in memory (a 500 MB CSV peaked at 1,823 MiB).
    let letters: Vec<String> = (0..table.header.len()).map(|i| table.letter(i)).collect();
    // A column with neither a name nor a cell (the trailing `,,,` of many exports) is no
    // metadata.
    let blank_columns: Vec<bool> = (0..table.header.len())
        .map(|i| {
            table.header[i] == letters[i] && table.rows.iter().all(|row| row[i].trim().is_empty())
        })
        .collect();
    // Every id of the sheet, so that the key a row without a usable id gets (`rowN`) is never
    // one a row has as its id.
    let all_ids: rustc_hash::FxHashSet<String> = columns.id.map_or_else(Default::default, |c| {
        table
            .rows
            .iter()
            .map(|row| row[c].trim().to_owned())
            .collect()
    });
    let sheet::Sheet {
        header,
        rows,
        numbers,
        notes: sheet_notes,
        ..
    } = table;
    let name = |i: usize| format!("{} ({})", header[i], letters[i]);
    // A sheet of several ([`from_sheets`]) comes as `file.xlsx [sheet]`: its rows are named
    // `file sheet 第N行`.
    let stem = match path.strip_suffix(']').and_then(|p| p.rsplit_once(" [")) {
        Some((file, sheet)) => format!("{} {sheet}", file_stem(file)),
        None => file_stem(&path),
    };
    let mut essays = Vec::new();
    let mut empty = 0;
    // Ids that are empty or repeat cannot key an essay: those rows keep a key of their row.
    let mut seen_ids = rustc_hash::FxHashSet::default();
    let mut bad_ids = Vec::new();
    for (row, &number) in rows.into_iter().zip(&numbers) {
        let cleaned = clean::clean(&row[columns.text]);
        let body: Vec<&str> = cleaned
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        // A cell that is one number (a score or an id in the text column) is no essay text
        // either; a text of numbers and punctuation is one.
        if body.is_empty() || body.len() == 1 && body[0].parse::<f64>().is_ok() {
            empty += 1;
            continue;
        }
        // Row numbers as the spreadsheet shows them.
        let title = columns
            .title
            .map(|t| row[t].trim().to_owned())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("{stem} 第{number}行"));
        let meta = header
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != columns.text && Some(i) != columns.title && !blank_columns[i])
            .map(|(i, h)| (h.clone(), row[i].trim().to_owned()))
            .collect();
        let row_id = columns.id.map(|c| {
            let id = row[c].trim();
            if id.is_empty() || !seen_ids.insert(id.to_owned()) {
                bad_ids.push(number);
                let mut key = format!("row{number}");
                while all_ids.contains(&key) || !seen_ids.insert(key.clone()) {
                    key.push('+');
                }
                key
            } else {
                id.to_owned()
            }
        });
        essays.push(FoundEssay {
            title: Some(title),
            body: body.join("\n"),
            meta,
            row_id,
        });
    }
    let mut message = format!(
        "spreadsheet: {} essay{} from column {}{}",
        essays.len(),
        if essays.len() == 1 { "" } else { "s" },
        name(columns.text),
        if columns.found {
            ", found by its text"
        } else {
            ""
        }
    );
    if let Some(t) = columns.title {
        message.push_str(&format!(", titles from {}", name(t)));
    }
    if let Some(i) = columns.id {
        message.push_str(&format!(", ids from {}", name(i)));
    }
    if empty > 0 {
        message.push_str(&format!("; {empty} row(s) without text skipped"));
    }
    if !bad_ids.is_empty() {
        let rows: Vec<String> = bad_ids.iter().take(10).map(|r| r.to_string()).collect();
        let more = if bad_ids.len() > 10 { ", …" } else { "" };
        message.push_str(&format!(
            "; {} row(s) with an empty or repeated id keyed as rowN (rows {}{more})",
            bad_ids.len(),
            rows.join(", ")
        ));
        eprintln!(
            "wenxi: warning: {path}: {} row(s) have an empty or repeated {} id; their essays are \
             keyed by their row (rows {}{more})",
            bad_ids.len(),
            name(columns.id.expect("ids were read")),
            rows.join(", ")
        );
    }
    // A column found by its text, or a title row taken off, is a guess the user should see.
    if columns.found {
        eprintln!(
            "wenxi: {path}: {}",
            sheet_notes
                .iter()
                .fold(message.clone(), |message, note| format!(
                    "{message}; {note}"
                ))
        );
    } else {
        for note in &sheet_notes {
            eprintln!("wenxi: {path}: {note}");
        }
    }
    let message = with_damage(message);
    if essays.is_empty() {
        return (
            skipped(
                path,
                bytes,
                encoding.to_owned(),
                format!("{message}: no essay text"),
            ),
            Vec::new(),
        );
    }
    let file = read_ok(path, bytes, encoding, essays.len(), damaged, message);
    (file, essays)
}

/// The essays of a workbook's sheets, one after another. With essays in more than one sheet,
/// each essay has the name of its sheet as the metadata column `sheet` (`meta_sheet` if a
/// sheet has a column so named; one class a sheet: `--group-by sheet`), and an id that an
/// earlier sheet used already is keyed with its sheet (`二班!12`). A sheet without essays
/// (instructions, a list of names) is said in the file's message; one without a column named
/// by `--title-column` or `--id-column` is read without it, said so; one without the
/// `--text-column` is a file skipped of its own (`file.xlsx [sheet]` in files.csv).
fn from_sheets(
    path: String,
    bytes: u64,
    kind: &str,
    sheets: Vec<(String, sheet::Sheet)>,
    options: &LoadOptions,
) -> Vec<FileOutcome> {
    let count = sheets.len();
    let column = if sheets
        .iter()
        .any(|(_, t)| t.header.iter().any(|h| h == "sheet"))
    {
        "meta_sheet"
    } else {
        "sheet"
    };
    let mut outcomes = Vec::new();
    let mut read: Vec<(String, Vec<FoundEssay>)> = Vec::new();
    let mut notes = Vec::new();
    let mut damaged = false;
    // A column named that some sheet has; one that none has fails every sheet, as it fails a
    // workbook of one.
    let somewhere = |wanted: &Option<String>| {
        wanted
            .as_ref()
            .is_some_and(|w| sheets.iter().any(|(_, t)| sheet::named(t, w).is_some()))
    };
    let (text_somewhere, title_somewhere, id_somewhere) = (
        somewhere(&options.columns.text),
        somewhere(&options.columns.title),
        somewhere(&options.columns.id),
    );
    for (name, table) in sheets {
        // Optional columns named but missing here: this sheet goes without them.
        let mut own = None;
        for (named, which, elsewhere) in [
            (&options.columns.title, "--title-column", title_somewhere),
            (&options.columns.id, "--id-column", id_somewhere),
        ] {
            if let Some(wanted) = named {
                if elsewhere && !table.is_empty() && sheet::named(&table, wanted).is_none() {
                    notes.push(format!(
                        "sheet {name} has no column {wanted:?} ({which}): read without it"
                    ));
                    let own = own.get_or_insert_with(|| options.clone());
                    match which {
                        "--title-column" => own.columns.title = None,
                        _ => own.columns.id = None,
                    }
                }
            }
        }
        let sheet_options = own.as_ref().unwrap_or(options);
        let (file, found) = from_sheet(
            format!("{path} [{name}]"),
            bytes,
            kind,
            None,
            table,
            sheet_options,
        );
        if found.is_empty() {
            match &options.columns.text {
                // Asked for a column no sheet has: each sheet skipped.
                Some(_) if !text_somewhere => outcomes.push((file, found)),
                _ => notes.push(format!("not read: sheet {name} ({})", file.message)),
            }
            continue;
        }
        damaged |= file.status == FileStatus::Repaired;
        read.push((name, found));
    }
    let total: usize = read.iter().map(|(_, f)| f.len()).sum();
    let several = read.len() > 1;
    let mut essays = Vec::with_capacity(total);
    let mut ids = rustc_hash::FxHashSet::default();
    let mut listed = Vec::new();
    for (name, found) in read {
        listed.push(format!("{name} ({})", found.len()));
        for (place, mut essay) in found.into_iter().enumerate() {
            if several {
                essay.meta.push((column.to_owned(), name.clone()));
            }
            // With --id-column, every essay is keyed by an id, one a sheet without the column
            // gives by its place there; an id taken already gets its sheet, then `+`s.
            let id = match essay.row_id.take() {
                Some(id) => Some(id),
                None if options.columns.id.is_some() => Some(format!("{name}!{}", place + 1)),
                None => None,
            };
            if let Some(mut id) = id {
                if ids.contains(&id) {
                    id = format!("{name}!{id}");
                }
                while ids.contains(&id) {
                    id.push('+');
                }
                ids.insert(id.clone());
                essay.row_id = Some(id);
            }
            essays.push(essay);
        }
    }
    let mut message = format!(
        "spreadsheet of {count} sheets: {total} essay{} from {}",
        if total == 1 { "" } else { "s" },
        if listed.is_empty() {
            "none".to_owned()
        } else {
            format!(
                "sheet{} {}",
                if listed.len() == 1 { "" } else { "s" },
                listed.join(", ")
            )
        }
    );
    for note in notes {
        message.push_str("; ");
        message.push_str(&note);
    }
    if essays.is_empty() {
        outcomes.insert(
            0,
            (skipped(path, bytes, kind.to_owned(), message), Vec::new()),
        );
        return outcomes;
    }
    eprintln!("wenxi: {path}: {message}");
    let file = read_ok(path, bytes, kind, essays.len(), damaged, message);
    outcomes.insert(0, (file, essays));
    outcomes
}

/// The essays of a Word document of several ([`docx::text`]: a heading on a new page each),
/// each part read as a file of its own would be (its first line the title).
fn from_parts(
    path: String,
    bytes: u64,
    document: docx::Document,
    options: &LoadOptions,
) -> FileOutcome {
    let count = document.parts.len() + document.empty.len();
    let mut essays = Vec::new();
    let mut notes = Vec::new();
    if let Some(cover) = &document.cover {
        notes.push(format!(
            "the text before the first essay ({cover}) is no essay"
        ));
    }
    for heading in &document.empty {
        notes.push(format!("heading {heading} has no text under it"));
    }
    // Each part must read as one essay under its heading as title; a part that does not (its
    // heading not a title: a numbered section, a line of a table) says the headings were the
    // sections of one text, which is then read whole.
    let preface = usize::from(document.preface);
    for (i, part) in document.parts.iter().enumerate() {
        // Lines of a form's fields above the heading (on its page) are the essay's; the
        // heading is the title whatever it reads (学校：我的第二个家).
        let title = document.titles.get(i).map_or("", String::as_str);
        let mut above = form::field_lines(part, 0);
        if let Some(at) = above
            .iter()
            .position(|(range, _)| part[range.clone()].trim() == title)
        {
            above.truncate(at);
        }
        let line_fields = form::merged(&above);
        let part = &form::without(part.clone(), &above);
        // The heading is the essay's title, whatever it ends with (什么是幸福？).
        let mut lines = part.trim_start().splitn(2, '\n');
        let (heading, body) = (
            lines.next().unwrap_or_default().trim(),
            lines.next().unwrap_or_default(),
        );
        let mut meta = document.part_meta(i).to_vec();
        form::add_fields(&mut meta, &line_fields);
        let meta = meta.as_slice();
        if i >= preface {
            let (_, mut found) = from_decoded(path.clone(), bytes, "DOCX", body, None, options);
            if found.len() == 1 && found[0].title.is_none() {
                found[0].title = Some(heading.to_owned());
                form::add_fields(&mut found[0].meta, meta);
                essays.extend(found);
                continue;
            }
        }
        let (file, mut found) = from_decoded(path.clone(), bytes, "DOCX", part, None, options);
        let titled = found.len() == 1 && found[0].title.is_some();
        if i >= preface && !titled {
            let meta = document.all_meta().to_vec();
            let whole = from_decoded(path, bytes, "DOCX", document.whole, None, options);
            return with_form(whole, &meta);
        }
        for essay in &mut found {
            form::add_fields(&mut essay.meta, meta);
        }
        if found.is_empty() {
            notes.push(format!("part {} not read: {}", i + 1, file.message));
        }
        essays.extend(found);
    }
    let mut message = format!(
        "Word document of {count} essays, each a heading on a new page: {} read",
        essays.len()
    );
    let labels = form::labels(essays.iter().flat_map(|e| &e.meta));
    if !labels.is_empty() {
        notes.push(format!("form fields read as metadata: {labels}"));
    }
    for note in notes {
        message.push_str("; ");
        message.push_str(&note);
    }
    if essays.is_empty() {
        return (skipped(path, bytes, "DOCX".to_owned(), message), Vec::new());
    }
    let file = read_ok(path, bytes, "DOCX", essays.len(), false, message);
    (file, essays)
}

/// A path as the reports name it: its text, with each byte of a name that is not UTF-8 (a GBK
/// file name on a UTF-8 system) written `\xD6`, so that two such names never read the same
/// (and keys stay unique).
pub fn shown(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// A file's essays with the fields of its form (班级, 姓名 …: a Word document's table,
/// [`docx::Document::meta`], or lines at the top of its text, [`form::leading_fields`]) as their
/// metadata, said in the file's message: a form above one essay is that essay's, a form above
/// a document of several essays (a class set) is each one's. A field an essay has already keeps
/// its value.
fn with_form(outcome: FileOutcome, meta: &[(String, String)]) -> FileOutcome {
    let (mut file, mut found) = outcome;
    if meta.is_empty() || found.is_empty() {
        return (file, found);
    }
    for essay in &mut found {
        form::add_fields(&mut essay.meta, meta);
        titled_by_form(essay);
    }
    let labels = form::labels(meta);
    let note = match found.len() {
        1 => format!("form fields read as metadata: {labels}"),
        n => format!("form fields read as metadata of each of its {n} essays: {labels}"),
    };
    add_note(&mut file, &note);
    (file, found)
}

/// Adds `note` to a file's message.
fn add_note(file: &mut SourceFile, note: &str) {
    if !file.message.is_empty() {
        file.message.push_str("; ");
    }
    file.message.push_str(note);
}

/// An essay without a title takes its form's 题目 (`题目：我的老师`).
fn titled_by_form(essay: &mut FoundEssay) {
    if essay.title.is_none() {
        essay.title = essay
            .meta
            .iter()
            .find(|(label, _)| label == "题目")
            .map(|(_, value)| value.clone());
    }
}

/// The record of a file read: `ok`, or `repaired` if it was `damaged` but read.
fn read_ok(
    path: String,
    bytes: u64,
    encoding: &str,
    essays: usize,
    damaged: bool,
    message: String,
) -> SourceFile {
    SourceFile {
        path,
        encoding: encoding.to_owned(),
        bytes,
        essays,
        status: if damaged {
            FileStatus::Repaired
        } else {
            FileStatus::Ok
        },
        message,
    }
}

fn skipped(path: String, bytes: u64, encoding: String, message: String) -> SourceFile {
    SourceFile {
        path,
        encoding,
        bytes,
        essays: 0,
        status: FileStatus::Skipped,
        message,
    }
}

fn file_stem(shown: &str) -> String {
    Path::new(shown)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.to_owned())
}

/// A Han character (CJK unified ideographs, extensions, compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}' | '\u{30000}'..='\u{323AF}' | '\u{3007}')
}

/// A Latin letter, half- or full-width.
pub fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '\u{00C0}'..='\u{024F}') && c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two GBK file names on a UTF-8 system: lossy, both read `n_��.txt`.
    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_stay_apart() {
        use std::os::unix::ffi::OsStrExt;
        let a = Path::new(std::ffi::OsStr::from_bytes(b"d/n_\xd6\xd0.txt"));
        let b = Path::new(std::ffi::OsStr::from_bytes(b"d/n_\xd6\xd1.txt"));
        assert_eq!(shown(a), "d/n_\\xD6\\xD0.txt");
        assert_ne!(shown(a), shown(b));
        assert_eq!(shown(Path::new("作文/我的老师.txt")), "作文/我的老师.txt");
    }

    /// Essays set aside in a temporary file come back as they went, spreadsheet columns, row
    /// ids, positions and all, in order.
    #[test]
    fn essays_set_aside_come_back_whole() {
        let essays: Vec<Essay> = (0..50u32)
            .map(|i| Essay {
                id: 100 + i,
                title: format!("第{i}篇"),
                source: "班级作文.xlsx".into(),
                body: "社区居民互相帮助。\n".repeat(i as usize),
                meta: (0..i % 3)
                    .map(|k| (format!("列{k}"), format!("值{i}")))
                    .collect(),
                row_id: (i % 2 == 0).then(|| format!("2023{i:04}")),
                position: i + 1,
                ..Essay::default()
            })
            .collect();
        let waiting = Waiting::new(essays.clone());
        assert!(matches!(waiting, Waiting::Disk { .. }));
        assert_eq!(waiting.collect::<Vec<_>>(), essays);
    }
}
