//! `index.html`: one self-contained page a teacher reads the results in, without a server and
//! without network access. maud writes the frame (navigation, the corpus in numbers, the files,
//! the charts as inline SVG); the tables, the concordance and the essays are drawn by the page's
//! own script (`page/wenxi.js`) from one JSON block: tables as rows, and for the first essays
//! (up to [`PAGE_TEXT_BYTES`] of text) their text and tokens as ids into one vocabulary, so that
//! the search box finds a word's every occurrence as `analyze` counted it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use maud::{html, Markup, PreEscaped, DOCTYPE};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use crate::analysis::keywords::KeywordMethod;
use crate::analysis::layout::{Layout, Shown};
use crate::analysis::structure::{is_heading, ratio, MarkerKind};
use crate::analysis::{frequency::is_word, levels, Analysis, TokenSpans};
use crate::corpus::{Corpus, Essay};
use crate::error::{Error, Result};
use crate::segment::Segmenter;

const CSS: &str = include_str!("page/wenxi.css");
const SCRIPT: &str = include_str!("page/wenxi.js");

/// Text of essays the page carries for its essay view and its search; past it, the page says
/// that search covers the first essays and points to `wenxi kwic`. 8 MB of text makes a page of
/// about 20 MB (text, tokens as ids, tables), which a browser still opens in a few seconds.
pub const PAGE_TEXT_BYTES: usize = 8_000_000;

/// Rows of a table the page holds; the CSV beside it has them all.
pub const MAX_TABLE_ROWS: usize = 20_000;

/// The language of the page (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// 简体中文
    #[default]
    Zh,
    /// English
    #[value(name = "en")]
    English,
}

impl Lang {
    fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::English => en,
        }
    }
}

/// The essays whose text the page carries: the first ones of the corpus, in order, while their
/// text fits in [`PAGE_TEXT_BYTES`]. A streaming run offers it each batch before the batch's
/// text is freed.
#[derive(Debug, Default)]
pub struct PageSample {
    essays: Vec<Essay>,
    /// Each essay's tokens as the analysis cut them, where they were offered with it.
    tokens: Vec<Option<TokenSpans>>,
    bytes: usize,
    full: bool,
}

impl PageSample {
    /// The essays taken: the corpus's first.
    pub fn len(&self) -> usize {
        self.essays.len()
    }

    pub fn is_empty(&self) -> bool {
        self.essays.is_empty()
    }

    /// How many of `essays`, from the first, [`Self::offer_segmented`] would take.
    pub fn room(&self, essays: &[Essay]) -> usize {
        if self.full {
            return 0;
        }
        let mut bytes = self.bytes;
        essays
            .iter()
            .take_while(|essay| {
                bytes += essay.body.len();
                bytes <= PAGE_TEXT_BYTES
            })
            .count()
    }

    /// Takes the first essays while their text fits, with their tokens (as many as
    /// [`Self::room`] said, from [`crate::analysis::AnalysisBuilder::add_keeping`]): the page
    /// then shows the analysis's own tokens and does not segment those essays again. An essay
    /// offered without tokens is segmented when the page is made.
    pub fn offer_segmented(&mut self, essays: &[Essay], tokens: Vec<TokenSpans>) {
        let mut tokens = tokens.into_iter();
        for essay in essays {
            if self.full || self.bytes + essay.body.len() > PAGE_TEXT_BYTES {
                self.full = true;
                return;
            }
            self.bytes += essay.body.len();
            self.essays.push(essay.clone());
            self.tokens.push(tokens.next());
        }
    }
}

/// What the page is made from, besides the corpus and its analysis.
pub struct Page<'p> {
    pub sample: PageSample,
    pub segmenter: &'p Segmenter,
    pub lang: Lang,
}

/// The page's data, made from the analysis alone (see [`page_data`]), while the tables and the
/// charts it links to and shows are written: the page then costs its JSON, markup and font.
pub struct PageParts {
    data: PageData,
    lang: Lang,
}

impl PageParts {
    /// The data of `page`; the sample's text and tokens are dropped once it is made.
    pub fn of(corpus: &Corpus, analysis: &Analysis<'_>, page: Page<'_>) -> PageParts {
        let _stage = crate::timing::stage("html: page data");
        PageParts {
            data: page_data(corpus, analysis, &page),
            lang: page.lang,
        }
    }
}

/// Writes `dir/index.html` from its data, linking the tables `reports` and showing the SVG
/// charts of `charts`.
pub fn write_html(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    parts: PageParts,
    reports: &[PathBuf],
    charts: &[PathBuf],
    dir: &Path,
) -> Result<PathBuf> {
    let PageParts { mut data, lang: l } = parts;
    let mut svgs = Vec::new();
    for chart in charts
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
    {
        let bytes = super::read_written(chart).map_err(|source| Error::Read {
            what: "chart",
            path: chart.clone(),
            source,
        })?;
        let name = chart
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Inline SVG in HTML needs no namespace declaration: without it the page names no
        // address at all.
        let svg =
            String::from_utf8_lossy(&bytes).replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
        svgs.push((name, svg));
    }
    let links: Vec<String> = reports
        .iter()
        .filter_map(|p| p.strip_prefix(dir).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let csv_of = |name: &str| links.iter().any(|k| k == name).then(|| name.to_owned());
    data.csv = json!({
        "files": csv_of("files.csv"), "essays": csv_of("essays.csv"), "words": csv_of("word_freq.csv"),
        "keywords": csv_of("keywords.csv"), "structure": csv_of("structure.csv"),
        "themes": csv_of("themes.csv"), "similar": csv_of("similarity.csv"),
        "reuse": csv_of("reuse_groups.csv"),
    });
    // Each form of the page is dropped once the next is made: the sample (its text and tokens)
    // once the data is made, the data's parts (JSON text already, see `raw`) once they are one
    // JSON block. At 50 MB this and the markup's slots lowered the page's peak from 475 to
    // about 260 MB.
    let data = {
        let _stage = crate::timing::stage("html: json");
        let mut json = EscapedJson::default();
        serde_json::to_writer(&mut json, &data).expect("page data serialises");
        drop(data);
        String::from_utf8(json.bytes).expect("JSON is UTF-8")
    };
    // The markup holds places for the data and the font, which are written into the file
    // between its pieces: the page is never one string in memory beside its data.
    let markup = {
        let _stage = crate::timing::stage("html: markup");
        frame(corpus, analysis, l, &links, &svgs, FONT_SLOT, DATA_SLOT).into_string()
    };
    // The charts' font travels with the page, so its Chinese shows on a machine without a CJK
    // font too (characters outside it fall back to the local fonts listed after it). It is cut
    // down to the characters of the page, the data block and the script's own strings included.
    let full = super::charts::EMBEDDED_FONT;
    let font = {
        let _stage = crate::timing::stage("html: font subset");
        super::subset::subset_for(full, &[&markup, &data])
    };
    let font_face = format!(
        "@font-face{{font-family:'wenxi-cjk';src:url(data:font/otf;base64,{}) format('opentype')}}",
        base64(font.as_deref().unwrap_or(full))
    );
    let (head, rest) = markup
        .split_once(FONT_SLOT)
        .expect("the page has a place for its font");
    let (body, tail) = rest
        .split_once(DATA_SLOT)
        .expect("the page has a place for its data");
    let path = dir.join("index.html");
    super::write_atomically(&path, |file| {
        use std::io::Write;
        [head, &font_face, body, &data, tail]
            .iter()
            .try_for_each(|part| file.write_all(part.as_bytes()))
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })
    })?;
    Ok(path)
}

/// JSON bytes with every `</` written `<\/` (JSON allows it), so that the data never closes the
/// script element it sits in.
#[derive(Default)]
struct EscapedJson {
    bytes: Vec<u8>,
}

impl std::io::Write for EscapedJson {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &byte in buf {
            if byte == b'/' && self.bytes.last() == Some(&b'<') {
                self.bytes.push(b'\\');
            }
            self.bytes.push(byte);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where the `@font-face` rule goes once the page's characters are known.
const FONT_SLOT: &str = "/*wenxi-font-face*/";
/// Where the data block goes as the page is written. Text from the corpus comes into the markup
/// escaped (`<` as `&lt;`), so no essay or title can hold the slot.
const DATA_SLOT: &str = "<!--wenxi-data-->";

/// What each chart shows, for its caption; `keywords` is the method the keywords chart draws.
fn caption(name: &str, l: Lang, n: usize, keywords: Option<KeywordMethod>) -> String {
    let capped = |zh: &'static str, en: &'static str| {
        let max = super::charts::MAX_ESSAYS;
        if n > max {
            match l {
                Lang::Zh => format!("{zh}（只画了前 {max} 篇，共 {n} 篇；全部见表格）"),
                Lang::English => {
                    format!("{en} (the first {max} of {n} essays; the tables have all)")
                }
            }
        } else {
            l.pick(zh, en).to_owned()
        }
    };
    match name {
        "top_words" => l
            .pick(
                "出现次数最多的 30 个词（不含停用词），横轴为全部文章中的出现次数。",
                "The 30 most frequent words (stopwords left out); the axis is occurrences in all essays.",
            )
            .to_owned(),
        "word_cloud" => l
            .pick(
                "词云：字越大，这个词在全部文章中出现得越多（不含停用词）。",
                "Word cloud: the larger a word, the more often it occurs in all essays (stopwords left out).",
            )
            .to_owned(),
        "essay_lengths" => capped(
            "每篇文章的字数、正文段落数和句子数。",
            "Characters, body paragraphs and sentences of each essay.",
        ),
        "sentence_lengths" => capped(
            "每篇文章句子长度（汉字数）的分布：箱体为中间一半的句子，线为最短到最长。",
            "Sentence length (Han characters) in each essay: the box holds the middle half of its sentences.",
        ),
        "similarity" => capped(
            "文章两两之间的相似度（TF-IDF 余弦，0–1），按聚类排序；对角线是文章与自身，不计入色阶。",
            "Similarity of each pair of essays (TF-IDF cosine, 0–1), in cluster order; the diagonal (an essay with itself) is left out of the colour scale.",
        ),
        "dendrogram" => capped(
            "层次聚类树状图（平均连接）：越早相连的文章越相似。",
            "Dendrogram of average-linkage clustering: essays joined earlier are more alike.",
        ),
        "keywords" => {
            let (zh, en) = keywords.map_or(("", ""), KeywordMethod::score_name);
            let max = super::charts::KEYWORD_PANELS;
            match (l, n > max) {
                (Lang::Zh, false) => format!("各篇文章的前 8 个关键词，分数为{zh}；各小图横轴相同，可直接比较。"),
                (Lang::Zh, true) => format!("各篇文章的前 8 个关键词，分数为{zh}；各小图横轴相同，可直接比较（只画了前 {max} 篇，共 {n} 篇；全部见表格）。"),
                (Lang::English, false) => format!("Each essay's top 8 keywords, scored by {en}; all panels share one axis."),
                (Lang::English, true) => format!("Each essay's top 8 keywords, scored by {en}; all panels share one axis (the first {max} of {n} essays; the tables have all)."),
            }
        }
        "markers" => capped(
            "每个正文段落开头的衔接词，颜色区分顺序、递进、转折、因果、举例、总结。",
            "The discourse marker opening each body paragraph, coloured by kind.",
        ),
        "hsk_levels" => capped(
            "每篇文章的汉字（含重复）在 HSK 3.0 各等级中所占的比例（0–100%）。",
            "Share of each essay's Han characters (with repeats) at each HSK 3.0 level (0–100%).",
        ),
        "themes" => capped(
            "每篇文章中各主题词的出现次数（每千词）。",
            "Theme words in each essay, per 1,000 words.",
        ),
        other => other.to_owned(),
    }
}

/// Which section each chart goes in.
fn chart_section(name: &str) -> &'static str {
    match name {
        "top_words" | "word_cloud" => "words",
        "keywords" => "keywords",
        "themes" => "themes",
        "similarity" | "dendrogram" => "similar",
        _ => "structure",
    }
}

#[allow(clippy::too_many_arguments)]
fn frame(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    l: Lang,
    links: &[String],
    svgs: &[(String, String)],
    font_face: &str,
    data: &str,
) -> Markup {
    let n = corpus.essays.len();
    let skipped = corpus.skipped().count();
    let keyword_method = super::charts::keyword_chart_method(analysis).map(|(_, method)| method);
    let sections: [(&str, &str); 8] = [
        ("overview", l.pick("总览", "Overview")),
        ("words", l.pick("词频", "Words")),
        ("keywords", l.pick("关键词", "Keywords")),
        ("structure", l.pick("结构", "Structure")),
        ("themes", l.pick("主题", "Themes")),
        ("similar", l.pick("相似与重复", "Similarity & reuse")),
        ("kwic", l.pick("索引行 KWIC", "Concordance (KWIC)")),
        ("essay", l.pick("每篇文章", "Essays")),
    ];
    let charts_in = |section: &str| -> Markup {
        html! {
            @for (name, svg) in svgs.iter().filter(|(name, _)| chart_section(name) == section) {
                figure.chart id={ "chart-" (name) } {
                    (PreEscaped(svg))
                    figcaption {
                        (caption(name, l, n, keyword_method)) " "
                        a href={ "charts/" (name) ".png" } { (l.pick("PNG 文件", "PNG file")) }
                        " · "
                        a href={ "charts/" (name) ".svg" } { "SVG" }
                    }
                }
            }
        }
    };
    let table = |id: &str, csv: &str| -> Markup {
        html! { div.table id={ "table-" (id) } data-csv=(csv) {} }
    };
    let dendrogram_note = analysis.similarity.as_ref().and_then(|s| {
        let drawn = svgs.iter().any(|(name, _)| name == "dendrogram");
        (!drawn).then(|| match (l, s.all_pairs) {
            (Lang::Zh, true) => format!(
                "树状图只在 2 到 {} 篇文章时绘制（本次 {n} 篇）；聚类结果见 clusters.csv。",
                super::charts::MAX_ESSAYS
            ),
            (Lang::Zh, false) => format!(
                "{n} 篇文章超过 1,000 篇：相似度只保留每篇最相似的 10 篇，聚类用球面 k-means，不画热力图和树状图；见 similarity.csv 与 clusters.csv。"
            ),
            (Lang::English, true) => format!(
                "The dendrogram is drawn for 2 to {} essays (here {n}); clusters.csv has the clusters.",
                super::charts::MAX_ESSAYS
            ),
            (Lang::English, false) => format!(
                "{n} essays are more than 1,000: each essay keeps its 10 nearest, clusters come from spherical k-means, and no heatmap or dendrogram is drawn; see similarity.csv and clusters.csv."
            ),
        })
    });
    html! {
        (DOCTYPE)
        html lang=(l.pick("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // No request for a favicon: the page reads nothing from anywhere.
                link rel="icon" href="data:,";
                title { (l.pick("文析 wenxi 报告", "wenxi report")) }
                style { (PreEscaped(font_face)) (PreEscaped(CSS)) }
            }
            body {
                nav id="nav" {
                    span.brand { "文析 wenxi" }
                    @for (id, name) in &sections { a href={ "#" (id) } { (name) } }
                }
                main {
                    section id="overview" {
                        h1 { (l.pick("文析 wenxi 报告", "wenxi report")) }
                        div.numbers {
                            div { b { (n) } span { (l.pick("篇文章", "essays")) } }
                            div { b { (corpus.files.len()) } span { (l.pick("个文件", "files")) } }
                            div { b { (skipped) } span { (l.pick("个跳过", "skipped")) } }
                            div { b { (analysis.total_words) } span { (l.pick("词", "words")) } }
                            div { b { (analysis.word_freq.len()) } span { (l.pick("个不同的词", "distinct words")) } }
                        }
                        h2 { (l.pick("文件", "Files")) }
                        (table("files", "files.csv"))
                        h2 { (l.pick("文章", "Essays")) }
                        (table("essays", "essays.csv"))
                        @if links.iter().any(|k| k.ends_with(".parquet")) {
                            h2 { (l.pick("报表（Parquet 可用 pandas、R、DuckDB 读取；CSV 可用 Excel、WPS 打开）", "Tables (read the Parquet files with pandas, R or DuckDB; open the CSVs in Excel)")) }
                        } @else {
                            h2 { (l.pick("报表（CSV 可用 Excel、WPS 打开）", "Tables (open the CSVs in Excel, pandas or R)")) }
                        }
                        ul.links { @for link in links.iter().filter(|k| !k.starts_with("charts/")) { li { a href=(link) { (link) } } } }
                    }
                    section id="words" {
                        h2 { (l.pick("词频", "Words")) }
                        p.muted { (l.pick(
                            "点击任何一个词，即可在“索引行”中看到它出现的每一处。离散度：D（Juilland）越接近 1、DP（Gries）越接近 0，词在各篇中分布越均匀；DPnorm 把 DP 换算到 0–1（除以语料所能达到的最大 DP）。",
                            "Click any word to see each of its occurrences under Concordance. Dispersion: the closer Juilland's D is to 1 and Gries's DP to 0, the more evenly a word spreads over the essays; DPnorm is DP scaled to 0–1 (divided by the largest DP the corpus allows).")) }
                        (table("words", "word_freq.csv"))
                        (charts_in("words"))
                    }
                    section id="keywords" {
                        h2 { (l.pick("关键词", "Keywords")) }
                        (table("keywords", "keywords.csv"))
                        (charts_in("keywords"))
                    }
                    section id="structure" {
                        h2 { (l.pick("结构", "Structure")) }
                        (table("structure", "structure.csv"))
                        (charts_in("structure"))
                    }
                    section id="themes" {
                        h2 { (l.pick("主题", "Themes")) }
                        @if analysis.theme_names.is_some() {
                            (table("themes", "themes.csv"))
                        } @else {
                            p.muted { (l.pick("本次没有做主题分析。", "Themes were not profiled in this run.")) }
                        }
                        (charts_in("themes"))
                    }
                    section id="similar" {
                        h2 { (l.pick("相似与重复", "Similarity & reuse")) }
                        @if analysis.similarity.is_some() {
                            (table("similar", "similarity.csv"))
                        } @else {
                            p.muted { (l.pick("本次没有比较文章（--no-similarity）。", "Essays were not compared (--no-similarity).")) }
                        }
                        @if let Some(note) = dendrogram_note { p.muted { (note) } }
                        (charts_in("similar"))
                        h3 { (l.pick("近似重复的文章组", "Groups of near-duplicate essays")) }
                        @if analysis.reuse.is_some() {
                            (table("reuse", "reuse_groups.csv"))
                        } @else {
                            p.muted { (l.pick("本次没有查找文本重复（--no-reuse）。", "Text reuse was not looked for (--no-reuse).")) }
                        }
                    }
                    section id="kwic" {
                        h2 { (l.pick("索引行 KWIC", "Concordance (KWIC)")) }
                        form id="search" {
                            input id="q" type="search" autocomplete="off"
                                placeholder=(l.pick("输入一个词，例如 社区", "Type a word, e.g. 社区"));
                            button type="submit" { (l.pick("检索", "Search")) }
                        }
                        div id="search-scope".muted {}
                        div id="results" {}
                    }
                    section id="essay" {
                        h2 { (l.pick("每篇文章", "Essays")) }
                        div id="essay-view" {}
                    }
                }
                script id="wenxi-data" type="application/json" { (PreEscaped(data)) }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// Rounds for the page's tables (the CSVs keep full precision).
fn round(x: f64, decimals: i32) -> Value {
    if x.is_finite() {
        let scale = 10f64.powi(decimals);
        json!((x * scale).round() / scale)
    } else {
        Value::Null
    }
}

/// A table for the page's script: columns (label, kind), at most [`MAX_TABLE_ROWS`] rows and
/// how many there are. Kinds: `n` number, `s` text, `w` a word (a click searches it), `e` an
/// essay id (a click opens the essay).
fn table(cols: &[(&str, &str)], rows: Vec<Value>, total: usize) -> Box<RawValue> {
    raw(&json!({
        "cols": cols.iter().map(|(label, kind)| json!([label, kind])).collect::<Vec<_>>(),
        "rows": rows,
        "total": total,
    }))
}

/// `value` as JSON text: each part of the page's data becomes text as soon as it is made, so
/// that the parts are never all held as `serde_json` values at once (at 8 MB of essays and
/// 20,000 rows a table they took more memory than the rest of a 50 MB run's end).
fn raw(value: &impl Serialize) -> Box<RawValue> {
    serde_json::value::to_raw_value(value).expect("page data serialises")
}

/// The page's data block. Its fields are in the order of their names, as a `serde_json` object
/// gives its keys, and `tables`' too.
#[derive(Serialize)]
struct PageData {
    complete: bool,
    csv: Value,
    #[serde(rename = "essayCount")]
    essay_count: usize,
    essays: Vec<Box<RawValue>>,
    forms: Box<RawValue>,
    kinds: Value,
    lang: &'static str,
    t: Value,
    tables: PageTables,
    vocab: Vec<String>,
    #[serde(rename = "wordIds")]
    word_ids: usize,
}

#[derive(Serialize)]
struct PageTables {
    essays: Box<RawValue>,
    files: Box<RawValue>,
    keywords: Box<RawValue>,
    reuse: Option<Box<RawValue>>,
    similar: Option<Box<RawValue>>,
    structure: Box<RawValue>,
    themes: Option<Box<RawValue>>,
    words: Box<RawValue>,
}

/// The page's data; which tables it links to (`csv`) is set when they are written.
fn page_data(corpus: &Corpus, analysis: &Analysis<'_>, page: &Page<'_>) -> PageData {
    let l = page.lang;
    let n = corpus.essays.len();
    let title = |i: usize| corpus.essays[i].title.as_str();
    let nearest = analysis.similarity.as_ref().map(|s| &s.nearest);

    let files = table(
        &[
            (l.pick("文件", "file"), "s"),
            (l.pick("编码", "encoding"), "s"),
            (l.pick("字节", "bytes"), "n"),
            (l.pick("文章", "essays"), "n"),
            (l.pick("状态", "status"), "s"),
            (l.pick("说明", "message"), "s"),
        ],
        corpus
            .files
            .iter()
            .take(MAX_TABLE_ROWS)
            .map(|f| {
                let (status, message) = match l {
                    Lang::Zh => (
                        super::zh::status(f.status.as_str()),
                        super::zh::message(&f.message),
                    ),
                    Lang::English => (f.status.as_str().to_owned(), f.message.clone()),
                };
                json!([f.path, f.encoding, f.bytes, f.essays, status, message])
            })
            .collect(),
        corpus.files.len(),
    );

    let essay_rows = || {
        corpus
            .essays
            .iter()
            .zip(&analysis.essays)
            .enumerate()
            .take(MAX_TABLE_ROWS)
    };
    let essays = table(
        &[
            (l.pick("编号", "id"), "e"),
            (l.pick("标题", "title"), "s"),
            (l.pick("来源", "source"), "s"),
            (l.pick("正文段落", "body paragraphs"), "n"),
            (l.pick("字数", "characters"), "n"),
            (l.pick("词数", "words"), "n"),
            (l.pick("不同词", "distinct words"), "n"),
            (l.pick("最相似", "most similar"), "e"),
            (l.pick("余弦", "cosine"), "n"),
        ],
        essay_rows()
            .map(|(i, (e, r))| {
                let near = nearest.and_then(|n| n[i]);
                json!([
                    e.id,
                    e.title,
                    e.source,
                    r.structure.paragraphs,
                    r.figures.characters,
                    r.figures.words,
                    r.figures.types,
                    near.map(|(j, _)| corpus.essays[j as usize].id),
                    near.map_or(Value::Null, |(_, c)| round(c, 3)),
                ])
            })
            .collect(),
        n,
    );

    let total_words = analysis.total_words.max(1) as f64;
    let words = table(
        &[
            (l.pick("词", "word"), "w"),
            (l.pick("词性", "tag"), "s"),
            (l.pick("次数", "count"), "n"),
            (l.pick("每万词", "per 10k"), "n"),
            (l.pick("篇数", "essays"), "n"),
            ("D (Juilland)", "n"),
            ("DP (Gries)", "n"),
            ("DPnorm", "n"),
            ("ARF", "n"),
            (l.pick("停用词", "stopword"), "s"),
        ],
        analysis
            .word_freq
            .iter()
            .zip(&analysis.dispersion)
            .enumerate()
            .take(MAX_TABLE_ROWS)
            .map(|(i, (w, d))| {
                json!([
                    analysis.shown_word(w.word),
                    w.pos,
                    w.count,
                    round(w.count as f64 * 10_000.0 / total_words, 2),
                    w.essays,
                    d.juilland_d.map_or(Value::Null, |d| round(d, 3)),
                    round(d.dp, 3),
                    d.dp_norm.map_or(Value::Null, |d| round(d, 3)),
                    analysis
                        .arf
                        .get(i)
                        .map_or(Value::Null, |&arf| round(arf, 1)),
                    if w.stopword { l.pick("是", "yes") } else { "" },
                ])
            })
            .collect(),
        analysis.word_freq.len(),
    );

    let methods = analysis.essays.first().map_or(0, |r| r.keywords.len());
    let keywords = table(
        &[
            (l.pick("编号", "id"), "e"),
            (l.pick("标题", "title"), "s"),
            (l.pick("方法", "method"), "s"),
            (l.pick("关键词（依次）", "keywords (in order)"), "ws"),
        ],
        essay_rows()
            .flat_map(|(_, (e, r))| {
                r.keywords.iter().map(move |(method, words)| {
                    json!([
                        e.id,
                        e.title,
                        method.as_str(),
                        words
                            .iter()
                            .map(|k| analysis.shown_word_in(r, k.word))
                            .collect::<Vec<_>>(),
                    ])
                })
            })
            .take(MAX_TABLE_ROWS)
            .collect(),
        n * methods,
    );

    let hsk = |s: &crate::analysis::structure::Structure| hsk_level(l, s);
    let structure = table(
        &[
            (l.pick("编号", "id"), "e"),
            (l.pick("标题", "title"), "s"),
            (l.pick("正文段落", "paragraphs"), "n"),
            (l.pick("标题行", "headings"), "n"),
            (l.pick("句子", "sentences"), "n"),
            (l.pick("平均句长（字）", "mean sentence (Han)"), "n"),
            ("MTLD", "n"),
            (l.pick("词汇密度", "lexical density"), "n"),
            (l.pick("衔接词", "markers"), "n"),
            (l.pick("段首衔接词序列", "paragraph-initial markers"), "s"),
            (l.pick("可读性 r3", "readability r3"), "n"),
            (l.pick("HSK 汉字等级", "HSK char level"), "s"),
            (l.pick("常用字外 %", "rare chars %"), "n"),
        ],
        essay_rows()
            .map(|(_, (e, r))| {
                let s = &r.structure;
                json!([
                    e.id,
                    e.title,
                    s.paragraphs,
                    s.headings.len(),
                    s.sentences,
                    round(s.sentence_han.mean, 1),
                    round(s.mtld, 1),
                    round(s.lexical_density, 3),
                    s.markers.len(),
                    s.marker_sequence.join("→"),
                    round(s.xu.r3, 2),
                    hsk(s),
                    round(100.0 * ratio(s.char_levels.rare, s.chars.han), 1),
                ])
            })
            .collect(),
        n,
    );

    let themes =
        analysis.theme_names.as_ref().map(|names| {
            let mut cols = vec![(l.pick("编号", "id"), "e"), (l.pick("标题", "title"), "s")];
            cols.extend(names.iter().map(|name| (name.as_str(), "n")));
            let cols: Vec<(&str, &str)> = cols;
            table(
                &cols,
                essay_rows()
                    .map(|(_, (e, r))| {
                        let mut row = vec![json!(e.id), json!(e.title)];
                        row.extend(r.themes.iter().map(|t| {
                            round(crate::frames::per_10k(t.hits, r.figures.words) / 10.0, 1)
                        }));
                        Value::Array(row)
                    })
                    .collect(),
                n,
            )
        });

    let similar = analysis.similarity.as_ref().map(|s| {
        let row = |&(a, b, c): &(u32, u32, f64)| {
            let (a, b) = (a as usize, b as usize);
            json!([
                corpus.essays[a].id,
                title(a),
                corpus.essays[b].id,
                title(b),
                round(c, 3)
            ])
        };
        let rows: Vec<Value> = if s.all_pairs {
            // Every pair, most similar first.
            let mut pairs: Vec<&(u32, u32, f64)> = s.pairs.iter().collect();
            pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
            pairs.into_iter().take(MAX_TABLE_ROWS).map(row).collect()
        } else {
            s.pairs.iter().take(MAX_TABLE_ROWS).map(row).collect()
        };
        table(
            &[
                (l.pick("编号", "id"), "e"),
                (l.pick("标题", "title"), "s"),
                (l.pick("相似文章", "similar essay"), "e"),
                (l.pick("标题", "title"), "s"),
                (l.pick("余弦", "cosine"), "n"),
            ],
            rows,
            s.pairs.len(),
        )
    });

    let reuse = analysis.reuse.as_ref().map(|r| {
        table(
            &[
                (l.pick("组", "group"), "n"),
                (l.pick("篇数", "essays"), "n"),
                (
                    l.pick(
                        "文章（编号 标题，Jaccard 估计）",
                        "essays (id title, estimated Jaccard)",
                    ),
                    "s",
                ),
            ],
            r.groups
                .iter()
                .take(MAX_TABLE_ROWS)
                .enumerate()
                .map(|(g, group)| {
                    let members: Vec<String> = group
                        .members
                        .iter()
                        .zip(&group.jaccard)
                        .map(|(&m, &j)| {
                            format!(
                                "{} {} ({j:.2})",
                                corpus.essays[m as usize].id,
                                title(m as usize)
                            )
                        })
                        .collect();
                    json!([g + 1, group.members.len(), members.join(l.pick("；", "; "))])
                })
                .collect(),
            r.groups.len(),
        )
    });

    let (vocab, words_in_vocab, forms, texts) = {
        let _stage = crate::timing::stage("html: essays");
        page_essays(corpus, analysis, page)
    };
    PageData {
        lang: l.pick("zh", "en"),
        t: script_text(l),
        kinds: json!([
            [MarkerKind::Ordering.as_str(), l.pick("顺序", "ordering")],
            [MarkerKind::Addition.as_str(), l.pick("递进", "addition")],
            [MarkerKind::Contrast.as_str(), l.pick("转折", "contrast")],
            [MarkerKind::Cause.as_str(), l.pick("因果", "cause")],
            [MarkerKind::Example.as_str(), l.pick("举例", "example")],
            [MarkerKind::Summary.as_str(), l.pick("总结", "summary")],
        ]),
        essay_count: n,
        vocab,
        word_ids: words_in_vocab,
        forms: raw(&forms),
        essays: texts,
        complete: texts_complete(page, n),
        csv: Value::Null,
        tables: PageTables {
            files,
            essays,
            words,
            keywords,
            structure,
            themes,
            similar,
            reuse,
        },
    }
}

fn texts_complete(page: &Page<'_>, n: usize) -> bool {
    page.sample.essays.len() == n
}

/// The essays of the sample for the page's script: text, tokens (ids into the page's vocabulary,
/// base 36, space-separated: the script finds each token in the text in order), heading lines,
/// markers (UTF-16 start, length, kind) and figures. The vocabulary is sorted by frequency, so
/// frequent tokens get short ids, with the words (see [`is_word`]) first: ids below the second
/// value returned are words, the others punctuation and symbols.
/// The third value returned maps the written forms of words of the essays shown as written to
/// the words (學習 → 学习), so that the search box takes either.
fn page_essays<'p>(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    page: &'p Page<'_>,
) -> (
    Vec<String>,
    usize,
    BTreeMap<&'p str, &'p str>,
    Vec<Box<RawValue>>,
) {
    let l = page.lang;
    let sample = &page.sample.essays;
    let layouts: Vec<Layout<'_>> = sample
        .par_iter()
        .zip(&page.sample.tokens)
        .map(|(essay, tokens)| match tokens {
            Some(tokens) => Layout::of_tokens(&essay.body, tokens.tokens(&essay.body)),
            None => Layout::new(page.segmenter, essay),
        })
        .collect();
    let mut counts: FxHashMap<&str, u64> = FxHashMap::default();
    for layout in &layouts {
        for &token in &layout.tokens {
            *counts.entry(token).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&str, u64)> = counts.into_iter().collect();
    vocab.sort_by(|a, b| {
        is_word(b.0)
            .cmp(&is_word(a.0))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(b.0))
    });
    let words = vocab.iter().take_while(|(w, _)| is_word(w)).count();
    let mut forms: BTreeMap<&str, &str> = BTreeMap::new();
    for (essay, layout) in sample.iter().zip(&layouts) {
        if shown(essay).is_some() {
            written_forms(essay, layout, &mut forms);
        }
    }
    let ids: FxHashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, &(w, _))| (w, i as u32))
        .collect();
    let index_of: FxHashMap<u32, usize> = corpus
        .essays
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i))
        .collect();
    let nearest = analysis.similarity.as_ref().map(|s| &s.nearest);
    let texts = sample
        .par_iter()
        .zip(&layouts)
        .map(|(essay, layout)| {
            let mut tok = String::with_capacity(layout.tokens.len() * 3);
            for (k, token) in layout.tokens.iter().enumerate() {
                if k > 0 {
                    tok.push(' ');
                }
                push_base36(&mut tok, ids[token]);
            }
            let i = index_of[&essay.id];
            let result = &analysis.essays[i];
            let s = &result.structure;
            let (heads, marks) = lines_and_markers(&essay.body, s);
            let keywords: Vec<Value> = result
                .keywords
                .iter()
                .map(|(method, words)| json!([method.as_str(), words.iter().map(|k| analysis.shown_word_in(result, k.word)).collect::<Vec<_>>()]))
                .collect();
            let themes: Vec<Value> = analysis.theme_names.as_ref().map_or(Vec::new(), |names| {
                names
                    .iter()
                    .zip(&result.themes)
                    .filter(|(_, t)| t.hits > 0)
                    .map(|(name, t)| {
                        json!([name, t.hits, round(crate::frames::per_10k(t.hits, result.figures.words) / 10.0, 1),
                            t.words.iter().take(8).map(|(w, c)| format!("{w}×{c}")).collect::<Vec<_>>().join("、")])
                    })
                    .collect()
            });
            let figures = essay_figures(l, s, result.figures.characters);
            raw(&json!({
                "id": essay.id,
                "title": essay.title,
                "source": essay.source,
                "words": result.figures.words,
                "text": essay.body,
                // A converted essay as written, when it has the same length in UTF-16 (what
                // the script counts in): the page shows it and searches `text`.
                "shown": shown(essay),
                "tok": tok,
                "heads": heads,
                "marks": marks,
                "kw": keywords,
                "fig": figures,
                "themes": themes,
                "near": nearest.and_then(|n| n[i]).map(|(j, c)| json!([corpus.essays[j as usize].id, corpus.essays[j as usize].title, round(c, 3)])),
            }))
        })
        .collect();
    (
        vocab.into_iter().map(|(w, _)| w.to_owned()).collect(),
        words,
        forms,
        texts,
    )
}

/// A converted essay as written, when it has the same length in UTF-16 (what the page's script
/// counts in) as its simplified body: the page shows it and searches the body.
fn shown(essay: &Essay) -> Option<&str> {
    essay
        .original
        .as_deref()
        .filter(|o| o.encode_utf16().count() == essay.body.encode_utf16().count())
}

/// Adds to `forms` each word token of an essay shown as written whose written text differs
/// from it.
fn written_forms<'e>(
    essay: &'e Essay,
    layout: &Layout<'e>,
    forms: &mut BTreeMap<&'e str, &'e str>,
) {
    let shown = Shown::of(essay);
    for (&token, &offset) in layout.tokens.iter().zip(&layout.offsets) {
        let at = offset as usize;
        let form = shown.text(at, at + token.len());
        if form != token && is_word(token) {
            forms.entry(form).or_insert(token);
        }
    }
}

/// The HSK level an essay's characters need (the 7–9 band as one), "beyond the standard" if no
/// level covers 95% of them, and a dash for an essay without Han characters (which has no level,
/// as structure.csv and `wenxi structure` leave it empty).
fn hsk_level(l: Lang, s: &crate::analysis::structure::Structure) -> String {
    match levels::needed(&s.char_levels.hsk) {
        Some(7) => "7–9".to_owned(),
        Some(level) => level.to_string(),
        None if s.char_levels.hsk.iter().sum::<u64>() == 0 => "—".to_owned(),
        None => l.pick("超出标准", "beyond the standard").to_owned(),
    }
}

/// An essay's figures beside its text: (label, value) pairs.
fn essay_figures(
    l: Lang,
    s: &crate::analysis::structure::Structure,
    characters: u64,
) -> Vec<Value> {
    let hsk = hsk_level(l, s);
    let mut figures = vec![
        json!([l.pick("字数", "characters"), characters.to_string()]),
        json!([
            l.pick("正文段落", "body paragraphs"),
            s.paragraphs.to_string()
        ]),
        json!([l.pick("标题行", "headings"), s.headings.len().to_string()]),
        json!([l.pick("句子", "sentences"), s.sentences.to_string()]),
        json!([
            l.pick("平均句长", "mean sentence"),
            format!(
                "{:.1} {}",
                s.sentence_han.mean,
                l.pick("个汉字", "Han chars")
            )
        ]),
        json!(["MTLD", format!("{:.1}", s.mtld)]),
        json!([
            l.pick("词汇密度", "lexical density"),
            format!("{:.2}", s.lexical_density)
        ]),
        json!([
            l.pick(
                "可读性（徐巍、姚振晔、陈冬华）",
                "readability (Xu, Yao & Chen)"
            ),
            format!("{:.2}", s.xu.r3)
        ]),
        json!([
            l.pick("每分句字数", "characters per clause"),
            format!("{:.1}", s.xu.r1)
        ]),
        json!([
            l.pick("副词与连词占比", "adverbs and conjunctions"),
            format!("{:.3}", s.xu.r2)
        ]),
        json!([
            l.pick(
                "HSK 3.0 汉字等级（覆盖 95%）",
                "HSK 3.0 character level (95% coverage)"
            ),
            hsk
        ]),
        json!([
            l.pick("一级常用字以外", "outside the 3,500 common characters"),
            format!("{:.1}%", 100.0 * ratio(s.char_levels.rare, s.chars.han))
        ]),
    ];
    if !s.marker_sequence.is_empty() {
        figures.push(json!([
            l.pick("段首衔接词", "paragraph-initial markers"),
            s.marker_sequence.join("→")
        ]));
    }
    if s.closes_with_summary {
        figures.push(json!([
            l.pick("结尾", "ending"),
            l.pick("以总结段收尾", "closes with a summary")
        ]));
    }
    if s.words < crate::analysis::readability::SHORT_TEXT_WORDS {
        figures.push(json!([
            l.pick("注意", "note"),
            l.pick(
                "不足 100 词：TTR、MTLD 不稳定",
                "under 100 words: TTR and MTLD are unstable"
            )
        ]));
    }
    figures
}

/// The heading lines (0-based line numbers) of a body, and its markers as (UTF-16 offset in the
/// body, UTF-16 length, kind), found where [`crate::analysis::structure::analyse`] counted them:
/// paragraph = n-th body line that is neither empty nor a heading, position in characters from
/// the start of that line.
fn lines_and_markers(
    body: &str,
    s: &crate::analysis::structure::Structure,
) -> (Vec<u32>, Vec<Value>) {
    let mut heads = Vec::new();
    let mut marks = Vec::new();
    let mut paragraph = 0u32;
    let mut line_utf16 = 0usize;
    let mut hits = s.markers.iter().peekable();
    for (number, line) in body.split('\n').enumerate() {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            if is_heading(trimmed) {
                heads.push(number as u32);
            } else {
                paragraph += 1;
                let mut chars = line.chars();
                let (mut at_char, mut at_utf16) = (0u32, 0usize);
                while let Some(hit) = hits.next_if(|h| h.paragraph == paragraph) {
                    for c in chars.by_ref().take((hit.position - at_char) as usize) {
                        at_utf16 += c.len_utf16();
                    }
                    at_char = hit.position;
                    let len: usize = hit.marker.chars().map(char::len_utf16).sum();
                    let kind = match hit.kind {
                        MarkerKind::Ordering => 0,
                        MarkerKind::Addition => 1,
                        MarkerKind::Contrast => 2,
                        MarkerKind::Cause => 3,
                        MarkerKind::Example => 4,
                        MarkerKind::Summary => 5,
                    };
                    marks.push(json!([line_utf16 + at_utf16, len, kind]));
                }
            }
        }
        line_utf16 += line.chars().map(char::len_utf16).sum::<usize>() + 1;
    }
    (heads, marks)
}

fn push_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| b as char));
}

/// The page script's own words.
fn script_text(l: Lang) -> Value {
    let t = |zh: &'static str, en: &'static str| l.pick(zh, en);
    json!({
        "filter": t("筛选…", "Filter…"),
        "prev": t("上一页", "Previous"),
        "next": t("下一页", "Next"),
        "rows": t("第 {a}–{b} 行，共 {n} 行", "rows {a}–{b} of {n}"),
        "filtered": t("（筛选自 {n} 行）", " (filtered from {n})"),
        "partial": t("本页只收前 {k} 行，共 {n} 行；全部见 ", "The page holds the first {k} of {n} rows; all are in "),
        "sortHint": t("点击表头排序", "click a header to sort"),
        "hits": t("“{w}”共出现 {n} 次，见于 {k} 篇文章。", "“{w}” occurs {n} times, in {k} essays."),
        "noHit": t("“{w}”在这些文章中没有出现（检索整词；字符串请用 wenxi kwic --chars）。", "“{w}” does not occur in these essays (whole words are searched; for a character string use wenxi kwic --chars)."),
        "shown": t("下面列出前 {k} 处；全部请用 wenxi kwic。", "The first {k} are listed; wenxi kwic gives them all."),
        "scope": t("检索覆盖全部 {n} 篇文章。", "Search covers all {n} essays."),
        "scopePart": t("检索只覆盖前 {k} 篇文章（共 {n} 篇）；全部文章请用 wenxi kwic 检索。", "Search covers the first {k} of {n} essays; wenxi kwic searches them all."),
        "perEssay": t("每篇文章中的频率（每千词）", "Frequency in each essay (per 1,000 words)"),
        "most": t("用得最多的文章", "Essays that use it most"),
        "left": t("左语境", "left"), "node": t("检索词", "node"), "right": t("右语境", "right"),
        "essay": t("文章", "essay"), "count": t("次数", "count"), "per1k": t("每千词", "per 1,000 words"),
        "notInPage": t("第 {id} 篇的全文不在本页（本页收前 {k} 篇）；它的数据见上面的表格和 CSV。", "The text of essay {id} is not in this page (it holds the first {k}); the tables and CSVs have its figures."),
        "choose": t("选择文章", "Choose an essay"),
        "prevEssay": t("← 上一篇", "← previous"), "nextEssay": t("下一篇 →", "next →"),
        "source": t("来源", "source"),
        "keywords": t("关键词", "keywords"),
        "nearest": t("最相似的文章", "most similar essay"),
        "themes": t("主题", "themes"),
        "markers": t("衔接词", "discourse markers"),
        "legend": t("衔接词按类别着色；关键词加下划线；点击任何词检索它。", "Markers are coloured by kind; keywords are underlined; click any word to search it."),
        "noTable": t("没有这张表。", "No such table."),
    })
}

/// Standard base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{base64, lines_and_markers, push_base36};
    use crate::analysis::structure::{MarkerHit, MarkerKind, Structure};

    // RFC 4648 §10 test vectors.
    #[test]
    fn base64_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn base36_ids() {
        let mut s = String::new();
        for n in [0, 35, 36, 1295, 1296] {
            push_base36(&mut s, n);
            s.push(' ');
        }
        assert_eq!(s, "0 z 10 zz 100 ");
    }

    #[test]
    fn markers_land_on_their_characters() {
        // Line 0 is a heading, line 2 is empty: body paragraphs are lines 1 and 3.
        let body = "一、开头：\n𠀀首先，我们。\n\n总之，好。";
        let s = Structure {
            markers: vec![
                MarkerHit {
                    paragraph: 1,
                    position: 1,
                    marker: "首先",
                    kind: MarkerKind::Ordering,
                },
                MarkerHit {
                    paragraph: 2,
                    position: 0,
                    marker: "总之",
                    kind: MarkerKind::Summary,
                },
            ],
            ..Structure::default()
        };
        let (heads, marks) = lines_and_markers(body, &s);
        assert_eq!(heads, vec![0]);
        let utf16: Vec<u16> = body.encode_utf16().collect();
        let text = |m: &serde_json::Value| {
            let (start, len) = (
                m[0].as_u64().unwrap() as usize,
                m[1].as_u64().unwrap() as usize,
            );
            String::from_utf16(&utf16[start..start + len]).unwrap()
        };
        assert_eq!(text(&marks[0]), "首先");
        assert_eq!(marks[0][2], 0);
        assert_eq!(text(&marks[1]), "总之");
        assert_eq!(marks[1][2], 5);
    }

    #[test]
    fn values_are_escaped() {
        let markup = maud::html! { p { ("<script>&") } }.into_string();
        assert_eq!(markup, "<p>&lt;script&gt;&amp;</p>");
    }
}
