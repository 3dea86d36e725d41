//! The page's font, cut down to the characters the page uses.
//!
//! The charts' font ([`super::charts::EMBEDDED_FONT`], 1.7 MB, CID-keyed CFF) travels with the
//! HTML page so its Chinese shows on a machine without a CJK font. Most of its 7,000-odd glyphs
//! are never drawn by a given page, so the page carries a subset made at run time: glyph 0
//! (`.notdef`), then the glyph of every character of the page that the font maps, with a Unicode
//! `cmap` so a browser accepts it (allsorts' `Minimal` profile keeps the tables a valid OpenType
//! font needs; layout tables are dropped, which Chinese text does not need).

use std::collections::BTreeSet;

use allsorts::binary::read::ReadScope;
use allsorts::font::{Font, MatchingPresentation};
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tables::OpenTypeFont;

/// The font `font` cut down to the characters of `text`, or `None` if the font cannot be read
/// or subset (the caller then embeds it whole).
pub(crate) fn subset_for(font: &[u8], texts: &[&str]) -> Option<Vec<u8>> {
    let file = ReadScope::new(font).read::<OpenTypeFont<'_>>().ok()?;
    let mut mapper = Font::new(file.table_provider(0).ok()?).ok()?;
    // The characters used, as a bit set over every code point (136 KB): a page carries up to
    // 8 MB of essay text, and a tree of chars took seconds to fill from it. Read in code point
    // order, so the same page text gives the same font bytes.
    let mut seen = vec![0u64; (char::MAX as usize >> 6) + 1];
    for c in texts.iter().flat_map(|text| text.chars()) {
        seen[c as usize >> 6] |= 1 << (c as usize & 63);
    }
    let chars = seen.iter().enumerate().flat_map(|(block, &bits)| {
        (0..64)
            .filter(move |b| bits >> b & 1 == 1)
            .filter_map(move |b| char::from_u32((block << 6 | b) as u32))
    });
    let mut glyphs: BTreeSet<u16> = BTreeSet::new();
    for ch in chars.filter(|c| !c.is_control()) {
        let (glyph, _) = mapper.lookup_glyph_index(ch, MatchingPresentation::NotRequired, None);
        if glyph != 0 {
            glyphs.insert(glyph);
        }
    }
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    subset(
        &file.table_provider(0).ok()?,
        &ids,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::EMBEDDED_FONT;

    fn glyph_of(font: &[u8], ch: char) -> u16 {
        let file = ReadScope::new(font).read::<OpenTypeFont<'_>>().unwrap();
        let mut f = Font::new(file.table_provider(0).unwrap()).unwrap();
        f.lookup_glyph_index(ch, MatchingPresentation::NotRequired, None)
            .0
    }

    #[test]
    fn the_subset_maps_the_characters_of_the_text_and_no_others() {
        let text = "社区志愿者 wenxi 2026，疫情。";
        let small = subset_for(EMBEDDED_FONT, &[text]).unwrap();
        assert!(
            small.len() < EMBEDDED_FONT.len() / 20,
            "{} bytes",
            small.len()
        );
        for ch in text.chars().filter(|c| *c != ' ') {
            assert_ne!(glyph_of(&small, ch), 0, "{ch} lost");
        }
        // In the whole font, but not on the page.
        assert_ne!(glyph_of(EMBEDDED_FONT, '海'), 0);
        assert_eq!(glyph_of(&small, '海'), 0);
        // ab_glyph (the charts' renderer) reads it too, and draws the same outline width.
        let whole = ab_glyph::FontRef::try_from_slice(EMBEDDED_FONT).unwrap();
        let part = ab_glyph::FontRef::try_from_slice(&small).unwrap();
        use ab_glyph::Font as _;
        let adv = |f: &ab_glyph::FontRef, c| f.h_advance_unscaled(f.glyph_id(c));
        assert_eq!(adv(&whole, '社'), adv(&part, '社'));
        assert_eq!(
            whole.outline(whole.glyph_id('疫')).map(|o| o.curves.len()),
            part.outline(part.glyph_id('疫')).map(|o| o.curves.len())
        );
    }

    #[test]
    fn the_same_characters_in_any_order_give_the_same_bytes() {
        assert_eq!(
            subset_for(EMBEDDED_FONT, &["甲乙", "丙丁"]).unwrap(),
            subset_for(EMBEDDED_FONT, &["丁丙乙甲甲"]).unwrap()
        );
    }
}
