//! The word cloud: a deterministic layout with no overlaps.
//!
//! Words go in order of frequency, largest first. A word's font size grows with the square root of
//! its count, so the area it covers is proportional to the count (down to a smallest readable
//! size). Each word is rasterised once on its own to find its ink box; then, from the centre of the
//! plot, positions along an Archimedean spiral are tried until the box (with a margin) meets no box
//! placed before. A word that fits nowhere is tried smaller, and left out (and counted) when even
//! the smallest size does not fit. Nothing is random, so the same counts give the same picture.
//!
//! The ink boxes are those of the PNG rasteriser. The SVG names the same sizes and places and a
//! browser draws them with its own copy of the font, or another CJK font: close, not exact.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{font, TextScale, FONT_SCALE};

/// A rectangle of pixels, `left..right` × `top..bottom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Rect {
    fn intersects(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    fn contains(&self, other: &Rect) -> bool {
        self.left <= other.left
            && self.top <= other.top
            && other.right <= self.right
            && other.bottom <= self.bottom
    }

    fn shifted(&self, dx: i32, dy: i32) -> Rect {
        Rect {
            left: self.left + dx,
            top: self.top + dy,
            right: self.right + dx,
            bottom: self.bottom + dy,
        }
    }
}

/// One word as drawn: text drawn with `font(size)`, anchored at its left top at `anchor`.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub word: String,
    pub size: f64,
    pub anchor: (i32, i32),
    /// Where its ink is, in the chart's pixels.
    pub ink: Rect,
}

/// A laid-out cloud: the words drawn, how many did not fit, and how many leave no ink (their
/// characters are not in the font).
#[derive(Debug, PartialEq)]
pub struct Cloud {
    pub placed: Vec<Placed>,
    pub dropped: usize,
    pub blank: usize,
}

/// The anchor style every word is drawn and measured with.
pub fn style(size: f64) -> TextStyle<'static> {
    font(size).pos(Pos::new(HPos::Left, VPos::Top))
}

/// The smallest size a word is asked for (the PNG's compensated size draws an em of about 12 px).
const MIN_SIZE: f64 = 15.0;

/// Where `word` at `size` leaves ink, relative to its anchor; `None` when it leaves none.
fn ink_box(word: &str, size: f64) -> Option<Rect> {
    // Room for the widest glyphs and for ascenders and descenders on every side.
    let margin = (size * 2.0).ceil() as u32;
    let width = (word.chars().count() as f64 * size * 1.6).ceil() as u32 + 2 * margin;
    let height = (size * 2.0).ceil() as u32 + 2 * margin;
    let mut buffer = vec![255u8; width as usize * height as usize * 3];
    {
        // Measured as the PNG draws it, whichever backend is being drawn when this runs.
        let _scale = TextScale::set(FONT_SCALE);
        let root = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
        let origin = (margin as i32, margin as i32);
        root.draw_text(word, &style(size).color(&BLACK), origin)
            .ok()?;
        root.present().ok()?;
    }
    let mut ink: Option<Rect> = None;
    for (i, pixel) in buffer.chunks_exact(3).enumerate() {
        if pixel.iter().all(|&c| c == 255) {
            continue;
        }
        let (x, y) = ((i as u32 % width) as i32, (i as u32 / width) as i32);
        let r = ink.get_or_insert(Rect {
            left: x,
            top: y,
            right: x + 1,
            bottom: y + 1,
        });
        r.left = r.left.min(x);
        r.top = r.top.min(y);
        r.right = r.right.max(x + 1);
        r.bottom = r.bottom.max(y + 1);
    }
    ink.map(|r| r.shifted(-(margin as i32), -(margin as i32)))
}

/// The size of the largest word that makes the words' boxes cover about `FILL` of `area`,
/// counting a Han character at size s as an s × s box (its ink is about two thirds of that): words
/// of n characters at sizes M·√(count/top) then cover M²·Σ n·count/top. Kept between 40 and a
/// third of the area's height.
pub fn fitting_size(words: &[(String, u64)], area: Rect) -> f64 {
    const FILL: f64 = 0.55;
    let top = words.iter().map(|w| w.1).max().unwrap_or(0).max(1) as f64;
    let cover: f64 = words
        .iter()
        .map(|(w, c)| w.chars().count() as f64 * *c as f64 / top)
        .sum();
    let pixels = ((area.right - area.left) * (area.bottom - area.top)).max(0) as f64;
    let ceiling = ((area.bottom - area.top) as f64 / 3.0).max(40.0);
    (FILL * pixels / cover.max(1e-9))
        .sqrt()
        .clamp(40.0, ceiling)
}

/// Lays out `words` (word, count; most frequent first) inside `area`; the largest word's size is
/// `max_size`.
pub fn layout(words: &[(String, u64)], area: Rect, max_size: f64) -> Cloud {
    let mut cloud = Cloud {
        placed: Vec::new(),
        dropped: 0,
        blank: 0,
    };
    let Some(top) = words.iter().map(|w| w.1).max().filter(|&c| c > 0) else {
        return cloud;
    };
    // Boxes of the words placed so far, margins included.
    let mut taken: Vec<Rect> = Vec::new();
    let centre = ((area.left + area.right) / 2, (area.top + area.bottom) / 2);
    // The spiral is stretched to the shape of the area, so it fills a wide plot.
    let (width, height) = (
        (area.right - area.left).max(1) as f64,
        (area.bottom - area.top).max(1) as f64,
    );
    let aspect = width / height;
    // The spiral's ellipse of radius r has half-axes r√aspect and r/√aspect; it takes in the
    // corners of the area from r = √(width × height / 2) on.
    let reach = (width * height / 2.0).sqrt();
    // Every word walks the same spiral: its points are computed once, each pixel once.
    let mut points: Vec<(i32, i32)> = spiral(centre, aspect, reach).collect();
    points.dedup();
    for (word, count) in words {
        let mut size = (max_size * (*count as f64 / top as f64).sqrt()).max(MIN_SIZE);
        let placed = loop {
            let Some(ink) = ink_box(word, size) else {
                cloud.blank += 1;
                break None;
            };
            let pad = (size * 0.08).ceil().max(2.0) as i32;
            let padded = Rect {
                left: ink.left - pad,
                top: ink.top - pad,
                right: ink.right + pad,
                bottom: ink.bottom + pad,
            };
            let (w, h) = (padded.right - padded.left, padded.bottom - padded.top);
            // Neighbouring points are mostly blocked by the same word: try that one first.
            let mut blocker = 0;
            if let Some(anchor) = points.iter().find_map(|&(x, y)| {
                // The box centred on the spiral point.
                let anchor = (x - w / 2 - padded.left, y - h / 2 - padded.top);
                let candidate = padded.shifted(anchor.0, anchor.1);
                if !area.contains(&candidate)
                    || taken.get(blocker).is_some_and(|t| t.intersects(&candidate))
                {
                    return None;
                }
                match taken.iter().position(|t| t.intersects(&candidate)) {
                    Some(i) => {
                        blocker = i;
                        None
                    }
                    None => Some(anchor),
                }
            }) {
                taken.push(padded.shifted(anchor.0, anchor.1));
                break Some(Placed {
                    word: word.clone(),
                    size,
                    anchor,
                    ink: ink.shifted(anchor.0, anchor.1),
                });
            }
            if size <= MIN_SIZE {
                cloud.dropped += 1;
                break None;
            }
            size = (size * 0.8).max(MIN_SIZE);
        };
        if let Some(placed) = placed {
            cloud.placed.push(placed);
        }
    }
    cloud
}

/// Points of an Archimedean spiral r = bθ from `centre`, stretched by √aspect along x and shrunk
/// by it along y, at steps of about 3 units of r along the curve, until r passes `reach`.
fn spiral(centre: (i32, i32), aspect: f64, reach: f64) -> impl Iterator<Item = (i32, i32)> {
    // Turns 8 units of r apart: 8√aspect pixels across, 8/√aspect down.
    let b = 8.0 / std::f64::consts::TAU;
    let mut theta = 0.0f64;
    std::iter::from_fn(move || {
        let r = b * theta;
        if r > reach {
            return None;
        }
        let point = (
            centre.0 + (r * aspect.sqrt() * theta.cos()).round() as i32,
            centre.1 + (r / aspect.sqrt() * theta.sin()).round() as i32,
        );
        theta += (3.0 / r.max(3.0)).min(0.5);
        Some(point)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Vec<(String, u64)> {
        // The seed's most frequent non-stopwords with their counts, and a long tail.
        let mut words: Vec<(String, u64)> = [
            ("社区", 230),
            ("疫情", 167),
            ("居民", 117),
            ("工作", 96),
            ("防控", 90),
            ("志愿者", 60),
            ("武汉", 8),
        ]
        .iter()
        .map(|&(w, c)| (w.to_owned(), c))
        .collect();
        for (i, c) in "一二三四五六七八九十百千万亿".chars().enumerate() {
            for d in "甲乙丙丁戊己庚辛".chars() {
                words.push((format!("{c}{d}词"), 40 - i as u64));
            }
        }
        words
    }

    const AREA: Rect = Rect {
        left: 20,
        top: 120,
        right: 1580,
        bottom: 980,
    };

    // Checked by another route than the layout's own boxes: each placed word is drawn alone on a
    // canvas of the chart's size, and no pixel is inked by two words; every word's ink lies inside
    // the plot area and matches the ink box the layout recorded.
    #[test]
    fn no_two_words_share_a_pixel() {
        super::super::register_font(None).unwrap();
        let cloud = layout(&words(), AREA, 150.0);
        assert!(cloud.placed.len() > 80, "{} placed", cloud.placed.len());
        let (width, height) = (1600u32, 1000u32);
        let mut owners = vec![0u8; (width * height) as usize];
        for placed in &cloud.placed {
            let mut buffer = vec![255u8; (width * height * 3) as usize];
            {
                let root =
                    BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
                root.draw_text(
                    &placed.word,
                    &style(placed.size).color(&BLACK),
                    placed.anchor,
                )
                .unwrap();
                root.present().unwrap();
            }
            let (mut left, mut top, mut right, mut bottom) = (i32::MAX, i32::MAX, 0, 0);
            for (i, pixel) in buffer.chunks_exact(3).enumerate() {
                if pixel.iter().all(|&c| c == 255) {
                    continue;
                }
                owners[i] += 1;
                assert!(owners[i] == 1, "{} overlaps another word", placed.word);
                let (x, y) = ((i as u32 % width) as i32, (i as u32 / width) as i32);
                left = left.min(x);
                top = top.min(y);
                right = right.max(x + 1);
                bottom = bottom.max(y + 1);
            }
            let drawn = Rect {
                left,
                top,
                right,
                bottom,
            };
            assert_eq!(drawn, placed.ink, "{}", placed.word);
            assert!(AREA.contains(&drawn), "{} leaves the plot", placed.word);
        }
    }

    #[test]
    fn largest_first_in_the_middle_and_deterministic() {
        super::super::register_font(None).unwrap();
        let cloud = layout(&words(), AREA, 150.0);
        let first = &cloud.placed[0];
        assert_eq!(first.word, "社区");
        assert_eq!(first.size, 150.0);
        // 疫情 has 167/230 of the count: sqrt gives 0.852 of the size, so 0.726 of the area.
        assert!((cloud.placed[1].size - 150.0 * (167.0f64 / 230.0).sqrt()).abs() < 1e-9);
        // The first word sits on the centre of the area.
        let (cx, cy) = ((AREA.left + AREA.right) / 2, (AREA.top + AREA.bottom) / 2);
        assert!(first.ink.left < cx && cx < first.ink.right);
        assert!(first.ink.top < cy && cy < first.ink.bottom);
        assert_eq!(cloud, layout(&words(), AREA, 150.0));
    }

    // A plot too small for every word keeps the largest ones and counts the rest.
    #[test]
    fn words_that_do_not_fit_are_counted() {
        super::super::register_font(None).unwrap();
        let small = Rect {
            left: 0,
            top: 0,
            right: 300,
            bottom: 120,
        };
        let cloud = layout(&words(), small, 80.0);
        assert_eq!(cloud.placed[0].word, "社区");
        assert!(cloud.dropped > 0);
        assert_eq!(
            cloud.placed.len() + cloud.dropped + cloud.blank,
            words().len()
        );
        assert_eq!(cloud.blank, 0);
        assert_eq!(layout(&[], small, 80.0).placed.len(), 0);
    }
}
