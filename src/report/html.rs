//! `index.html`: one self-contained page (inline CSS, charts embedded as data URIs, no network
//! access) with the corpus summary, the files, the essays and a section per essay. Built with
//! maud, which escapes every interpolated value.

use std::path::{Path, PathBuf};

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::write_bytes_atomically;
use crate::analysis::Analysis;
use crate::corpus::Corpus;
use crate::error::{Error, Result};

const CSS: &str = "body{font-family:'wenxi-cjk','Noto Sans SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif;\
margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.5}\
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
th{background:#f0f4f8}td.n{text-align:right}img{max-width:100%;border:1px solid #eee;margin:.5rem 0}\
section.essay{border-top:2px solid #0072b2;margin-top:2rem}.muted{color:#666}code{background:#f4f4f4;padding:0 .2rem}";

/// Writes `dir/index.html` linking `reports` (paths of the written tables) and embedding
/// `charts` (PNG files).
pub fn write_html(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    reports: &[PathBuf],
    charts: &[PathBuf],
    dir: &Path,
) -> Result<PathBuf> {
    let mut images = Vec::new();
    for chart in charts
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
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
        images.push((name, format!("data:image/png;base64,{}", base64(&bytes))));
    }
    let links: Vec<String> = reports
        .iter()
        .filter_map(|p| p.strip_prefix(dir).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    // The charts' font travels with the page, so its Chinese shows on a machine without a CJK
    // font too (characters outside the subset fall back to the local fonts listed after it).
    let font_face = format!(
        "@font-face{{font-family:'wenxi-cjk';src:url(data:font/otf;base64,{}) format('opentype')}}",
        base64(super::charts::EMBEDDED_FONT)
    );
    let page = page(corpus, analysis, &links, &images, &font_face).into_string();
    let path = dir.join("index.html");
    write_bytes_atomically(&path, page.as_bytes())?;
    Ok(path)
}

/// Essays shown in the page's table and sections; the CSVs hold them all (a section per essay of
/// 18,000 essays made a 29 MB page).
pub const MAX_PAGE_ESSAYS: usize = 1000;

fn page(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    links: &[String],
    images: &[(String, String)],
    font_face: &str,
) -> Markup {
    let skipped = corpus.skipped().count();
    let nearest = analysis.similarity.as_ref().map(|s| &s.nearest);
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "文析 wenxi 报告" }
                style { (PreEscaped(font_face)) (PreEscaped(CSS)) }
            }
            body {
                h1 { "文析 wenxi 报告" }
                p {
                    (corpus.essays.len()) " 篇文章，来自 " (corpus.files.len()) " 个文件（" (skipped) " 个跳过）；"
                    (analysis.total_words) " 词，" (analysis.word_freq.len()) " 个不同的词。"
                }
                h2 { "报表" }
                ul { @for link in links { li { a href=(link) { (link) } } } }
                h2 { "文件" }
                table {
                    tr { th { "文件" } th { "编码" } th { "字节" } th { "文章" } th { "状态" } th { "说明" } }
                    @for f in &corpus.files {
                        tr { td { (f.path) } td { (f.encoding) } td.n { (f.bytes) } td.n { (f.essays) } td { (f.status.as_str()) } td { (f.message) } }
                    }
                }
                @if !images.is_empty() {
                    h2 { "图表" }
                    @for (name, uri) in images { figure { img src=(uri) alt=(name); figcaption.muted { (name) } } }
                }
                h2 { "文章" }
                @if corpus.essays.len() > MAX_PAGE_ESSAYS {
                    p.muted { "共 " (corpus.essays.len()) " 篇，本页列出前 " (MAX_PAGE_ESSAYS) " 篇；全部文章见 essays.csv 与 structure.csv。" }
                }
                table {
                    tr { th { "编号" } th { "标题" } th { "段落" } th { "字数" } th { "词数" } th { "不同词" } th { "最相似" } }
                    @for (i, (essay, result)) in corpus.essays.iter().zip(&analysis.essays).enumerate().take(MAX_PAGE_ESSAYS) {
                        tr {
                            td.n { (essay.id) }
                            td { a href={ "#essay-" (essay.id) } { (essay.title) } }
                            td.n { (result.structure.paragraphs) }
                            td.n { (result.figures.characters) }
                            td.n { (result.figures.words) }
                            td.n { (result.figures.types) }
                            td { @if let Some((j, c)) = nearest.and_then(|n| n[i]) { (corpus.essays[j as usize].title) " (" (format!("{c:.2}")) ")" } }
                        }
                    }
                }
                @for (i, (essay, result)) in corpus.essays.iter().zip(&analysis.essays).enumerate().take(MAX_PAGE_ESSAYS) {
                    @let s = &result.structure;
                    section.essay id={ "essay-" (essay.id) } {
                        h3 { (essay.id) ". " (essay.title) }
                        p.muted { "来源：" (essay.source) }
                        p {
                            "正文段落 " (s.paragraphs) "，标题行 " (s.headings.len()) "，句子 " (s.sentences)
                            "，平均句长 " (format!("{:.1}", s.sentence_han.mean)) " 个汉字，MTLD " (format!("{:.1}", s.mtld))
                            "，词汇密度 " (format!("{:.2}", s.lexical_density)) "。"
                        }
                        p.readability {
                            "可读性（徐巍、姚振晔、陈冬华）" (format!("{:.2}", s.xu.r3))
                            "：每分句 " (format!("{:.1}", s.xu.r1)) " 字，副词与连词占比 " (format!("{:.3}", s.xu.r2))
                            "；HSK 3.0 汉字等级 "
                            (match crate::analysis::levels::needed(&s.char_levels.hsk) {
                                Some(7) => "7–9".to_owned(),
                                Some(level) => level.to_string(),
                                None => "超出标准".to_owned(),
                            })
                            "（覆盖 95% 的汉字）；一级常用字以外 "
                            (format!("{:.1}", 100.0 * crate::analysis::structure::ratio(s.char_levels.rare, s.chars.han))) "%。"
                            @if s.words < crate::analysis::readability::SHORT_TEXT_WORDS { " 不足 100 词：TTR、MTLD 不稳定。" }
                        }
                        @if !s.marker_sequence.is_empty() { p { "段首衔接词：" (s.marker_sequence.join("→")) } }
                        @if s.closes_with_summary { p { "以总结段收尾。" } }
                        @for (method, keywords) in &result.keywords {
                            @if !keywords.is_empty() {
                                p { "关键词（" (method.as_str()) "）：" (keywords.iter().map(|k| k.word).collect::<Vec<_>>().join("、")) }
                            }
                        }
                        @if let Some((j, c)) = nearest.and_then(|n| n[i]) {
                            p { "最相似的文章：" (corpus.essays[j as usize].title) "，余弦 " (format!("{c:.3}")) }
                        }
                        @if let Some(names) = &analysis.theme_names {
                            table {
                                tr { th { "主题" } th { "次数" } th { "每千词" } th { "词" } }
                                @for (name, hits) in names.iter().zip(&result.themes) {
                                    tr {
                                        td { (name) }
                                        td.n { (hits.hits) }
                                        td.n { (format!("{:.1}", crate::frames::per_10k(hits.hits, result.figures.words) / 10.0)) }
                                        td { (hits.words.iter().map(|(w, c)| format!("{w}×{c}")).collect::<Vec<_>>().join("、")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
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
    use super::base64;

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
    fn values_are_escaped() {
        let markup = maud::html! { p { ("<script>&") } }.into_string();
        assert_eq!(markup, "<p>&lt;script&gt;&amp;</p>");
    }
}
