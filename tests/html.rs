//! `index.html`: self-contained, every essay in it, checked in a real browser (Debian's
//! chromium, which .ci/run installs): the DOM holds every title and the screenshot is not blank.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{analyze, Csv};

fn titles(out: &Path) -> Vec<String> {
    Csv::read(&out.join("essays.csv"))
        .column("title")
        .iter()
        .map(|t| t.to_string())
        .collect()
}

#[test]
fn the_page_is_self_contained_and_links_every_table() {
    let out = analyze("corpus");
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    for title in titles(out.path()) {
        assert!(page.contains(&title), "{title}");
    }
    // Nothing is fetched: no remote address, no script, no stylesheet link; images are inline.
    for remote in ["http://", "https://", "<script", "<link"] {
        assert!(!page.contains(remote), "{remote}");
    }
    assert_eq!(page.matches("src=\"data:image/png;base64,").count(), 10);
    assert!(
        page.contains("src:url(data:font/otf;base64,"),
        "the font travels with the page"
    );
    for table in [
        "files.csv",
        "essays.csv",
        "word_freq.csv",
        "keywords.csv",
        "structure.csv",
        "themes.csv",
        "reuse.csv",
    ] {
        assert!(page.contains(&format!("href=\"{table}\"")), "{table}");
        assert!(out.path().join(table).exists());
    }
    // The marker sequence and the nearest essay of 篇三 are in its section.
    assert!(page.contains("段首衔接词：首先→其次→再次→此外→总之"));
    // Each essay's readability and HSK level, as structure.csv has them.
    let structure = Csv::read(&out.path().join("structure.csv"));
    for row in structure.records() {
        let r3: f64 = row["xu_r3"].parse().unwrap();
        let level = match row["hsk_level"] {
            "7" => "7–9",
            "" => "超出标准",
            l => l,
        };
        let said = format!("可读性（徐巍、姚振晔、陈冬华）{r3:.2}");
        assert!(page.contains(&said), "{said}");
        assert!(
            page.contains(&format!("HSK 3.0 汉字等级 {level}（")),
            "{level}"
        );
    }
}

/// Debian's chromium, or the one named by WENXI_CHROMIUM.
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var("WENXI_CHROMIUM").unwrap_or_default(),
        "/usr/bin/chromium".into(),
        "/usr/bin/chromium-browser".into(),
    ];
    candidates
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn headless(chromium: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

#[test]
fn the_page_in_a_real_browser() {
    let Some(chromium) = chromium() else {
        // CI installs chromium, so there a missing browser is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not installed; .ci/run installs it"
        );
        eprintln!("skipped: no chromium (apt-get install chromium)");
        return;
    };
    let out = analyze("corpus");
    let url = format!("file://{}", out.path().join("index.html").display());
    let profile = tempfile::tempdir().unwrap();
    let dom = headless(&chromium, profile.path())
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    for title in titles(out.path()) {
        assert!(dom.contains(&title), "{title} is not in the DOM");
    }

    let shot = profile.path().join("shot.png");
    let status = headless(&chromium, tempfile::tempdir().unwrap().path())
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,1600")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let decoder = png::Decoder::new(std::fs::File::open(&shot).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let drawn = pixels[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|&v| v < 200))
        .count();
    let total = (info.width * info.height) as usize;
    // Text, tables and the charts' colours: far more than a blank page's nothing.
    assert!(
        drawn * 100 > total,
        "only {drawn} of {total} pixels are drawn"
    );
}
