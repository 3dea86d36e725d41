//! `analyze` with its defaults (and `kwic`, `ngrams`, `collocates`, `keyness`) on generated corpora of about 5, 50 and 500 MB, as whole
//! processes, against raw jieba-rs `cut` on the same files: wall time, MB/s, the ratio to raw
//! `cut`'s speed and peak RSS, at all threads, and at one thread for the middle size (`--jobs 1`,
//! then pinned to one core).
//! Criterion's repeated samples would take too long at these sizes, so each run is timed once.
//!
//! `cargo bench --bench scale` (sizes in MB: `WENXI_SCALE_SIZES=5,50`; commands:
//! `WENXI_SCALE_COMMANDS=analyze,kwic,ngrams,collocates,keyness`, the default; `kwic` and
//! `collocates` of 发展, `ngrams -n 2..3`, `keyness` against the bundled corpus; also, when named, `one-txt` and `one-csv`: `analyze` of the corpus
//! as one text file and as one CSV of one essay a row). It builds nothing: it runs `target/release/wenxi`, so build that
//! first (`cargo build --release`).
//!
//! The corpus: essays of words drawn from jieba's IDF table, each with weight e^(−idf), so the
//! vocabulary is as wide as real text's; each essay also takes a quarter of its words from one of
//! 200 topics (a fixed set of 300 rarer words), as real essays on one subject share their rarer
//! words, and one essay in fifty is a copy of an earlier one, as web corpora have. Fifty essays a
//! file, titled `抽样文章篇N`. A fixed xorshift generator makes the same corpus on every run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;

mod common;

use common::{Vocabulary, XorShift};

const ESSAYS_PER_FILE: usize = 50;
const TOPICS: usize = 200;
const TOPIC_WORDS: usize = 300;

struct Generator {
    vocabulary: Vocabulary,
    random: XorShift,
}

impl Generator {
    fn new() -> Self {
        Generator {
            vocabulary: Vocabulary::jieba(),
            random: XorShift(0x9E37_79B9_7F4A_7C15),
        }
    }

    fn next(&mut self) -> u64 {
        self.random.next()
    }

    fn word(&mut self) -> &'static str {
        let x = self.random.uniform();
        self.vocabulary.pick(x)
    }

    /// Word `k` of topic `t`: rarer words (past the 20,000 most common), a block per topic.
    fn topic_word(&self, t: usize, k: usize) -> &'static str {
        let words = &self.vocabulary.words;
        words[(20_000 + (t * TOPIC_WORDS + k) * 7) % words.len()]
    }

    fn essay(&mut self, title: &str) -> String {
        let topic = self.next() as usize % TOPICS;
        let mut text = format!("{title}\n");
        let paragraphs = 3 + self.next() % 6;
        for _ in 0..paragraphs {
            let sentences = 2 + self.next() % 5;
            for _ in 0..sentences {
                let length = 6 + self.next() % 25;
                for w in 0..length {
                    if self.next() % 4 == 0 {
                        let k = self.next() as usize % TOPIC_WORDS;
                        text.push_str(self.topic_word(topic, k));
                    } else {
                        let word = self.word();
                        text.push_str(word);
                    }
                    if w + 1 < length && self.next() % 6 == 0 {
                        text.push('，');
                    }
                }
                text.push('。');
            }
            text.push('\n');
        }
        text
    }
}

/// Writes about `mb` MB of essays into `dir` (once: kept between runs).
fn corpus(mb: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("scale-{mb}mb"));
    let done = dir.join(".complete");
    if done.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut generator = Generator::new();
    let mut written = 0usize;
    let mut essays: Vec<String> = Vec::new();
    let mut file = 0;
    while written < mb * 1_000_000 {
        file += 1;
        let mut page = String::new();
        for e in 0..ESSAYS_PER_FILE {
            let title = format!("抽样文章篇{}", e + 1);
            let essay = if essays.len() > 10 && generator.next() % 50 == 0 {
                let from = generator.next() as usize % essays.len();
                let body = essays[from].split_once('\n').map_or("", |x| x.1);
                format!("{title}\n{body}")
            } else {
                generator.essay(&title)
            };
            page.push_str(&essay);
            if essays.len() < 2000 {
                essays.push(essay);
            } else {
                let slot = generator.next() as usize % essays.len();
                essays[slot] = essay;
            }
        }
        written += page.len();
        std::fs::write(dir.join(format!("{file:06}.txt")), page).unwrap();
    }
    std::fs::write(&done, "").unwrap();
    dir
}

/// The corpus of `dir` as one file (`kind` "txt": its files one after another, a compiled page
/// of all its essays; "csv": one essay a row, with class, student and score columns, as a
/// survey export), in a folder beside it (once: kept between runs); the file's path. A corpus in one file is read whole and
/// then analysed in parts: these runs keep its memory in view.
fn one_file(dir: &Path, kind: &str) -> PathBuf {
    let out = dir.with_file_name(format!(
        "{}-one-{kind}",
        dir.file_name().unwrap().to_string_lossy()
    ));
    let (done, file) = (out.join(".complete"), out.join(format!("all.{kind}")));
    if done.exists() {
        return file;
    }
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let files = txt_files(dir);
    let mut writer = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    if kind == "csv" {
        writeln!(writer, "class,student,score,text").unwrap();
    }
    let mut row = 0usize;
    for file in files {
        let page = std::fs::read_to_string(file).unwrap();
        if kind == "txt" {
            writer.write_all(page.as_bytes()).unwrap();
            continue;
        }
        // Each essay is its title line (抽样文章篇N) and the lines up to the next one.
        let mut essays: Vec<Vec<&str>> = Vec::new();
        for line in page.lines() {
            if line.starts_with("抽样文章篇") {
                essays.push(Vec::new());
            } else if let Some(essay) = essays.last_mut() {
                essay.push(line);
            }
        }
        for essay in essays {
            row += 1;
            let text = essay.join("\n").replace('"', "\"\"");
            writeln!(writer, "班{},s{row},{},\"{text}\"", row % 40, 60 + row % 40).unwrap();
        }
    }
    writer.flush().unwrap();
    std::fs::write(&done, "").unwrap();
    file
}

/// Makes `command` run on one core: the first of those this process may use.
#[cfg(target_os = "linux")]
fn pin_to_one_core(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: `allowed` is plain old data that sched_getaffinity fills for this process.
    let mut allowed: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<libc::cpu_set_t>();
    assert_eq!(
        unsafe { libc::sched_getaffinity(0, size, &mut allowed) },
        0,
        "sched_getaffinity"
    );
    let core = (0..libc::CPU_SETSIZE as usize)
        .find(|&c| unsafe { libc::CPU_ISSET(c, &allowed) })
        .expect("a core this process may use");
    // SAFETY: between fork and exec the closure only calls sched_setaffinity, which is
    // async-signal-safe, on a set built on its own stack.
    unsafe {
        command.pre_exec(move || {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(core, &mut set);
            if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Elsewhere there is no one-core run (`main` asks for none).
#[cfg(not(target_os = "linux"))]
fn pin_to_one_core(_command: &mut Command) {
    unreachable!("a run pinned to one core is made on Linux only")
}

/// Runs a command to its end, on one core only if `pinned`: (wall seconds, peak RSS in
/// MB, stdout).
fn measure(command: &mut Command, pinned: bool) -> (f64, f64, String) {
    if pinned {
        pin_to_one_core(command);
    }
    let started = Instant::now();
    let child = command
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run the command");
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).unwrap();
        out
    });
    let mut status = 0;
    // SAFETY: `usage` is plain old data and `pid` is our own child, not yet waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "{command:?} failed: {status}"
    );
    (
        seconds,
        usage.ru_maxrss as f64 / 1024.0,
        reader.join().unwrap(),
    )
}

/// The `.txt` files of a corpus folder, in name order.
fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// The tokens `per_line` counts in every line of the corpus's `.txt` files, the files read and
/// counted on all threads (what the raw runs below time).
fn count_lines(dir: &Path, per_line: impl Fn(&str) -> usize + Sync) -> usize {
    let files = txt_files(dir);
    files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            text.lines().map(&per_line).sum::<usize>()
        })
        .sum()
}

/// In the child: load the dictionary, read every file, `cut` every line with HMM on all threads.
fn raw_cut(dir: &Path) {
    let jieba = jieba_rs::Jieba::new();
    println!("{}", count_lines(dir, |line| jieba.cut(line, true).len()));
}

/// The segmentation `analyze` cannot do without, as [`raw_cut`] times `cut`: load the dictionary,
/// then for every line the tokens of jieba's `cut` and of its posseg, which xu_r2 (a default
/// readability figure) is computed from, both from one dictionary route
/// (`wenxi::analysis::posseg::cut_both`, as `analyze` does it). Prints the tokens of both.
fn raw_posseg(dir: &Path) {
    let segmenter = wenxi::Segmenter::new();
    let tokens = count_lines(dir, |line| {
        let (mut tokens, mut tagged) = (Vec::new(), Vec::new());
        wenxi::analysis::posseg::cut_both(&segmenter, line, &mut tokens, &mut tagged);
        tokens.len() + tagged.len()
    });
    println!("{tokens}");
}

fn main() {
    if let Ok(dir) = std::env::var("WENXI_SCALE_RAW_CUT") {
        raw_cut(Path::new(&dir));
        return;
    }
    if let Ok(dir) = std::env::var("WENXI_SCALE_RAW_POSSEG") {
        raw_posseg(Path::new(&dir));
        return;
    }
    // `cargo bench` passes --bench; any other argument is a filter we do not have.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let wenxi = root.join("target/release/wenxi");
    assert!(
        wenxi.exists(),
        "build the release binary first: cargo build --release"
    );
    let sizes: Vec<usize> = std::env::var("WENXI_SCALE_SIZES")
        .unwrap_or_else(|_| "5,50,500".into())
        .split(',')
        .map(|s| s.trim().parse().expect("sizes in MB, comma-separated"))
        .collect();
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let commands: Vec<String> = std::env::var("WENXI_SCALE_COMMANDS")
        .unwrap_or_else(|_| "analyze,kwic,ngrams,collocates,keyness".into())
        .split(',')
        .map(|s| s.trim().to_owned())
        .collect();
    println!("| corpus | essays | command | threads | raw cut | command | MB/s | × raw cut speed | peak RSS (raw cut / command) |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for &mb in &sizes {
        let dir = corpus(mb);
        let bytes: u64 = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum();
        let megabytes = bytes as f64 / 1e6;
        let files = std::fs::read_dir(&dir).unwrap().count() - 1;
        let essays = files * ESSAYS_PER_FILE;
        // (threads, pinned to one core). `--jobs 1` bounds wenxi's own pool, but Polars' pool
        // and the thread that appends essay_word_freq still run on the other cores: pinned, the
        // run shows what one core does.
        let mut threads = vec![(all, false)];
        if mb == sizes[sizes.len() / 2] && all > 1 {
            threads.push((1, false));
            if cfg!(target_os = "linux") {
                threads.push((1, true));
            }
        }
        for &(jobs, pinned) in &threads {
            // This bench as a child that segments `dir` (`mode`: raw cut, or cut + posseg) and
            // prints the lines' tokens, which must be some: time, RSS.
            let child = |mode: &str| {
                let (s, rss, out) = measure(
                    Command::new(std::env::current_exe().unwrap())
                        .env(mode, &dir)
                        .env("RAYON_NUM_THREADS", jobs.to_string()),
                    pinned,
                );
                assert!(out.trim().parse::<usize>().unwrap() > 0, "{mode}: {out}");
                (s, rss)
            };
            let (raw_s, raw_rss) = child("WENXI_SCALE_RAW_CUT");
            let row = |label: &str, s: f64, rss: f64| {
                println!(
                    "| {megabytes:.0} MB | {essays} | {label} | {jobs}{} | {raw_s:.2} s | {s:.2} s | {:.1} | {:.2} | {raw_rss:.0} / {rss:.0} MB |",
                    if pinned { " (one core)" } else { "" },
                    megabytes / s,
                    raw_s / s,
                );
                std::io::stdout().flush().unwrap();
            };
            // What analyze's segmentation alone costs: the most its speed could be.
            if commands.iter().any(|c| c == "analyze") {
                let (s, rss) = child("WENXI_SCALE_RAW_POSSEG");
                row("cut + posseg (analyze's floor)", s, rss);
            }
            for command in &commands {
                if jobs == 1 && command != "analyze" {
                    continue;
                }
                let out = tempfile::tempdir().unwrap();
                let mut run = Command::new(&wenxi);
                // `one-txt` and `one-csv`: analyze on the corpus as one file (not run unless
                // asked: they double the bench's time).
                let input = match command.as_str() {
                    "one-txt" => one_file(&dir, "txt"),
                    "one-csv" => one_file(&dir, "csv"),
                    _ => dir.clone(),
                };
                run.arg(if command.starts_with("one-") {
                    "analyze"
                } else {
                    command
                });
                // 发展 is among the commonest words the generator draws.
                match command.as_str() {
                    "kwic" | "collocates" => {
                        run.arg("发展");
                    }
                    "ngrams" => {
                        run.args(["-n", "2..3"]);
                    }
                    _ => {}
                }
                run.arg(&input);
                // The bundled corpus (30 KB) as the reference: the time is the target's.
                if command == "keyness" {
                    run.arg("--reference").arg(root.join("corpus"));
                }
                run.arg("-o")
                    .arg(out.path())
                    .args(["--jobs", &jobs.to_string()]);
                let (s, rss, stdout) = measure(&mut run, pinned);
                // The answer must be right, not just fast.
                let table = match command.as_str() {
                    "analyze" | "one-txt" | "one-csv" => "essays.csv",
                    "kwic" => "kwic.csv",
                    "ngrams" => "ngrams.csv",
                    "collocates" => "collocates.csv",
                    "keyness" => "keyness.csv",
                    other => panic!("no such command in this bench: {other}"),
                };
                let rows = std::fs::read_to_string(out.path().join(table))
                    .unwrap()
                    .lines()
                    .count()
                    - 1;
                if command == "analyze" || command.starts_with("one-") {
                    assert_eq!(rows, essays, "{command}: {stdout}");
                } else {
                    assert!(rows > 0, "{command}: {stdout}");
                }
                let label = match command.as_str() {
                    "one-txt" => "analyze (one .txt file)",
                    "one-csv" => "analyze (one CSV)",
                    other => other,
                };
                row(label, s, rss);
            }
        }
    }
}
