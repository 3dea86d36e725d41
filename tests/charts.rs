//! Charts: every chart is written as PNG and SVG, the SVG carries the Chinese text and names a
//! CSS font list, and --no-charts leaves them out. (That the glyphs are real, not boxes, is
//! checked by rasterising characters in src/report/charts.rs.)

mod common;

use common::{analyze, wenxi};

#[test]
fn charts_of_the_seed() {
    let out = analyze("corpus");
    let charts = out.path().join("charts");
    for name in [
        "top_words",
        "essay_lengths",
        "sentence_lengths",
        "keywords",
        "similarity",
        "dendrogram",
        "markers",
        "themes",
        "hsk_levels",
        "word_cloud",
    ] {
        let png = std::fs::read(charts.join(format!("{name}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}.png");
        assert!(png.len() > 20_000, "{name}.png is {} bytes", png.len());
        let svg = std::fs::read_to_string(charts.join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{name}.svg");
        assert!(svg.contains("font-family=\"Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif\""), "{name}.svg");
    }
    // The top words are the corpus's most frequent non-stopwords (社区 230, 疫情 167, 居民 117).
    let svg = std::fs::read_to_string(charts.join("top_words.svg")).unwrap();
    for word in ["社区", "疫情", "居民", "230"] {
        assert!(svg.contains(word), "{word}");
    }
    let labels = texts(&svg);
    assert!(labels.iter().any(|t| t.1 == "社区"));
    assert!(labels.iter().all(|t| t.1 != "的"), "stopwords are left out");
    // Essay lengths: 篇一 has 7 body paragraphs (counted by hand) and 29 sentences (split by
    // python3 on 。！？!?…… in the structure tests); 篇十 has 4 and 18.
    let labels: Vec<String> =
        texts(&std::fs::read_to_string(charts.join("essay_lengths.svg")).unwrap())
            .into_iter()
            .map(|t| t.1)
            .collect();
    for name in ["字数", "正文段落", "句子"] {
        assert!(labels.iter().any(|l| l == name), "{name}");
    }
    let row = |title: &str| {
        let i = labels.iter().position(|l| l == title).unwrap();
        labels[i + 2..i + 4].to_vec()
    };
    assert_eq!(row("1 疫情社区心得体会篇一"), ["7", "29"]);
    assert_eq!(row("10 疫情社区心得体会篇十"), ["4", "18"]);
    // The similarity heatmap names every essay.
    let svg = std::fs::read_to_string(charts.join("similarity.svg")).unwrap();
    assert!(svg.contains("疫情社区心得体会篇十"));
    // The marker timeline shows 篇三's sequence; the dendrogram names every essay.
    let svg = std::fs::read_to_string(charts.join("markers.svg")).unwrap();
    for marker in ["首先", "其次", "再次", "此外", "总之", "总结起来"] {
        assert!(svg.contains(marker), "{marker}");
    }
    let svg = std::fs::read_to_string(charts.join("dendrogram.svg")).unwrap();
    assert!((1..=10).all(|i| svg.contains(&format!("{i} 疫情社区心得体会篇"))));
    // The word cloud draws the 120 most frequent non-stopwords (the seed has more than that), none
    // left out, and the most frequent, 社区 (230), in the largest type.
    let svg = std::fs::read_to_string(charts.join("word_cloud.svg")).unwrap();
    let words = &texts(&svg)[2..]; // after the title and the note
    assert_eq!(words.len(), 120);
    assert!(!svg.contains("放不下"));
    let largest = words
        .iter()
        .fold(&words[0], |a, b| if b.0 > a.0 { b } else { a });
    assert_eq!(largest.1, "社区");
    assert!(!words.iter().any(|w| w.1 == "的"), "stopwords are left out");
    // No temporary file is left behind.
    assert!(std::fs::read_dir(&charts).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with('.')));
}

/// The (font size, text) of every `<text>` element of an SVG written by plotters.
fn texts(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let size = t.split("font-size=\"").nth(1).unwrap();
            let size: f64 = size[..size.find('"').unwrap()].parse().unwrap();
            let text = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            (size, text.trim().to_owned())
        })
        .collect()
}

#[test]
fn charts_can_be_left_out_and_fonts_are_checked() {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "corpus", "--no-charts", "-o"])
        .arg(out.path())
        .assert()
        .success();
    assert!(!out.path().join("charts").exists());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("font.ttf"), b"not a font").unwrap();
    // Checked before any work: nothing is written.
    let fresh = dir.path().join("out");
    wenxi()
        .args(["analyze", "corpus", "--font"])
        .arg(dir.path().join("font.ttf"))
        .arg("-o")
        .arg(&fresh)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "is not a TrueType or OpenType font",
        ));
    assert!(!fresh.exists());
}

// Traditional characters outside GB2312 are not in the embedded font: the run says which ones and
// what to do, and still writes the charts. (會, 學 and 體 are not GB2312 characters; 心, 得 are.)
// The bundled corpus gives no such warning. (Traditional essays are converted to simplified
// before they are analysed: `--script keep` keeps their words traditional.)
#[test]
fn characters_missing_from_the_font_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("traditional.txt"),
        "這次疫情讓我們體會到社區的力量。大家互相幫助，共同學習防護知識。我們學會了團結。心得。",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = wenxi()
        .args(["analyze", "--script", "keep"])
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warning = stderr
        .lines()
        .find(|l| l.contains("the chart font has no glyph for"))
        .unwrap_or_else(|| panic!("{stderr}"));
    let listed = &warning[warning.find('(').unwrap()..warning.find(')').unwrap()];
    for c in ["會", "學", "體"] {
        assert!(listed.contains(c), "{c} in {warning}");
    }
    for c in ["心", "得"] {
        assert!(!listed.contains(c), "{c} in {warning}");
    }
    assert!(warning.contains("--font FILE"));
    assert!(out.path().join("charts/word_cloud.png").exists());

    let seed = wenxi()
        .args(["analyze", "corpus", "-q", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&seed.stderr).contains("no glyph"));
}

/// A PNG's size in pixels, its resolution in dots per inch (from pHYs, whole dots per metre,
/// so within 0.013 dpi) and its dark pixels.
fn png_facts(path: &std::path::Path) -> ((u32, u32), Option<f64>, usize) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let dpi = reader.info().pixel_dims.map(|d| {
        assert_eq!(d.unit, png::Unit::Meter);
        assert_eq!(d.xppu, d.yppu);
        f64::from(d.xppu) * 0.0254
    });
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let dark = pixels[..frame.buffer_size()]
        .chunks(3)
        .filter(|p| p.iter().map(|&c| u32::from(c)).sum::<u32>() < 3 * 128)
        .count();
    ((frame.width, frame.height), dpi, dark)
}

/// The width and height an SVG written by plotters declares, in CSS pixels (1/96 inch).
fn svg_size(svg: &str) -> (f64, f64) {
    let attr = |name: &str| -> f64 {
        let rest = svg.split(&format!(" {name}=\"")).nth(1).unwrap();
        rest[..rest.find('"').unwrap()].parse().unwrap()
    };
    (attr("width"), attr("height"))
}

// --dpi 300 draws the same chart with 300/96 times the pixels each way, says so in the file, and
// leaves the SVG as it is. The default, 96, is the SVG's own size. The ink grows with the area
// (about (300/96)² = 9.8 times), so the drawing is scaled, not just the canvas.
#[test]
fn dpi_sets_the_pngs_resolution() {
    let default = analyze("corpus");
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "corpus", "-q", "--dpi", "300", "-o"])
        .arg(out.path())
        .assert()
        .success();
    for name in [
        "similarity",
        "top_words",
        "keywords",
        "markers",
        "word_cloud",
    ] {
        let svg = |dir: &std::path::Path| {
            std::fs::read_to_string(dir.join(format!("charts/{name}.svg"))).unwrap()
        };
        assert_eq!(svg(default.path()), svg(out.path()), "{name}.svg");
        let (w, h) = svg_size(&svg(out.path()));
        let png = |dir: &std::path::Path| png_facts(&dir.join(format!("charts/{name}.png")));
        let (size, dpi, dark) = png(default.path());
        assert_eq!(size, (w as u32, h as u32), "{name}");
        assert!((dpi.unwrap() - 96.0).abs() < 0.02, "{name}: {dpi:?}");
        let (big, big_dpi, big_dark) = png(out.path());
        let scale = 300.0 / 96.0;
        assert_eq!(
            big,
            ((w * scale).round() as u32, (h * scale).round() as u32),
            "{name}"
        );
        assert!(
            (big_dpi.unwrap() - 300.0).abs() < 0.01,
            "{name}: {big_dpi:?}"
        );
        let ratio = big_dark as f64 / dark as f64;
        assert!((8.0..11.5).contains(&ratio), "{name}: ink × {ratio:.2}");
    }
    // Out of range: said, and nothing written.
    let fresh = out.path().join("fresh");
    wenxi()
        .args(["analyze", "corpus", "--dpi", "5000", "-o"])
        .arg(&fresh)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--dpi"));
    assert!(!fresh.exists());
}

/// The HSK level chart draws one bar an essay for the first 40 essays only, and says so.
#[test]
fn the_hsk_chart_is_capped_at_forty_essays() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheet = String::from("题目,正文\n");
    for i in 1..=45 {
        sheet.push_str(&format!("第{i}篇,我是中国人，今天学习第{i}课。\n"));
    }
    std::fs::write(dir.path().join("essays.csv"), sheet).unwrap();
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(dir.path().join("essays.csv"))
        .args([
            "--text-column",
            "正文",
            "--no-html",
            "--no-similarity",
            "-q",
            "-o",
        ])
        .arg(out.path())
        .assert()
        .success();
    let svg = std::fs::read_to_string(out.path().join("charts/hsk_levels.svg")).unwrap();
    let labels: Vec<String> = texts(&svg).into_iter().map(|t| t.1).collect();
    assert!(
        labels
            .iter()
            .any(|l| l.contains("仅显示前 40 篇，共 45 篇")),
        "{labels:?}"
    );
    for i in 1..=45 {
        let label = format!("{i} 第{i}篇");
        assert_eq!(labels.contains(&label), i <= 40, "{label}");
    }
}
