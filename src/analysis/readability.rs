//! Readability after Xu, Yao & Chen (徐巍、姚振晔、陈冬华《中文年报可读性：衡量与检验》, 会计研究
//! 2021(3): 28–44; China Journal of Accounting Studies 7(3): 407–437, 2019,
//! doi:10.1080/21697213.2019.1701259): the mean number of characters per clause (r1), the mean
//! over sentences of the share of tokens that are adverbs or conjunctions (r2), and their mean
//! (r3). There are no fitted coefficients; higher means harder.
//!
//! The definition followed is readability_cn 0.2.0's with its jieba provider (PyPI, MIT), so
//! that figures compare: sentences are the text split at runs of `。！？!?；;：:` and the
//! whitespace after them, stripped, empty ones dropped (a line end alone does not end one);
//! clauses are a sentence split at `，；：`; r1 counts every character of a clause; r2 divides
//! a sentence's tokens tagged exactly `c` or `d` by all its tokens, punctuation and whitespace
//! included. Two departures, for essays pasted from the web: half-width `,` splits clauses as
//! `，` does, and empty clauses (`，，`) are dropped rather than counted as 0 characters.
//!
//! The tokens and tags of r2 are those of jieba's posseg (`jieba.posseg.lcut` of the sentence,
//! which readability_cn calls), made by [`super::posseg`] from the essay's one dictionary route: posseg cuts runs of single characters
//! with an HMM of its own (新冠 → 新/冠) and tags them by it (较 d), so the essay's one
//! segmentation, jieba's `cut`, would be off by a little (up to 0.0018 on the bundled essays).

use std::sync::LazyLock;

use regex::Regex;

use super::posseg::Tagged;

/// Where sentences end, as readability_cn's `split_sentences`.
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[。！？!?；;：:]+\s*").expect("valid regex"));

/// The three figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Xu {
    pub r1: f64,
    pub r2: f64,
    pub r3: f64,
}

/// The figures of an essay's `body`, given its posseg tokens ([`super::posseg::cut_both`]; a token
/// belongs to the sentence it starts in: none crosses a sentence end, which is punctuation).
pub fn xu(body: &str, tagged: &[Tagged]) -> Xu {
    let mut clauses = 0u64;
    let mut clause_chars = 0u64;
    let (mut sentences, mut shares) = (0u64, 0.0);
    let mut start = 0;
    let mut t = 0;
    let ends = SENTENCE_END
        .find_iter(body)
        .map(|m| (m.start(), m.end()))
        .chain(std::iter::once((body.len(), body.len())));
    for (end, next) in ends {
        let raw = &body[start..end];
        let sentence = raw.trim();
        let from = (start + (raw.len() - raw.trim_start().len())) as u32;
        let to = from + sentence.len() as u32;
        start = next;
        if sentence.is_empty() {
            continue;
        }
        for clause in sentence.split(['，', '；', '：', ',']) {
            let chars = clause.chars().count() as u64;
            if chars > 0 {
                clauses += 1;
                clause_chars += chars;
            }
        }
        let (mut tokens, mut hits) = (0u32, 0u32);
        while t < tagged.len() && tagged[t].0 < from {
            t += 1;
        }
        while t < tagged.len() && tagged[t].0 < to {
            tokens += 1;
            hits += u32::from(tagged[t].2);
            t += 1;
        }
        sentences += 1;
        if tokens > 0 {
            shares += f64::from(hits) / f64::from(tokens);
        }
    }
    let r1 = if clauses == 0 {
        0.0
    } else {
        clause_chars as f64 / clauses as f64
    };
    let r2 = if sentences == 0 {
        0.0
    } else {
        shares / sentences as f64
    };
    Xu {
        r1,
        r2,
        r3: (r1 + r2) / 2.0,
    }
}

/// Essays shorter than this many words get the `short_text` flag: TTR, MATTR and MTLD are
/// unstable below about 100 words (McCarthy & Jarvis 2010).
pub const SHORT_TEXT_WORDS: u64 = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;

    fn tagged(body: &str) -> Vec<Tagged> {
        let (mut tokens, mut tagged) = (Vec::new(), Vec::new());
        crate::analysis::posseg::cut_both(&Segmenter::new(), body, &mut tokens, &mut tagged);
        tagged
    }

    #[test]
    fn clauses_and_sentences_by_hand() {
        let body = "我们今天去公园，但是下雨了。\n所以回家，,看书！";
        let xu = xu(body, &tagged(body));
        // Clauses: 我们今天去公园 (7), 但是下雨了 (5), 所以回家 (4), 看书 (2); the empty one
        // between ， and , is dropped.
        assert!((xu.r1 - 18.0 / 4.0).abs() < 1e-12);
        // The first sentence: 我们 今天 去 公园 ， 但是 下雨 了 (8 tokens, 但是 c); the second:
        // 所以 回家 ， , 看书 (5 tokens, 所以 c).
        let r2 = (1.0 / 8.0 + 1.0 / 5.0) / 2.0;
        assert!((xu.r2 - r2).abs() < 1e-12, "{xu:?}");
        assert!((xu.r3 - (18.0 / 4.0 + r2) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn an_empty_text_is_zero() {
        assert_eq!(xu("", &[]), Xu::default());
    }
}
