//! Charts as PNG and SVG with plotters, labelled in Chinese with an embedded font, so that they
//! show real glyphs on a machine with no CJK font installed.

mod cloud;
mod scaled;

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::write_bytes_atomically;
use crate::analysis::Analysis;
use crate::corpus::Corpus;
use crate::error::{Error, Result};

/// Noto Sans SC (SIL Open Font License 1.1, `fonts/OFL.txt`), cut down to GB2312, ASCII, CJK
/// punctuation and every character of the bundled corpus by `fonts/make_subset.py`.
pub(crate) const EMBEDDED_FONT: &[u8] = include_bytes!("fonts/NotoSansSC-Regular-subset.otf");

/// The font family named in the charts: the embedded font is registered under it (and under
/// `sans-serif`), and SVG files name it, so browsers use a local CJK font.
pub const FONT_FAMILY: &str =
    "Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

/// plotters 0.3.7 with ab_glyph draws text about 15% smaller than asked: ask for more. (It scales
/// glyphs to the font's ascent-to-descent height, 1.448 em for Noto Sans SC, where its SVG backend
/// and browsers use 1/1.24 em: 1.448 / 1.24 = 1.17.)
const FONT_SCALE: f64 = 1.18;

thread_local! {
    /// The text scale of the backend being drawn: [`FONT_SCALE`] for PNG, 1 for SVG (plotters
    /// writes `font-size` = size / 1.24 and the browser draws that). Both files then show text of
    /// the same size, within about 1%.
    static TEXT_SCALE: Cell<f64> = const { Cell::new(FONT_SCALE) };
}

/// Sets the text scale for the rest of this thread's drawing until dropped.
struct TextScale(f64);

impl TextScale {
    fn set(scale: f64) -> TextScale {
        TextScale(TEXT_SCALE.replace(scale))
    }
}

impl Drop for TextScale {
    fn drop(&mut self) {
        TEXT_SCALE.set(self.0);
    }
}

/// Okabe & Ito's colour-blind-safe palette: blue, orange, bluish green, vermillion.
const BLUE: RGBColor = RGBColor(0, 114, 178);
const ORANGE: RGBColor = RGBColor(230, 159, 0);
const GREEN: RGBColor = RGBColor(0, 158, 115);
const GREY: RGBColor = RGBColor(90, 90, 90);

/// Charts show at most this many essays; a note on the chart says when there are more.
pub const MAX_ESSAYS: usize = 40;
// The sentence-length chart needs each sentence of the essays it shows.
const _: () = assert!(MAX_ESSAYS <= crate::analysis::SENTENCE_LENGTHS_KEPT);
/// Words in the top-words chart.
pub const TOP_WORDS: usize = 30;
/// Essays in the keywords chart (small multiples).
pub const KEYWORD_PANELS: usize = 12;
/// Keywords in each panel of the keywords chart.
const KEYWORDS_PER_PANEL: usize = 8;
/// Leaves of the dendrogram at most (a tree of more is past reading; clusters.csv has them all).
pub const DENDROGRAM_LEAVES: usize = 120;

/// Which of the essays' keyword lists the keywords chart draws: the first method asked for that
/// found keywords in some essay. Keyness finds none in a corpus of one essay (there is no rest
/// of the corpus to set it against), and the chart then shows the next method.
/// Returns its place in each essay's lists and the method.
pub fn keyword_chart_method(
    analysis: &Analysis<'_>,
) -> Option<(usize, crate::analysis::keywords::KeywordMethod)> {
    let first = analysis.essays.first()?;
    let slot = analysis.keyword_lists().iter().position(|&any| any)?;
    Some((slot, first.keywords[slot].0))
}

/// The bytes of the registered font, or why it could not be registered.
static FONT: OnceLock<std::result::Result<&'static [u8], String>> = OnceLock::new();

/// Registers the font (the embedded one, or `path`) once per process.
pub fn register_font(path: Option<&Path>) -> Result<()> {
    let registered = FONT.get_or_init(|| {
        let bytes: &'static [u8] = match path {
            Some(path) => match std::fs::read(path) {
                Ok(bytes) => Box::leak(bytes.into_boxed_slice()),
                Err(err) => return Err(format!("cannot read font {}: {err}", path.display())),
            },
            None => EMBEDDED_FONT,
        };
        for family in [FONT_FAMILY, "sans-serif"] {
            plotters::style::register_font(family, FontStyle::Normal, bytes).map_err(|_| {
                format!(
                    "{} is not a TrueType or OpenType font",
                    path.map_or("the embedded font".into(), |p| p.display().to_string())
                )
            })?;
        }
        Ok(bytes)
    });
    registered
        .clone()
        .map(drop)
        .map_err(|message| Error::Chart {
            name: "font",
            message,
        })
}

/// The characters of `text` the registered font has no glyph for: PNG charts draw the font's
/// missing-glyph shape for them, which in the embedded subset is empty, so they are left out.
/// (SVG charts leave them to the browser's fonts.)
pub fn missing_glyphs(text: &str) -> BTreeSet<char> {
    let Some(font) = FONT
        .get()
        .and_then(|f| f.as_ref().ok())
        .and_then(|bytes| ab_glyph::FontRef::try_from_slice(bytes).ok())
    else {
        return BTreeSet::new();
    };
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .filter(|&c| ab_glyph::Font::glyph_id(&font, c).0 == 0)
        .collect()
}

/// An essay's title as a label: as written where the font can draw it, else converted to
/// simplified (a traditional title: 我的學校 → 我的学校), which the embedded font has, rather
/// than with holes.
fn drawable_title(title: &str) -> std::borrow::Cow<'_, str> {
    let missing = missing_glyphs(title).len();
    if missing == 0 {
        return title.into();
    }
    let simplified = crate::corpus::script::Conversion::T2s.convert(title);
    if missing_glyphs(&simplified).len() < missing {
        simplified.into()
    } else {
        title.into()
    }
}

/// An essay's label on a chart: its id and its title, shortened to `max` characters, drawable.
fn label(essay: &crate::corpus::Essay, max: usize) -> String {
    format!("{} {}", essay.id, clip(&drawable_title(&essay.title), max))
}

/// A word's label: as the essays wrote it (`shown`) where the font can draw it, else as it was
/// counted (simplified, which the embedded font has every character of), rather than with holes.
fn drawable<'w>(shown: &'w str, counted: &'w str) -> &'w str {
    if shown == counted || missing_glyphs(shown).is_empty() {
        shown
    } else {
        counted
    }
}

/// What [`write_charts`] wrote, and the characters of its labels the font lacks.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub missing_glyphs: BTreeSet<char>,
}

/// The text of every `<text>` element of an SVG written by plotters.
fn svg_text(svg: &str) -> String {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let start = t.find('>')? + 1;
            let end = t.find("</text>")?;
            t.get(start..end)
        })
        .collect()
}

fn font(size: f64) -> TextStyle<'static> {
    (FONT_FAMILY, size * TEXT_SCALE.get())
        .into_font()
        .color(&BLACK)
}

type Area<'a, DB> = DrawingArea<DB, Shift>;
type Drawn = std::result::Result<(), String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Shortens a label to `max` characters.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max - 1).chain(['…']).collect()
    }
}

/// What a chart shows, drawn the same way on any backend.
enum Plot {
    Bars {
        title: &'static str,
        note: String,
        data: Vec<(String, f64)>,
        colour: RGBColor,
        /// What the values count, written at the end of the value axis.
        unit: &'static str,
    },
    Heatmap {
        title: &'static str,
        note: String,
        rows: Vec<String>,
        columns: Vec<String>,
        values: Vec<Vec<f64>>,
        max: f64,
        decimals: usize,
    },
    /// Leaves (labels in leaf order, by essay index) and merges (a, b, distance) as kodama gives them.
    Dendrogram {
        title: &'static str,
        note: String,
        labels: Vec<String>,
        order: Vec<usize>,
        merges: Vec<(usize, usize, f64)>,
    },
    /// Small bar charts side by side: (panel title, bars).
    Multiples {
        title: &'static str,
        note: String,
        panels: Vec<(String, Vec<(String, f64)>)>,
        columns: usize,
    },
    /// One box per essay: (label, values).
    Boxes {
        title: &'static str,
        note: String,
        rows: Vec<(String, Vec<u64>)>,
    },
    /// One row per essay: markers at (paragraph, text, kind index).
    Timeline {
        title: &'static str,
        note: String,
        rows: Vec<(String, u32, Vec<(u32, &'static str, usize)>)>,
    },
    /// Rows of bars in several columns, one per series, each scaled to its own largest value.
    BarColumns {
        title: &'static str,
        note: String,
        series: Vec<(&'static str, RGBColor)>,
        rows: Vec<(String, Vec<f64>)>,
    },
    /// One bar per row, split into the shares of each series (summing to at most 1), with a
    /// legend of the series.
    Stacked {
        title: &'static str,
        note: String,
        series: Vec<(String, RGBColor)>,
        rows: Vec<(String, Vec<f64>)>,
    },
    /// Words laid out by [`cloud::layout`].
    Cloud {
        title: &'static str,
        note: String,
        cloud: cloud::Cloud,
    },
}

/// One chart: its file name, size in pixels and content.
struct Chart {
    name: &'static str,
    size: (u32, u32),
    plot: Plot,
}

impl Plot {
    fn draw<DB: DrawingBackend>(&self, area: &Area<'_, DB>) -> Drawn {
        match self {
            Plot::Bars {
                title,
                note,
                data,
                colour,
                unit,
            } => bars(area, title, note, data, *colour, unit),
            Plot::Heatmap {
                title,
                note,
                rows,
                columns,
                values,
                max,
                decimals,
            } => heatmap(area, title, note, rows, columns, values, *max, *decimals),
            Plot::Dendrogram {
                title,
                note,
                labels,
                order,
                merges,
            } => dendrogram(area, title, note, labels, order, merges),
            Plot::Timeline { title, note, rows } => timeline(area, title, note, rows),
            Plot::Multiples {
                title,
                note,
                panels,
                columns,
            } => multiples(area, title, note, panels, *columns),
            Plot::Boxes { title, note, rows } => boxes(area, title, note, rows),
            Plot::BarColumns {
                title,
                note,
                series,
                rows,
            } => bar_columns(area, title, note, series, rows),
            Plot::Stacked {
                title,
                note,
                series,
                rows,
            } => stacked(area, title, note, series, rows),
            Plot::Cloud { title, note, cloud } => word_cloud(area, title, note, cloud),
        }
    }
}

/// The resolution the charts are laid out in: CSS pixels, as in their SVG files.
pub const LAYOUT_DPI: u32 = 96;

/// The names of every chart [`write_charts`] can draw (each `charts/<name>.png` and `.svg`):
/// how `report::run` tells wenxi's own charts in a folder that has no `run.json`.
pub const CHART_NAMES: &[&str] = &[
    "top_words",
    "word_cloud",
    "essay_lengths",
    "similarity",
    "sentence_lengths",
    "keywords",
    "dendrogram",
    "markers",
    "hsk_levels",
    "themes",
];

/// Writes every chart as `<dir>/<name>.png`, at `dpi` dots per inch, and `.svg`; returns the
/// files written and the characters of their labels that the font lacks.
pub fn write_charts(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    dir: &Path,
    dpi: u32,
) -> Result<Written> {
    register_font(None)?;
    super::ensure_dir(dir)?;
    let mut written = Written::default();
    for chart in charts(corpus, analysis) {
        debug_assert!(
            CHART_NAMES.contains(&chart.name),
            "{} is not in CHART_NAMES",
            chart.name
        );
        let png = dir.join(format!("{}.png", chart.name));
        let bytes = draw_png(&chart, dpi).map_err(|message| Error::Chart {
            name: chart.name,
            message,
        })?;
        write_bytes_atomically(&png, &bytes)?;
        written.files.push(png);

        let svg_path = dir.join(format!("{}.svg", chart.name));
        let mut svg = String::new();
        (|| {
            let _scale = TextScale::set(1.0);
            let root = SVGBackend::with_string(&mut svg, chart.size).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            chart.plot.draw(&root)?;
            root.present().map_err(err)
        })()
        .map_err(|message| Error::Chart {
            name: chart.name,
            message,
        })?;
        write_bytes_atomically(&svg_path, svg.as_bytes())?;
        written
            .missing_glyphs
            .extend(missing_glyphs(&svg_text(&svg)));
        written.files.push(svg_path);
    }
    Ok(written)
}

/// A chart as PNG bytes: drawn at `dpi / 96` times its layout size, with the resolution in
/// the file (pHYs, in dots per metre) so that Word, LibreOffice and print shops size it as the
/// SVG is sized.
fn draw_png(chart: &Chart, dpi: u32) -> std::result::Result<Vec<u8>, String> {
    let scale = f64::from(dpi) / f64::from(LAYOUT_DPI);
    let pixels = scaled::pixels(chart.size, scale);
    let mut rgb = vec![0u8; pixels.0 as usize * pixels.1 as usize * 3];
    {
        let _scale = TextScale::set(FONT_SCALE * scale);
        let bitmap = BitMapBackend::with_buffer(&mut rgb, pixels);
        let root = scaled::Scaled::new(bitmap, scale, chart.size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        chart.plot.draw(&root)?;
        root.present().map_err(err)?;
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixels.0, pixels.1);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(&rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(bytes)
}

fn charts(corpus: &Corpus, analysis: &Analysis<'_>) -> Vec<Chart> {
    let mut charts = Vec::new();
    let n = corpus.essays.len();
    // Full-width brackets lose their left-side bearing in plotters' ab_glyph text: use commas.
    let capped = |what: &str| {
        if n > MAX_ESSAYS {
            format!("{what}，仅显示前 {MAX_ESSAYS} 篇，共 {n} 篇")
        } else {
            format!("{what}，共 {n} 篇")
        }
    };

    let top: Vec<(String, f64)> = analysis
        .word_freq
        .iter()
        .filter(|w| !w.stopword)
        .take(TOP_WORDS)
        .map(|w| {
            (
                drawable(analysis.shown_word(w.word), w.word).to_owned(),
                w.count as f64,
            )
        })
        .collect();
    let height = 200 + top.len() as u32 * 34;
    let note = format!("出现次数最多的 {} 个词", top.len());
    charts.push(Chart {
        name: "top_words",
        size: (1400, height),
        plot: Plot::Bars {
            title: "不含停用词的高频词",
            note,
            data: top,
            colour: BLUE,
            unit: "次",
        },
    });

    const CLOUD_WORDS: usize = 120;
    let words: Vec<(String, u64)> = analysis
        .word_freq
        .iter()
        .filter(|w| !w.stopword)
        .take(CLOUD_WORDS)
        .map(|w| {
            (
                drawable(analysis.shown_word(w.word), w.word).to_owned(),
                w.count,
            )
        })
        .collect();
    if !words.is_empty() {
        let (width, height) = (1600, 1000);
        let area = cloud::Rect {
            left: 30,
            top: 110,
            right: width - 30,
            bottom: height - 20,
        };
        let cloud = cloud::layout(&words, area, cloud::fitting_size(&words, area));
        let mut note = format!(
            "出现次数最多的 {} 个词，不含停用词；字的面积与出现次数成正比",
            words.len()
        );
        if cloud.dropped > 0 {
            note.push_str(&format!("；{} 个词放不下，未显示", cloud.dropped));
        }
        if cloud.blank > 0 {
            note.push_str(&format!("；{} 个词没有字形，未显示", cloud.blank));
        }
        charts.push(Chart {
            name: "word_cloud",
            size: (width as u32, height as u32),
            plot: Plot::Cloud {
                title: "词云",
                note,
                cloud,
            },
        });
    }

    let lengths: Vec<(String, Vec<f64>)> = corpus
        .essays
        .iter()
        .zip(&analysis.essays)
        .take(MAX_ESSAYS)
        .map(|(e, r)| {
            (
                label(e, 14),
                vec![
                    r.figures.characters as f64,
                    r.structure.paragraphs as f64,
                    r.structure.sentences as f64,
                ],
            )
        })
        .collect();
    let height = 240 + lengths.len() as u32 * 34;
    let note = capped("每篇文章的字数、正文段落数和句子数；字数不含空白，段落不含标题行");
    charts.push(Chart {
        name: "essay_lengths",
        size: (1600, height),
        plot: Plot::BarColumns {
            title: "文章长度",
            note,
            series: vec![("字数", ORANGE), ("正文段落", BLUE), ("句子", GREEN)],
            rows: lengths,
        },
    });

    if let Some(clusters) = analysis
        .similarity
        .as_ref()
        .filter(|s| s.all_pairs)
        .and_then(|s| s.clusters.as_ref().map(|c| (s, c)))
    {
        let (similarity, clusters) = clusters;
        // The first essays (as every chart), in dendrogram order, so that clusters sit together.
        let mut order: Vec<usize> = (0..n.min(MAX_ESSAYS)).collect();
        order.sort_by_key(|&i| clusters.order[i]);
        let position: std::collections::HashMap<usize, usize> =
            order.iter().enumerate().map(|(p, &i)| (i, p)).collect();
        // The diagonal (an essay with itself, always 1) is left blank and out of the colour
        // scale, which then spans the pairs' own range.
        let mut matrix = vec![vec![f64::NAN; order.len()]; order.len()];
        for &(a, b, c) in &similarity.pairs {
            if let (Some(&pa), Some(&pb)) =
                (position.get(&(a as usize)), position.get(&(b as usize)))
            {
                matrix[pa][pb] = c;
                matrix[pb][pa] = c;
            }
        }
        let labels: Vec<String> = order
            .iter()
            .map(|&i| label(&corpus.essays[i], 12))
            .collect();
        let max = matrix
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            .max(1e-9);
        let note = capped(&format!(
            "TF-IDF 余弦相似度，按层次聚类排序，{} 个聚类；色阶 0 到 {max:.2}，对角线为文章自身，不计",
            clusters.k
        ));
        let side = 420 + labels.len() as u32 * 36;
        let plot = Plot::Heatmap {
            title: "文章相似度",
            note,
            rows: labels.clone(),
            columns: labels,
            values: matrix,
            max,
            decimals: 2,
        };
        charts.push(Chart {
            name: "similarity",
            size: (side + 200, side),
            plot,
        });
    }

    let boxes: Vec<(String, Vec<u64>)> = corpus
        .essays
        .iter()
        .zip(&analysis.essays)
        .take(MAX_ESSAYS)
        .map(|(e, r)| (label(e, 12), r.structure.sentence_lengths.clone()))
        .collect();
    let note = capped(
        "每句汉字数：箱体为四分位距，中线为中位数，须线至 1.5 倍四分位距内的最远值，圆点为离群值",
    );
    charts.push(Chart {
        name: "sentence_lengths",
        size: (1400, 220 + boxes.len() as u32 * 40),
        plot: Plot::Boxes {
            title: "句子长度分布",
            note,
            rows: boxes,
        },
    });

    // Small multiples of the first keyword method that found keywords.
    if let Some((slot, method)) = keyword_chart_method(analysis) {
        let panels: Vec<(String, Vec<(String, f64)>)> = corpus
            .essays
            .iter()
            .zip(&analysis.essays)
            .take(KEYWORD_PANELS)
            .map(|(e, r)| {
                let words = r.keywords[slot]
                    .1
                    .iter()
                    .take(KEYWORDS_PER_PANEL)
                    .map(|k| {
                        let shown = analysis.shown_word_in(r, k.word);
                        (drawable(shown, k.word).to_owned(), k.score)
                    })
                    .collect();
                (label(e, 12), words)
            })
            .collect();
        let columns = 3.min(panels.len()).max(1);
        let rows = panels.len().div_ceil(columns) as u32;
        let max = shared_max(&panels);
        let note = if n > KEYWORD_PANELS {
            format!(
                "每篇前 {KEYWORDS_PER_PANEL} 个关键词，{}，仅显示前 {KEYWORD_PANELS} 篇，共 {n} 篇；各小图横轴相同，0 到 {max:.2}",
                method.score_name().0
            )
        } else {
            format!(
                "每篇前 {KEYWORDS_PER_PANEL} 个关键词，{}，共 {n} 篇；各小图横轴相同，0 到 {max:.2}",
                method.score_name().0
            )
        };
        charts.push(Chart {
            name: "keywords",
            size: (1500, 140 + rows * 330),
            plot: Plot::Multiples {
                title: "各篇关键词",
                note,
                panels,
                columns,
            },
        });
    }

    if let Some(clusters) = analysis
        .similarity
        .as_ref()
        .and_then(|s| s.clusters.as_ref())
        .filter(|c| !c.merges.is_empty() && (2..=DENDROGRAM_LEAVES).contains(&n))
    {
        let labels: Vec<String> = corpus.essays.iter().map(|e| label(e, 12)).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| clusters.order[i]);
        let merges = clusters
            .merges
            .iter()
            .map(|&(a, b, d, _)| (a, b, d))
            .collect();
        let note = format!(
            "平均联结层次聚类，距离为 1 减余弦相似度，分为 {} 类，共 {n} 篇",
            clusters.k
        );
        let plot = Plot::Dendrogram {
            title: "文章聚类树状图",
            note,
            labels,
            order,
            merges,
        };
        charts.push(Chart {
            name: "dendrogram",
            size: (1400, 260 + n as u32 * 36),
            plot,
        });
    }

    let rows: Vec<(String, u32, Vec<(u32, &'static str, usize)>)> = corpus
        .essays
        .iter()
        .zip(&analysis.essays)
        .take(MAX_ESSAYS)
        .map(|(e, r)| {
            let hits = r
                .structure
                .markers
                .iter()
                .filter(|m| m.position == 0)
                .map(|m| (m.paragraph, m.marker, m.kind as usize))
                .collect();
            (label(e, 12), r.structure.paragraphs, hits)
        })
        .collect();
    let note = capped("横轴为正文段落序号，颜色区分顺序、递进、转折、因果、举例、总结");
    charts.push(Chart {
        name: "markers",
        size: (1600, 260 + rows.len() as u32 * 44),
        plot: Plot::Timeline {
            title: "段首衔接词序列",
            note,
            rows,
        },
    });

    // HSK 3.0 level profile: the share of each essay's characters at each level.
    let rows: Vec<(String, Vec<f64>)> = corpus
        .essays
        .iter()
        .zip(&analysis.essays)
        .take(MAX_ESSAYS)
        .map(|(e, r)| {
            let shares = crate::analysis::levels::shares(&r.structure.char_levels.hsk);
            (label(e, 12), shares.to_vec())
        })
        .collect();
    let series: Vec<(String, RGBColor)> = (1..=crate::analysis::levels::LEVELS)
        .map(|l| match l {
            7 => "7-9 级".to_owned(),
            l => format!("{l} 级"),
        })
        .chain(std::iter::once("等级外".to_owned()))
        .zip(LEVEL_COLOURS)
        .collect();
    charts.push(Chart {
        name: "hsk_levels",
        size: (1600, 300 + rows.len() as u32 * 40),
        plot: Plot::Stacked {
            title: "HSK 3.0 汉字等级分布",
            note: capped("每篇汉字（含重复）在各等级所占比例，横轴 0-100%"),
            series,
            rows,
        },
    });

    if let Some(names) = &analysis.theme_names {
        let rows: Vec<(String, Vec<f64>)> = corpus
            .essays
            .iter()
            .zip(&analysis.essays)
            .take(MAX_ESSAYS)
            .map(|(e, r)| {
                let per_1k = r
                    .themes
                    .iter()
                    .map(|t| crate::frames::per_10k(t.hits, r.figures.words) / 10.0)
                    .collect();
                (label(e, 12), per_1k)
            })
            .collect();
        let max = rows
            .iter()
            .flat_map(|r| r.1.iter().copied())
            .fold(0.0, f64::max);
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let matrix: Vec<Vec<f64>> = rows.into_iter().map(|r| r.1).collect();
        let columns = names.clone();
        let note = capped("每千词的主题词次数");
        let size = (
            520 + columns.len() as u32 * 130,
            420 + labels.len() as u32 * 36,
        );
        let plot = Plot::Heatmap {
            title: "主题分布",
            note,
            rows: labels,
            columns,
            values: matrix,
            max: max.max(1e-9),
            decimals: 1,
        };
        charts.push(Chart {
            name: "themes",
            size,
            plot,
        });
    }
    charts
}

/// The title and the note at the top of every chart.
fn header<DB: DrawingBackend>(area: &Area<'_, DB>, title: &str, note: &str) -> Drawn {
    area.draw_text(title, &font(30.0), (40, 24)).map_err(err)?;
    // Full-width brackets lose their left-side bearing in plotters' ab_glyph text (a gap after
    // `（`): ASCII ones in their place.
    let note = note.replace('（', "(").replace('）', ")");
    area.draw_text(&note, &font(18.0).color(&GREY), (40, 72))
        .map_err(err)
}

/// Horizontal bars, largest first, with their labels on the left and values at their ends.
fn bars<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    data: &[(String, f64)],
    colour: RGBColor,
    unit: &str,
) -> Drawn {
    let (width, height) = area.dim_in_pixel();
    header(area, title, note)?;
    let max = data.iter().map(|d| d.1).fold(0.0, f64::max).max(1e-9);
    let (left, right, top) = (320i32, width as i32 - 140, 130i32);
    // Room under the bars for the value axis.
    let row = ((height as i32 - top - 80) / data.len().max(1) as i32).max(1);
    let label_style = font(18.0).pos(Pos::new(HPos::Right, VPos::Center));
    let value_style = font(16.0).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (label, value)) in data.iter().enumerate() {
        let y = top + i as i32 * row;
        let end = left + ((right - left) as f64 * value / max).round() as i32;
        area.draw(&Rectangle::new(
            [(left, y + 4), (end.max(left + 1), y + row - 4)],
            colour.filled(),
        ))
        .map_err(err)?;
        area.draw_text(label, &label_style, (left - 12, y + row / 2))
            .map_err(err)?;
        area.draw_text(&format_value(*value), &value_style, (end + 8, y + row / 2))
            .map_err(err)?;
    }
    area.draw(&PathElement::new(
        vec![(left, top), (left, top + row * data.len() as i32)],
        BLACK.stroke_width(2),
    ))
    .map_err(err)?;
    // The value axis under the bars: 0, about half and the largest value, and its unit.
    let bottom = top + row * data.len() as i32 + 6;
    area.draw(&PathElement::new(
        vec![(left, bottom), (right, bottom)],
        GREY.stroke_width(1),
    ))
    .map_err(err)?;
    let tick_style = font(15.0)
        .color(&GREY)
        .pos(Pos::new(HPos::Center, VPos::Top));
    // Counts get a whole middle tick (17, not 17.5 of 35), at its own place.
    let whole = data.iter().all(|d| d.1.fract() == 0.0);
    let middle = if whole {
        (max / 2.0).floor()
    } else {
        max / 2.0
    };
    let ticks: &[f64] = if middle > 0.0 && middle < max {
        &[0.0, middle, max]
    } else {
        &[0.0, max]
    };
    for &value in ticks {
        let x = left + ((right - left) as f64 * value / max).round() as i32;
        area.draw(&PathElement::new(
            vec![(x, bottom), (x, bottom + 5)],
            GREY.stroke_width(1),
        ))
        .map_err(err)?;
        area.draw_text(&format_value(value), &tick_style, (x, bottom + 8))
            .map_err(err)?;
    }
    area.draw_text(
        unit,
        &font(15.0).color(&GREY).pos(Pos::new(HPos::Left, VPos::Top)),
        (right + 12, bottom + 8),
    )
    .map_err(err)?;
    Ok(())
}

/// Labels on the left, then one column of bars per series with its name on top and each value at
/// the end of its bar.
fn bar_columns<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    series: &[(&str, RGBColor)],
    rows: &[(String, Vec<f64>)],
) -> Drawn {
    let (width, height) = area.dim_in_pixel();
    header(area, title, note)?;
    let (left, top) = (340i32, 170i32);
    let column = (width as i32 - left - 20) / series.len().max(1) as i32;
    let row = ((height as i32 - top - 40) / rows.len().max(1) as i32).max(1);
    let label_style = font(18.0).pos(Pos::new(HPos::Right, VPos::Center));
    let value_style = font(16.0).pos(Pos::new(HPos::Left, VPos::Center));
    // Each series is scaled to its own largest value.
    let maxima: Vec<f64> = (0..series.len())
        .map(|s| {
            rows.iter()
                .filter_map(|r| r.1.get(s))
                .fold(0.0, |a: f64, &b| a.max(b))
                .max(1e-9)
        })
        .collect();
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = top + i as i32 * row;
        area.draw_text(label, &label_style, (left - 12, y + row / 2))
            .map_err(err)?;
        for (s, ((value, max), (_, colour))) in values.iter().zip(&maxima).zip(series).enumerate() {
            let x0 = left + s as i32 * column;
            // Room for the value after the longest bar.
            let end = x0 + ((column - 90) as f64 * value / max).round() as i32;
            area.draw(&Rectangle::new(
                [(x0, y + 4), (end.max(x0 + 1), y + row - 4)],
                colour.filled(),
            ))
            .map_err(err)?;
            area.draw_text(&format_value(*value), &value_style, (end + 8, y + row / 2))
                .map_err(err)?;
        }
    }
    for (s, (name, _)) in series.iter().enumerate() {
        let x0 = left + s as i32 * column;
        area.draw_text(name, &font(20.0), (x0, top - 40))
            .map_err(err)?;
        area.draw(&PathElement::new(
            vec![(x0, top), (x0, top + row * rows.len() as i32)],
            BLACK.stroke_width(2),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Levels 1 to 6 light to dark blue, the 7–9 band purple, ungraded grey.
const LEVEL_COLOURS: [RGBColor; 8] = [
    RGBColor(198, 219, 239),
    RGBColor(158, 202, 225),
    RGBColor(107, 174, 214),
    RGBColor(66, 146, 198),
    RGBColor(33, 113, 181),
    RGBColor(8, 69, 148),
    RGBColor(117, 107, 177),
    RGBColor(170, 170, 170),
];

fn stacked<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    series: &[(String, RGBColor)],
    rows: &[(String, Vec<f64>)],
) -> Drawn {
    let (width, height) = area.dim_in_pixel();
    header(area, title, note)?;
    let (left, right, top) = (340i32, width as i32 - 60, 170i32);
    let row = ((height as i32 - top - 60) / rows.len().max(1) as i32).max(1);
    let label_style = font(18.0).pos(Pos::new(HPos::Right, VPos::Center));
    // The legend, above the bars.
    let step = (right - left) / series.len().max(1) as i32;
    for (s, (name, colour)) in series.iter().enumerate() {
        let x = left + s as i32 * step;
        area.draw(&Rectangle::new([(x, 118), (x + 24, 142)], colour.filled()))
            .map_err(err)?;
        area.draw_text(name, &font(18.0), (x + 32, 118))
            .map_err(err)?;
    }
    for (i, (label, shares)) in rows.iter().enumerate() {
        let y = top + i as i32 * row;
        area.draw_text(label, &label_style, (left - 12, y + row / 2))
            .map_err(err)?;
        let mut start = 0.0;
        for (share, (_, colour)) in shares.iter().zip(series) {
            let x0 = left + ((right - left) as f64 * start).round() as i32;
            start += share;
            let x1 = left + ((right - left) as f64 * start).round() as i32;
            if x1 > x0 {
                area.draw(&Rectangle::new(
                    [(x0, y + 4), (x1, y + row - 4)],
                    colour.filled(),
                ))
                .map_err(err)?;
            }
        }
    }
    // The axis: 0, 50% and 100%.
    let bottom = top + row * rows.len() as i32;
    let tick_style = font(16.0).pos(Pos::new(HPos::Center, VPos::Top));
    for (share, text) in [(0.0, "0"), (0.5, "50%"), (1.0, "100%")] {
        let x = left + ((right - left) as f64 * share).round() as i32;
        area.draw(&PathElement::new(
            vec![(x, bottom), (x, bottom + 8)],
            BLACK.stroke_width(2),
        ))
        .map_err(err)?;
        area.draw_text(text, &tick_style, (x, bottom + 12))
            .map_err(err)?;
    }
    area.draw(&PathElement::new(
        vec![(left, bottom), (right, bottom)],
        BLACK.stroke_width(2),
    ))
    .map_err(err)
}

fn format_value(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// A grid of coloured cells (viridis, 0 to `max`) with row labels on the left, column labels on
/// top and each value written in its cell with `decimals`.
#[allow(clippy::too_many_arguments)]
fn heatmap<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    rows: &[String],
    columns: &[String],
    values: &[Vec<f64>],
    max: f64,
    decimals: usize,
) -> Drawn {
    let (width, height) = area.dim_in_pixel();
    header(area, title, note)?;
    let (left, top) = (300i32, 300i32);
    let cell_w = ((width as i32 - left - 40) / columns.len().max(1) as i32).max(1);
    let cell_h = ((height as i32 - top - 30) / rows.len().max(1) as i32).max(1);
    let row_style = font(16.0).pos(Pos::new(HPos::Right, VPos::Center));
    for (r, label) in rows.iter().enumerate() {
        area.draw_text(
            label,
            &row_style,
            (left - 10, top + r as i32 * cell_h + cell_h / 2),
        )
        .map_err(err)?;
    }
    // Column labels are written upwards from just above their column.
    let column_style = font(16.0)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (c, label) in columns.iter().enumerate() {
        area.draw_text(
            label,
            &column_style,
            (left + c as i32 * cell_w + cell_w / 2, top - 10),
        )
        .map_err(err)?;
    }
    let cell_font = (cell_h.min(cell_w) as f64 * 0.34).clamp(9.0, 16.0);
    for (r, row) in values.iter().enumerate() {
        for (c, &value) in row.iter().enumerate() {
            let (x, y) = (left + c as i32 * cell_w, top + r as i32 * cell_h);
            if !value.is_finite() {
                // A cell out of the scale (the diagonal of a similarity matrix): light grey.
                area.draw(&Rectangle::new(
                    [(x, y), (x + cell_w, y + cell_h)],
                    RGBColor(235, 235, 235).filled(),
                ))
                .map_err(err)?;
                continue;
            }
            let colour = viridis(value / max);
            area.draw(&Rectangle::new(
                [(x, y), (x + cell_w, y + cell_h)],
                colour.filled(),
            ))
            .map_err(err)?;
            let dark =
                u32::from(colour.0) * 299 + u32::from(colour.1) * 587 + u32::from(colour.2) * 114
                    < 128_000;
            let style = font(cell_font)
                .color(if dark { &WHITE } else { &BLACK })
                .pos(Pos::new(HPos::Center, VPos::Center));
            area.draw_text(
                &format!("{value:.decimals$}"),
                &style,
                (x + cell_w / 2, y + cell_h / 2),
            )
            .map_err(err)?;
        }
    }
    Ok(())
}

/// A dendrogram drawn left to right: leaves on the left in leaf order, merges at their distance.
fn dendrogram<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    labels: &[String],
    order: &[usize],
    merges: &[(usize, usize, f64)],
) -> Drawn {
    let (width, _) = area.dim_in_pixel();
    header(area, title, note)?;
    let n = labels.len();
    let (left, right, top, row) = (300i32, width as i32 - 80, 150i32, 36i32);
    let max = merges.iter().map(|m| m.2).fold(0.0, f64::max).max(1e-9);
    let x_of = |d: f64| left + ((right - left) as f64 * d / max).round() as i32;
    // (y, x) of every node: leaves by their place in `order`, clusters between their children.
    let mut node: Vec<(f64, i32)> = vec![(0.0, left); n + merges.len()];
    let label_style = font(16.0).pos(Pos::new(HPos::Right, VPos::Center));
    for (place, &leaf) in order.iter().enumerate() {
        let y = (top + place as i32 * row + row / 2) as f64;
        node[leaf] = (y, left);
        area.draw_text(&labels[leaf], &label_style, (left - 10, y as i32))
            .map_err(err)?;
    }
    let line = BLUE.stroke_width(2);
    for (step, &(a, b, d)) in merges.iter().enumerate() {
        let x = x_of(d);
        let ((ya, xa), (yb, xb)) = (node[a], node[b]);
        area.draw(&PathElement::new(
            vec![
                (xa, ya as i32),
                (x, ya as i32),
                (x, yb as i32),
                (xb, yb as i32),
            ],
            line,
        ))
        .map_err(err)?;
        node[n + step] = ((ya + yb) / 2.0, x);
    }
    // The distance axis under the tree.
    x_axis(area, (left, right), top + n as i32 * row + 10, max, 4, 2)
}

/// A horizontal axis from `left` to `right` at height `y`, labelled at `ticks` + 1 even steps from 0
/// to `max`, with `decimals`.
fn x_axis<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    (left, right): (i32, i32),
    y: i32,
    max: f64,
    ticks: usize,
    decimals: usize,
) -> Drawn {
    area.draw(&PathElement::new(
        vec![(left, y), (right, y)],
        BLACK.stroke_width(1),
    ))
    .map_err(err)?;
    let tick_style = font(14.0).pos(Pos::new(HPos::Center, VPos::Top));
    for i in 0..=ticks {
        let v = max * i as f64 / ticks as f64;
        let x = left + ((right - left) as f64 * v / max).round() as i32;
        area.draw_text(&format!("{v:.decimals$}"), &tick_style, (x, y + 6))
            .map_err(err)?;
    }
    Ok(())
}

/// Okabe & Ito colours for the six marker kinds, in `MarkerKind` order.
const KIND_COLOURS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(230, 159, 0),
];

/// One row per essay: a line as long as its body paragraphs, a dot and the marker's text at each
/// paragraph that opens with a discourse marker.
fn timeline<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    rows: &[(String, u32, Vec<(u32, &'static str, usize)>)],
) -> Drawn {
    let (width, _) = area.dim_in_pixel();
    header(area, title, note)?;
    let most = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let (left, right, top, row) = (300i32, width as i32 - 80, 160i32, 44i32);
    let x_of = |p: u32| {
        left + ((right - left) as f64 * (f64::from(p) - 0.5) / f64::from(most)).round() as i32
    };
    let label_style = font(16.0).pos(Pos::new(HPos::Right, VPos::Center));
    let tick_style = font(14.0)
        .color(&GREY)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    for p in 1..=most {
        area.draw_text(&p.to_string(), &tick_style, (x_of(p), top - 12))
            .map_err(err)?;
    }
    for (r, (label, paragraphs, hits)) in rows.iter().enumerate() {
        let y = top + r as i32 * row + row / 2;
        area.draw_text(label, &label_style, (left - 10, y))
            .map_err(err)?;
        if *paragraphs > 0 {
            area.draw(&PathElement::new(
                vec![(x_of(1), y), (x_of(*paragraphs), y)],
                RGBColor(200, 200, 200).stroke_width(2),
            ))
            .map_err(err)?;
        }
        for (paragraph, marker, kind) in hits {
            let colour = KIND_COLOURS[*kind % KIND_COLOURS.len()];
            let x = x_of(*paragraph);
            area.draw(&Circle::new((x, y), 7, colour.filled()))
                .map_err(err)?;
            area.draw_text(
                marker,
                &font(15.0)
                    .color(&colour)
                    .pos(Pos::new(HPos::Center, VPos::Bottom)),
                (x, y - 9),
            )
            .map_err(err)?;
        }
    }
    Ok(())
}

/// Small horizontal bar charts in a grid, one per essay.
fn multiples<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    panels: &[(String, Vec<(String, f64)>)],
    columns: usize,
) -> Drawn {
    header(area, title, note)?;
    let body = area.margin(120, 10, 20, 20);
    let rows = panels.len().div_ceil(columns.max(1));
    let cells = body.split_evenly((rows.max(1), columns.max(1)));
    // One scale for every panel, so that bars compare across essays (the note states it).
    let max = shared_max(panels);
    for ((label, bars), cell) in panels.iter().zip(cells) {
        let (w, h) = cell.dim_in_pixel();
        cell.draw_text(label, &font(18.0), (10, 4)).map_err(err)?;
        // Room for the value after the longest bar; every panel's bars as high, however few.
        let (left, right, top) = (110i32, w as i32 - 70, 40i32);
        let row = ((h as i32 - top - 20) / KEYWORDS_PER_PANEL as i32).max(1);
        let label_style = font(15.0).pos(Pos::new(HPos::Right, VPos::Center));
        let value_style = font(13.0).pos(Pos::new(HPos::Left, VPos::Center));
        if bars.is_empty() {
            // An essay in which the method found no keyword (keyness finds none in an essay
            // that uses no word much more than the rest of the corpus does).
            cell.draw_text(
                "本篇无显著关键词",
                &font(15.0).color(&GREY),
                (left, top + row),
            )
            .map_err(err)?;
        }
        for (i, (word, score)) in bars.iter().enumerate() {
            let y = top + i as i32 * row;
            let end = left + ((right - left) as f64 * score / max).round() as i32;
            cell.draw(&Rectangle::new(
                [(left, y + 3), (end.max(left + 1), y + row - 3)],
                BLUE.filled(),
            ))
            .map_err(err)?;
            cell.draw_text(word, &label_style, (left - 8, y + row / 2))
                .map_err(err)?;
            // Scores of a method whose largest is below 1 (TF-IDF's) with three decimals, not
            // all 0.0; one precision for the whole chart.
            let shown = if max < 1.0 {
                format!("{score:.3}")
            } else {
                format!("{score:.1}")
            };
            cell.draw_text(&shown, &value_style, (end.max(left + 1) + 6, y + row / 2))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The largest value of all the panels of small multiples: their shared axis ends there.
fn shared_max(panels: &[(String, Vec<(String, f64)>)]) -> f64 {
    panels
        .iter()
        .flat_map(|(_, bars)| bars.iter().map(|b| b.1))
        .fold(0.0, f64::max)
        .max(1e-9)
}

/// Quartiles by linear interpolation between order statistics (type 7 of Hyndman & Fan 1996,
/// the default of R and numpy).
fn quantile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] as f64 + (h - h.floor()) * (sorted[hi] as f64 - sorted[lo] as f64)
}

/// Box plots, one row per essay, on a shared axis.
fn boxes<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    rows: &[(String, Vec<u64>)],
) -> Drawn {
    let (width, _) = area.dim_in_pixel();
    header(area, title, note)?;
    let max = rows
        .iter()
        .flat_map(|r| r.1.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (left, right, top, row) = (300i32, width as i32 - 60, 140i32, 40i32);
    let x_of = |v: f64| left + ((right - left) as f64 * v / max).round() as i32;
    let label_style = font(16.0).pos(Pos::new(HPos::Right, VPos::Center));
    for (r, (label, values)) in rows.iter().enumerate() {
        let y = top + r as i32 * row + row / 2;
        area.draw_text(label, &label_style, (left - 10, y))
            .map_err(err)?;
        if values.is_empty() {
            continue;
        }
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let (q1, median, q3) = (
            quantile(&sorted, 0.25),
            quantile(&sorted, 0.5),
            quantile(&sorted, 0.75),
        );
        let fence = 1.5 * (q3 - q1);
        let low = sorted
            .iter()
            .map(|&v| v as f64)
            .find(|&v| v >= q1 - fence)
            .unwrap_or(q1);
        let high = sorted
            .iter()
            .rev()
            .map(|&v| v as f64)
            .find(|&v| v <= q3 + fence)
            .unwrap_or(q3);
        let whisker = BLACK.stroke_width(2);
        area.draw(&PathElement::new(
            vec![(x_of(low), y), (x_of(q1), y)],
            whisker,
        ))
        .map_err(err)?;
        area.draw(&PathElement::new(
            vec![(x_of(q3), y), (x_of(high), y)],
            whisker,
        ))
        .map_err(err)?;
        area.draw(&Rectangle::new(
            [(x_of(q1), y - 12), (x_of(q3).max(x_of(q1) + 1), y + 12)],
            ORANGE.mix(0.7).filled(),
        ))
        .map_err(err)?;
        area.draw(&PathElement::new(
            vec![(x_of(median), y - 12), (x_of(median), y + 12)],
            BLACK.stroke_width(3),
        ))
        .map_err(err)?;
        for &v in sorted
            .iter()
            .filter(|&&v| (v as f64) < low || (v as f64) > high)
        {
            area.draw(&Circle::new((x_of(v as f64), y), 4, BLACK.stroke_width(1)))
                .map_err(err)?;
        }
    }
    x_axis(
        area,
        (left, right),
        top + rows.len() as i32 * row + 6,
        max,
        5,
        0,
    )
}

/// Okabe & Ito's palette without its yellow and sky blue, which are too pale on white.
const CLOUD_COLOURS: [RGBColor; 6] = [
    BLUE,
    RGBColor(213, 94, 0),
    GREEN,
    RGBColor(204, 121, 167),
    ORANGE,
    BLACK,
];

/// The words of a cloud in colours taken in turn (the colour means nothing but tells words apart).
fn word_cloud<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    title: &str,
    note: &str,
    cloud: &cloud::Cloud,
) -> Drawn {
    header(area, title, note)?;
    for (i, word) in cloud.placed.iter().enumerate() {
        let style = cloud::style(word.size).color(&CLOUD_COLOURS[i % CLOUD_COLOURS.len()]);
        area.draw_text(&word.word, &style, word.anchor)
            .map_err(err)?;
    }
    Ok(())
}

/// The viridis colour map (van der Walt & Smith, matplotlib), by linear interpolation between five
/// of its colours; perceptually uniform and readable by colour-blind readers.
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let scaled = t * (STOPS.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(STOPS.len() - 2);
    let f = scaled - i as f64;
    let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rasterises one character, black on white, and returns the pixels.
    fn rasterise(text: &str) -> Vec<u8> {
        register_font(None).unwrap();
        let mut buffer = vec![0u8; 64 * 64 * 3];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, (64, 64)).into_drawing_area();
            root.fill(&WHITE).unwrap();
            root.draw_text(text, &font(40.0), (4, 4)).unwrap();
            root.present().unwrap();
        }
        buffer
    }

    fn ink(pixels: &[u8]) -> usize {
        pixels.chunks(3).filter(|p| p[0] < 128).count()
    }

    // The glyphs are real: each character leaves ink, different characters leave different ink,
    // and none of them is what the font draws for a character it lacks (U+9F98 龘 is outside
    // GB2312 and the corpus, so the subset has no glyph for it; its missing glyph is empty).
    #[test]
    fn hanzi_are_drawn_with_their_own_glyphs() {
        let (she, qu, ren, missing) = (
            rasterise("社"),
            rasterise("区"),
            rasterise("人"),
            rasterise("龘"),
        );
        for (name, glyph) in [("社", &she), ("区", &qu), ("人", &ren)] {
            assert!(ink(glyph) > 40, "{name} left {} dark pixels", ink(glyph));
            assert_ne!(glyph, &missing, "{name} is drawn as the missing glyph");
        }
        assert_eq!(ink(&missing), 0);
        assert_ne!(she, qu);
        assert_ne!(qu, ren);
        // 社 has more strokes than 人.
        assert!(ink(&she) > ink(&ren));
    }

    // 區 and 龘 are neither GB2312 nor in the corpus; spaces and ASCII are in the font.
    #[test]
    fn glyphs_the_font_lacks() {
        register_font(None).unwrap();
        assert_eq!(
            missing_glyphs("社區 龘 a1，。")
                .into_iter()
                .collect::<String>(),
            "區龘"
        );
        assert_eq!(
            svg_text("<text x=\"1\">\n社区\n</text><text>a</text>"),
            "\n社区\na"
        );
    }

    // Hyndman & Fan type 7 on 1..=5: quartiles 2, 3, 4; on 1, 2, 3, 4: 1.75, 2.5, 3.25.
    #[test]
    fn quartiles_by_hand() {
        assert_eq!(
            [0.25, 0.5, 0.75].map(|q| quantile(&[1, 2, 3, 4, 5], q)),
            [2.0, 3.0, 4.0]
        );
        assert_eq!(
            [0.25, 0.5, 0.75].map(|q| quantile(&[1, 2, 3, 4], q)),
            [1.75, 2.5, 3.25]
        );
        assert_eq!(quantile(&[], 0.5), 0.0);
    }

    #[test]
    fn viridis_ends() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(f64::NAN), RGBColor(68, 1, 84));
    }
}
