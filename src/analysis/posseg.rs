//! Part-of-speech segmentation as Python jieba's `jieba.posseg.cut` (jieba 0.42.1) does it, for
//! xu_r2, which readability_cn computes from `pseg.lcut(sentence)`.
//!
//! posseg takes the same dictionary route as `jieba.cut`, but treats a run of single-character
//! route pieces that is not itself a dictionary word with an HMM of its own, over (position,
//! tag) states, which both cuts the run and tags it (新冠 → 新/冠, with tags the dictionary does
//! not give). jieba-rs has no such cut, so it is built here: the route from jieba-rs's cut without
//! HMM, the runs and the rules of posseg's `__cut_DAG`, `__cut_detail` and `__cut_internal`, and
//! the Viterbi search of `jieba/posseg/viterbi.py` over its tables (`data/jieba-posseg.txt`, made
//! by `data/make_posseg.py`; MIT, see `data/LICENSE-jieba`), ties broken as Python's `max` over
//! (probability, state) breaks them.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::segment::Segmenter;

/// posseg's stand-in for a missing emission (`MIN_FLOAT`); a missing transition is −∞.
const MIN_FLOAT: f64 = -3.14e100;

/// The HMM's tables, states numbered in Python's order of (position, tag).
struct Model {
    /// By state: its position (b'B', b'M', b'E' or b'S') and tag.
    states: Vec<(u8, &'static str)>,
    start: Vec<f64>,
    /// `trans[to * n + from]`, −∞ where there is none: by the state gone to, so that a step's
    /// predecessors of a state are read from one row (the search reads them so).
    trans: Vec<f64>,
    /// By state: whether it has any transition out.
    leads: Vec<bool>,
    /// By state: the states it may go to, as a set.
    next: Vec<States>,
    /// By state: the states that may come before it.
    before: Vec<States>,
    /// By character: (state, emission), by state.
    emit: FxHashMap<char, Vec<(u16, f64)>>,
    /// By character: the states it may take (all states for a character not listed).
    char_states: FxHashMap<char, States>,
}

/// A set of the 256 states.
#[derive(Clone, Copy, Default, PartialEq)]
struct States([u64; 4]);

impl States {
    const ALL: States = States([u64::MAX; 4]);

    fn insert(&mut self, state: u16) {
        self.0[usize::from(state >> 6)] |= 1 << (state & 63);
    }

    fn and(self, other: States) -> States {
        States(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    fn or(self, other: States) -> States {
        States(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// The states, smallest first.
    fn iter(self) -> impl Iterator<Item = u16> {
        (0..4usize).flat_map(move |i| {
            let mut word = self.0[i];
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros();
                    word &= word - 1;
                    (i as u16) << 6 | bit as u16
                })
            })
        })
    }
}

static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::parse(include_str!("data/jieba-posseg.txt")));

impl Model {
    fn parse(text: &'static str) -> Model {
        let float = |s: &str| -> f64 {
            match s {
                "-inf" => f64::NEG_INFINITY,
                s => s.parse().expect("a log-probability"),
            }
        };
        let mut states = Vec::new();
        let mut start = Vec::new();
        for line in text.lines().filter(|l| l.starts_with("S ")) {
            let mut parts = line[2..].split(' ');
            let position = parts.next().expect("position").as_bytes()[0];
            let tag = parts.next().expect("tag");
            states.push((position, tag));
            start.push(float(parts.next().expect("start")));
        }
        let n = states.len();
        let mut model = Model {
            states,
            start,
            trans: vec![f64::NEG_INFINITY; n * n],
            leads: vec![false; n],
            next: vec![States::default(); n],
            before: vec![States::default(); n],
            emit: FxHashMap::default(),
            char_states: FxHashMap::default(),
        };
        for line in text.lines() {
            let mut parts = line.split(' ');
            let kind = parts.next();
            if kind == Some("S") {
                continue;
            }
            let head = parts.next().expect("a state or character");
            match kind {
                Some("T") => {
                    let from: usize = head.parse().expect("a state");
                    for pair in parts {
                        let (to, p) = pair.split_once(':').expect("to:p");
                        let to: u16 = to.parse().expect("a state");
                        model.trans[usize::from(to) * n + from] = float(p);
                        model.next[from].insert(to);
                        model.before[usize::from(to)].insert(from as u16);
                        model.leads[from] = true;
                    }
                }
                Some("E") => {
                    let state: u16 = head.parse().expect("a state");
                    for pair in parts {
                        let (c, p) = pair.split_once(':').expect("c:p");
                        let c = c.chars().next().expect("a character");
                        model.emit.entry(c).or_default().push((state, float(p)));
                    }
                }
                Some("C") => {
                    let c = head.chars().next().expect("a character");
                    let mut states = States::default();
                    for state in parts {
                        states.insert(state.parse().expect("a state"));
                    }
                    model.char_states.insert(c, states);
                }
                _ => {}
            }
        }
        assert_eq!(n, 256, "posseg's 4 positions × 64 tags");
        model
    }

    /// The emissions of character `c`, by state.
    fn emissions(&self, c: char) -> &[(u16, f64)] {
        self.emit.get(&c).map_or(&[], Vec::as_slice)
    }

    /// The states of the most probable path over `chars`, as `jieba/posseg/viterbi.py` finds
    /// it: its first step takes the character's states (all, for one not listed); each next
    /// step the character's states that the last step's states lead to (or all they lead to, if
    /// none; or all states), each reached from the predecessor maximising (probability, state).
    fn viterbi(&self, chars: &[char]) -> Vec<u16> {
        let n = self.states.len();
        let states_of = |c: char| self.char_states.get(&c).copied().unwrap_or(States::ALL);
        // The probabilities of this step's states (those in `present`), and for each step the
        // state before each of its states.
        let mut v = vec![f64::NEG_INFINITY; n];
        let mut w = vec![f64::NEG_INFINITY; n];
        let mut back = vec![u16::MAX; chars.len() * n];
        let mut present = states_of(chars[0]);
        let row = self.emissions(chars[0]);
        for y in present.iter() {
            v[usize::from(y)] = self.start[usize::from(y)] + emission(row, y);
        }
        for (t, &c) in chars.iter().enumerate().skip(1) {
            let mut prev = States::default();
            let mut expected = States::default();
            for y0 in present.iter().filter(|&y0| self.leads[usize::from(y0)]) {
                prev.insert(y0);
                expected = expected.or(self.next[usize::from(y0)]);
            }
            let Some(last_prev) = prev.iter().last() else {
                break;
            };
            let mut now = states_of(c).and(expected);
            if now.is_empty() {
                now = if expected.is_empty() {
                    States::ALL
                } else {
                    expected
                };
            }
            // `now` and the row both go by state: one walk finds each emission.
            let mut row = self.emissions(c).iter().peekable();
            for y in now.iter() {
                while row.next_if(|&&(s, _)| s < y).is_some() {}
                let emit = row
                    .peek()
                    .filter(|&&&(s, _)| s == y)
                    .map_or(MIN_FLOAT, |&&(_, e)| e);
                // Over the predecessors with a transition to `y`; the others add −∞, which
                // wins only a tie of −∞, where the largest state wins.
                let mut best: Option<(f64, u16)> = None;
                let into = &self.trans[usize::from(y) * n..][..n];
                for y0 in self.before[usize::from(y)].and(prev).iter() {
                    let p = v[usize::from(y0)] + into[usize::from(y0)] + emit;
                    // Predecessors come smallest first: the later wins a tie.
                    if p > f64::NEG_INFINITY && best.is_none_or(|(q, _)| p >= q) {
                        best = Some((p, y0));
                    }
                }
                let best = best.unwrap_or((f64::NEG_INFINITY, last_prev));
                w[usize::from(y)] = best.0;
                back[t * n + usize::from(y)] = best.1;
            }
            std::mem::swap(&mut v, &mut w);
            present = now;
        }
        // The last step's best state, the larger on a tie.
        let mut state = present.iter().next().unwrap_or(0);
        for y in present.iter() {
            if v[usize::from(y)] >= v[usize::from(state)] {
                state = y;
            }
        }
        let mut route = vec![0u16; chars.len()];
        for i in (0..chars.len()).rev() {
            route[i] = state;
            if i > 0 {
                state = back[i * n + usize::from(state)];
            }
        }
        route
    }
}

/// The emission of `state` in a character's `row`, `MIN_FLOAT` where it has none.
fn emission(row: &[(u16, f64)], state: u16) -> f64 {
    row.binary_search_by_key(&state, |&(s, _)| s)
        .map_or(MIN_FLOAT, |i| row[i].1)
}

/// The characters of posseg's blocks (`re_han_internal`).
fn in_block(c: char) -> bool {
    ('\u{4E00}'..='\u{9FD5}').contains(&c) || c.is_ascii_alphanumeric() || "+#&._".contains(c)
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FD5}').contains(&c)
}

/// Hands each token of `text` and its tag to `emit`, as `jieba.posseg.cut(text)` gives them.
pub fn each_tag<'a>(segmenter: &'a Segmenter, text: &'a str, mut emit: impl FnMut(&'a str, &str)) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = rest
            .char_indices()
            .find(|&(_, d)| in_block(d) != in_block(c))
            .map_or(rest.len(), |(i, _)| i);
        let (chunk, after) = rest.split_at(len);
        rest = after;
        if in_block(c) {
            block(segmenter, chunk, &mut emit);
        } else {
            // Outside blocks every character is a token tagged x, but for `\r\n`, one token.
            let mut chars = chunk.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let end = match (c, chars.peek()) {
                    ('\r', Some(&(j, '\n'))) => {
                        chars.next();
                        j + 1
                    }
                    _ => i + c.len_utf8(),
                };
                emit(&chunk[i..end], "x");
            }
        }
    }
}

/// `__cut_DAG`: the dictionary route of a block, its runs of single characters taken together.
fn block<'a>(segmenter: &'a Segmenter, block: &'a str, emit: &mut dyn FnMut(&'a str, &str)) {
    posseg_of(segmenter, block, &route(segmenter, block), emit);
}

/// A route piece: (start, end, dictionary tag).
type Piece<'a> = (usize, usize, &'a str);

/// The dictionary route of `text`, the pieces' dictionary tags (x for a piece not in the
/// dictionary, where jieba-rs would guess one): jieba-rs's cut without HMM, but for runs of
/// single ASCII letters and digits, which it joins: those are single pieces again.
fn route<'a>(segmenter: &'a Segmenter, text: &'a str) -> Vec<Piece<'a>> {
    let jieba = segmenter.jieba();
    let tag_of = |word: &str, tag: &'a str| if segmenter.has_word(word) { tag } else { "x" };
    let mut pieces = Vec::new();
    for tag in jieba.tag(text, false) {
        let word = &text[tag.byte_start..tag.byte_end];
        let joined = word.len() > 1
            && word.bytes().all(|b| b.is_ascii_alphanumeric())
            && !segmenter.has_word(word);
        if joined {
            for i in tag.byte_start..tag.byte_end {
                let single = &text[i..i + 1];
                pieces.push((i, i + 1, tag_of(single, jieba.tag(single, false)[0].tag)));
            }
        } else {
            pieces.push((tag.byte_start, tag.byte_end, tag_of(word, tag.tag)));
        }
    }
    pieces
}

/// [`route`] for [`cut_both`], which needs to know of a piece's tag only whether it is c or d:
/// the same pieces, tagged "c" for a dictionary word tagged c or d and "x" for any other.
/// jieba-rs's cut gives the same pieces as its tag, without looking up each piece's tag (or
/// guessing one, with an HMM, for a piece the dictionary lacks, which [`route`] then throws
/// away).
fn route_c_or_d<'a>(segmenter: &Segmenter, text: &'a str) -> Vec<Piece<'a>> {
    let tag_of = |word: &str| {
        if segmenter.tags_c_or_d(word) {
            "c"
        } else {
            "x"
        }
    };
    let mut pieces = Vec::new();
    for token in segmenter.jieba().cut(text, false) {
        let word = token.word;
        let joined = word.len() > 1
            && word.bytes().all(|b| b.is_ascii_alphanumeric())
            && !segmenter.has_word(word);
        if joined {
            for i in token.byte_start..token.byte_end {
                pieces.push((i, i + 1, tag_of(&text[i..i + 1])));
            }
        } else {
            pieces.push((token.byte_start, token.byte_end, tag_of(word)));
        }
    }
    pieces
}

/// posseg's tokens of `text` from its route: outside blocks a token each, tagged x (jieba-rs
/// keeps `\r\n` one piece, as posseg does); a piece of more than one character as it is; a run
/// of single pieces inside a block as single characters if it is one or a word, else by
/// [`detail`].
fn posseg_of<'a>(
    segmenter: &Segmenter,
    text: &'a str,
    pieces: &[Piece<'a>],
    emit: &mut dyn FnMut(&'a str, &str),
) {
    let first = |&(start, _, _): &Piece<'_>| text[start..].chars().next().unwrap_or(' ');
    let single = |&(start, end, _): &Piece<'_>| text[start..end].chars().count() == 1;
    let mut i = 0;
    while i < pieces.len() {
        let (start, end, tag) = pieces[i];
        if !in_block(first(&pieces[i])) || !single(&pieces[i]) {
            let tag = if in_block(first(&pieces[i])) {
                tag
            } else {
                "x"
            };
            emit(&text[start..end], tag);
            i += 1;
            continue;
        }
        let from = i;
        while i < pieces.len() && single(&pieces[i]) && in_block(first(&pieces[i])) {
            i += 1;
        }
        let run = &text[pieces[from].0..pieces[i - 1].1];
        if i - from == 1 || segmenter.has_word(run) {
            for &(start, end, tag) in &pieces[from..i] {
                emit(&text[start..end], tag);
            }
        } else {
            detail(run, emit);
        }
    }
}

/// The characters of `jieba.cut`'s blocks (`re_han_default`): posseg's and `%`, `-`.
fn in_cut_block(c: char) -> bool {
    in_block(c) || c == '%' || c == '-'
}

/// A posseg token of a text: its byte range, and whether it is tagged `c` or `d`.
pub type Tagged = (u32, u32, bool);

/// Cuts `text` once for both: appends jieba's `cut` (with HMM; whitespace left out) to
/// `tokens`, as [`Segmenter::segment_into`] does, and posseg's tokens to `tagged`, byte ranges
/// of `text`, as [`each_tag`] gives them. Both share the dictionary route, which is the costly
/// part: jieba-rs's cut without HMM gives it, and each takes the runs of single characters
/// its own way (`cut` through jieba's HMM, posseg through its own). A route piece holding `%`
/// or `-` (which end posseg's blocks but not `cut`'s) sends `text` to [`each_tag`] alone.
pub fn cut_both<'a>(
    segmenter: &'a Segmenter,
    text: &'a str,
    tokens: &mut Vec<crate::segment::Token<'a>>,
    tagged: &mut Vec<Tagged>,
) {
    let jieba = segmenter.jieba();
    let tokens_from = tokens.len();
    let pieces = route_c_or_d(segmenter, text);
    let first = |&(start, _, _): &Piece<'_>| text[start..].chars().next().unwrap_or(' ');
    let single = |&(start, end, _): &Piece<'_>| text[start..end].chars().count() == 1;
    // jieba's cut: a run of single pieces inside a block is a word, or single characters, or
    // goes through the HMM (`cut` of the run alone takes the same route, so cuts it the same).
    let mut i = 0;
    while i < pieces.len() {
        if !in_cut_block(first(&pieces[i])) || !single(&pieces[i]) {
            let (start, end, _) = pieces[i];
            if !text[start..].starts_with(char::is_whitespace) {
                tokens.push(&text[start..end]);
            }
            i += 1;
            continue;
        }
        let from = i;
        while i < pieces.len() && single(&pieces[i]) && in_cut_block(first(&pieces[i])) {
            i += 1;
        }
        let run = &text[pieces[from].0..pieces[i - 1].1];
        if i - from == 1 || segmenter.has_word(run) {
            tokens.extend(
                pieces[from..i]
                    .iter()
                    .map(|&(start, end, _)| &text[start..end]),
            );
        } else {
            tokens.extend(jieba.cut(run, true).into_iter().map(|t| t.word));
        }
    }
    crate::segment::join_full_width(text, tokens, tokens_from);
    // posseg's cut of the same route (xu_r2 follows Python's posseg, full-width letters one by
    // one).
    let base = text.as_ptr() as usize;
    let mut push = |word: &str, tag: &str| {
        let start = (word.as_ptr() as usize - base) as u32;
        tagged.push((start, start + word.len() as u32, tag == "c" || tag == "d"));
    };
    let odd = pieces
        .iter()
        .any(|&(start, end, _)| end - start > 1 && text[start..end].contains(['%', '-']));
    if odd {
        each_tag(segmenter, text, push);
        return;
    }
    posseg_of(segmenter, text, &pieces, &mut push);
}

/// `__cut_detail`: a run of single characters that is no word. Han characters go through the
/// HMM; numbers are m, letters and digits eng, anything else x.
fn detail<'t>(run: &'t str, emit: &mut dyn FnMut(&'t str, &str)) {
    let mut rest = run;
    while let Some(c) = rest.chars().next() {
        let len = rest
            .char_indices()
            .find(|&(_, d)| is_han(d) != is_han(c))
            .map_or(rest.len(), |(i, _)| i);
        let (chunk, after) = rest.split_at(len);
        rest = after;
        if is_han(c) {
            hmm(chunk, emit);
            continue;
        }
        // `([\.0-9]+|[a-zA-Z0-9]+)` and what lies between its matches.
        let bytes = chunk.as_bytes();
        let mut i = 0;
        let mut other = 0;
        while i < bytes.len() {
            let numeric = |b: u8| b == b'.' || b.is_ascii_digit();
            let run_of = |from: usize, f: &dyn Fn(u8) -> bool| {
                (from..bytes.len())
                    .find(|&j| !f(bytes[j]))
                    .unwrap_or(bytes.len())
            };
            let end = if numeric(bytes[i]) {
                run_of(i, &numeric)
            } else if bytes[i].is_ascii_alphanumeric() {
                run_of(i, &|b: u8| b.is_ascii_alphanumeric())
            } else {
                i += chunk[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            };
            if other < i {
                emit(&chunk[other..i], "x");
            }
            let tag = if numeric(bytes[i]) { "m" } else { "eng" };
            emit(&chunk[i..end], tag);
            i = end;
            other = end;
        }
        if other < bytes.len() {
            emit(&chunk[other..], "x");
        }
    }
}

/// `__cut`: a run of Han characters cut and tagged by the HMM's most probable path.
fn hmm<'t>(run: &'t str, emit: &mut dyn FnMut(&'t str, &str)) {
    // The same runs come back again and again (的是, 了我): their cuts are kept, a thread's
    // own, (start, end, state) a word, and forgotten all at once past a size.
    thread_local! {
        static CUTS: std::cell::RefCell<FxHashMap<Box<str>, Words>> =
            Default::default();
    }
    const KEPT: usize = 1 << 16;
    let model = &*MODEL;
    let words = CUTS.with_borrow_mut(|cuts| {
        if let Some(words) = cuts.get(run) {
            return words.clone();
        }
        let words = hmm_words(model, run);
        if cuts.len() >= KEPT {
            cuts.clear();
        }
        cuts.insert(run.into(), words.clone());
        words
    });
    for &(start, end, state) in words.iter() {
        emit(
            &run[start as usize..end as usize],
            model.states[usize::from(state)].1,
        );
    }
}

/// The words of [`hmm`]: (start, end, state whose tag it takes).
type Words = Box<[(u32, u32, u16)]>;

fn hmm_words(model: &Model, run: &str) -> Words {
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let letters: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    let route = model.viterbi(&letters);
    let at = |i: usize| chars.get(i).map_or(run.len(), |&(b, _)| b) as u32;
    // As posseg reads the path: B opens a word, E ends the word last opened, S is a word, M
    // goes on; a word left open at the end takes the state after the last word.
    let mut words = Vec::new();
    let (mut begin, mut next) = (0, 0);
    for (i, &state) in route.iter().enumerate() {
        match model.states[usize::from(state)].0 {
            b'B' => begin = i,
            b'E' => {
                words.push((at(begin), at(i + 1), state));
                next = i + 1;
            }
            b'S' => {
                words.push((at(i), at(i + 1), state));
                next = i + 1;
            }
            _ => {}
        }
    }
    if next < chars.len() {
        words.push((at(next), run.len() as u32, route[next]));
    }
    words.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    static SEGMENTER: LazyLock<Segmenter> = LazyLock::new(Segmenter::new);

    fn cut(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        each_tag(&SEGMENTER, text, |w, t| {
            out.push((w.to_owned(), t.to_owned()))
        });
        out
    }

    #[test]
    fn the_tables_load() {
        let model = &*MODEL;
        assert_eq!(model.states.len(), 256);
        assert_eq!(model.states[0], (b'B', "a"));
        assert!(model.char_states.len() > 6000);
    }

    /// Against Python jieba's `posseg.lcut` (tests/fixtures/posseg, with the command that made
    /// it): the same tokens with the same tags, on every sentence of the bundled corpus, 300
    /// poems and a few texts made for posseg's corners.
    #[test]
    fn cuts_and_tags_as_python_posseg() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/posseg/cases.jsonl"
        );
        let cases = std::fs::read_to_string(path).unwrap();
        let mut hmm_tags = 0;
        for line in cases.lines() {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = case["text"].as_str().unwrap();
            let want: Vec<(String, String)> = case["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| (t[0].as_str().unwrap().into(), t[1].as_str().unwrap().into()))
                .collect();
            let got = cut(text);
            assert_eq!(got, want, "{text}");
            hmm_tags += want.iter().filter(|(w, t)| w == "较" && t == "d").count();
        }
        assert!(cases.lines().count() > 500);
        assert!(hmm_tags > 0);
    }

    /// One cut for both gives jieba-rs's `cut` tokens and [`each_tag`]'s posseg tokens, on the
    /// posseg fixture's texts, the bundled corpus whole and the jieba fixture's essays.
    #[test]
    fn one_cut_gives_both() {
        let root = env!("CARGO_MANIFEST_DIR");
        let cases = std::fs::read_to_string(format!("{root}/tests/fixtures/posseg/cases.jsonl"));
        let mut texts: Vec<String> = cases
            .unwrap()
            .lines()
            .map(|l| {
                let case: serde_json::Value = serde_json::from_str(l).unwrap();
                case["text"].as_str().unwrap().to_owned()
            })
            .collect();
        texts.push(
            std::fs::read_to_string(format!("{root}/corpus/epidemic-community-essays.txt"))
                .unwrap(),
        );
        for entry in std::fs::read_dir(format!("{root}/tests/fixtures/jieba/essays")).unwrap() {
            texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        texts.push("50%的人-说 A-B 测试，\r\n  好".to_owned());
        let segmenter = &*SEGMENTER;
        for text in &texts {
            let (mut tokens, mut tagged) = (Vec::new(), Vec::new());
            cut_both(segmenter, text, &mut tokens, &mut tagged);
            assert_eq!(tokens, segmenter.segment(text), "{text}");
            let mut want = Vec::new();
            let base = text.as_ptr() as usize;
            each_tag(segmenter, text, |w, t| {
                let start = (w.as_ptr() as usize - base) as u32;
                want.push((start, start + w.len() as u32, t == "c" || t == "d"));
            });
            assert_eq!(tagged, want, "{text}");
        }
    }

    /// The route cut_both takes has the pieces of posseg's route, and tags a piece c exactly
    /// where jieba-rs's tag is c or d; a word a user dictionary adds tagged d counts too.
    #[test]
    fn the_route_of_c_or_d_is_the_route() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut texts = vec![
            std::fs::read_to_string(format!("{root}/corpus/epidemic-community-essays.txt"))
                .unwrap(),
            "50%的人-说 A-B 测试，\r\n  好 abc123 因此而且非常".to_owned(),
        ];
        for entry in std::fs::read_dir(format!("{root}/tests/fixtures/jieba/essays")).unwrap() {
            texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        let check = |segmenter: &Segmenter, text: &str| {
            let want: Vec<(usize, usize, bool)> = route(segmenter, text)
                .into_iter()
                .map(|(start, end, tag)| (start, end, tag == "c" || tag == "d"))
                .collect();
            let got: Vec<(usize, usize, bool)> = route_c_or_d(segmenter, text)
                .into_iter()
                .map(|(start, end, tag)| (start, end, tag == "c"))
                .collect();
            assert_eq!(got, want, "{text}");
            want.iter().filter(|p| p.2).count()
        };
        let found: usize = texts.iter().map(|t| check(&SEGMENTER, t)).sum();
        assert!(found > 100, "{found} pieces tagged c or d");
        let dir = tempfile::tempdir().unwrap();
        let dict = dir.path().join("user.txt");
        std::fs::write(&dict, "格外地 5 d\n因此 5 n\n").unwrap();
        let mut segmenter = Segmenter::new();
        segmenter.load_user_dict(&dict).unwrap();
        assert!(segmenter.tags_c_or_d("格外地") && segmenter.tags_c_or_d("因此"));
        check(&segmenter, "他格外地高兴，因此笑了。");
    }

    #[test]
    fn tokens_cover_the_text() {
        let text = "新冠疫情期间，2020年5.5%的居民\r\n在家abc学习C++。";
        let tokens = cut(text);
        assert_eq!(
            tokens.iter().map(|(w, _)| w.as_str()).collect::<String>(),
            text
        );
        assert!(tokens.contains(&("\r\n".to_owned(), "x".to_owned())));
    }
}
