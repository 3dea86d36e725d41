//! Average reduced frequency (ARF, Savický & Hlaváčová 2002, "Measures of word commonness",
//! Journal of Quantitative Linguistics 9(3): 215–231): a word's frequency discounted for how
//! its occurrences bunch together, with the corpus taken as one sequence of words and no parts.
//!
//! With N words in the corpus, a word of frequency f at positions p_1 < … < p_f, the distances
//! d_1 = p_1 + N − p_f (the corpus read as a circle) and d_i = p_i − p_{i−1}, and v = N / f:
//!
//!   ARF = (1 / v) · Σ min(d_i, v)
//!
//! ARF is f when the occurrences are evenly spaced and falls towards 1 as they bunch into one
//! place; a word seen once has ARF 1.
//!
//! v is known only once the corpus is counted, so every distance must be kept until then. The
//! batches write them to an unnamed temporary file (nothing is left behind even if the process
//! is killed), an essay a record, in corpus order; the end reads the file once, in order, and
//! sums each word's min(d_i, v) as it goes. The positions are those of the words of the essays
//! (the tokens `word_freq` counts), the essays one after another in corpus order, so the sums
//! are the same whatever the thread count or the batch size.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

use super::frequency::{push_varint, read_varint, WordCount, WordIndex};

/// The positions of an essay's words, for the word counts `counts` of `index` (in their order):
/// for each word, its first position among the essay's words and the gap to each next one, as
/// varints.
pub fn essay_positions(index: &WordIndex<'_>, counts: &[WordCount<'_>]) -> Box<[u8]> {
    let words = index.vocab.len();
    // The positions grouped by word (a counting sort), and each word's first byte offset: the
    // words are numbered in order of first occurrence, so those offsets rise with the number.
    let mut start = vec![0u32; words + 1];
    for &id in &index.ids {
        start[id as usize + 1] += 1;
    }
    for w in 0..words {
        start[w + 1] += start[w];
    }
    let mut fill = start.clone();
    let mut positions = vec![0u32; index.ids.len()];
    let mut firsts = vec![u32::MAX; words];
    for (p, (&id, &offset)) in index.ids.iter().zip(&index.offsets).enumerate() {
        let id = id as usize;
        positions[fill[id] as usize] = p as u32;
        fill[id] += 1;
        if firsts[id] == u32::MAX {
            firsts[id] = offset;
        }
    }
    let mut bytes = Vec::with_capacity(index.ids.len() * 2);
    for count in counts {
        let w = firsts.partition_point(|&f| f < count.first);
        debug_assert_eq!(firsts[w], count.first);
        let mut previous = 0;
        for &p in &positions[start[w] as usize..start[w + 1] as usize] {
            push_varint(&mut bytes, p - previous);
            previous = p;
        }
    }
    bytes.into_boxed_slice()
}

/// An essay's record: its words by corpus id (`ids`, in the order of `positions`), each with
/// its count and positions, sorted by id and each id written as its gap from the one before.
pub fn essay_record(ids: &[(u32, u32)], positions: &[u8]) -> Vec<u8> {
    let mut blocks: Vec<(u32, u32, usize, usize)> = Vec::with_capacity(ids.len());
    let mut at = 0;
    for &(id, count) in ids {
        let from = at;
        for _ in 0..count {
            read_varint(positions, &mut at);
        }
        blocks.push((id, count, from, at));
    }
    blocks.sort_unstable_by_key(|b| b.0);
    let mut record = Vec::with_capacity(positions.len() + ids.len() * 3 + 4);
    push_varint(&mut record, ids.len() as u32);
    let mut previous = 0;
    for (id, count, from, to) in blocks {
        push_varint(&mut record, id - previous);
        push_varint(&mut record, count);
        record.extend_from_slice(&positions[from..to]);
        previous = id;
    }
    record
}

/// The essays' records, written as the batches come.
pub struct Positions {
    file: Result<BufWriter<File>, String>,
}

impl Default for Positions {
    fn default() -> Self {
        Positions::new()
    }
}

impl Positions {
    pub fn new() -> Positions {
        Positions {
            file: tempfile::tempfile()
                .map(|f| BufWriter::with_capacity(64 << 10, f))
                .map_err(|e| format!("no temporary file for the word positions: {e}")),
        }
    }

    /// Appends the next essay's [`essay_record`].
    pub fn add(&mut self, record: &[u8]) {
        if let Ok(file) = &mut self.file {
            let written = file
                .write_all(&(record.len() as u32).to_le_bytes())
                .and_then(|()| file.write_all(record));
            if let Err(e) = written {
                self.file = Err(format!("could not write the word positions: {e}"));
            }
        }
    }

    /// Each word id's ARF, from `totals` (each id's count; `total` words in the corpus).
    pub fn finish(self, totals: &[u64], total: u64) -> Result<Vec<f64>, String> {
        let file = self.file?;
        let mut file = file
            .into_inner()
            .map_err(|e| format!("could not write the word positions: {}", e.error()))?;
        file.rewind()
            .map_err(|e| format!("could not read the word positions back: {e}"))?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let n = total as f64;
        let v: Vec<f64> = totals.iter().map(|&f| n / f as f64).collect();
        let mut first = vec![u64::MAX; totals.len()];
        let mut last = vec![0u64; totals.len()];
        let mut sums = vec![0.0f64; totals.len()];
        let mut record = Vec::new();
        let mut length = [0u8; 4];
        // Where the essay's words start in the corpus's sequence of words.
        let mut offset = 0u64;
        loop {
            match reader.read_exact(&mut length) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(format!("could not read the word positions back: {e}")),
            }
            record.resize(u32::from_le_bytes(length) as usize, 0);
            reader
                .read_exact(&mut record)
                .map_err(|e| format!("could not read the word positions back: {e}"))?;
            let mut at = 0;
            let words = read_varint(&record, &mut at);
            let mut id = 0usize;
            let mut essay_words = 0u64;
            for _ in 0..words {
                id += read_varint(&record, &mut at) as usize;
                let count = read_varint(&record, &mut at);
                essay_words += u64::from(count);
                let v = v[id];
                let mut p = offset;
                for k in 0..count {
                    let gap = u64::from(read_varint(&record, &mut at));
                    if k > 0 {
                        p += gap;
                        sums[id] += (gap as f64).min(v);
                    } else {
                        p = offset + gap;
                        if first[id] == u64::MAX {
                            first[id] = p;
                        } else {
                            sums[id] += ((p - last[id]) as f64).min(v);
                        }
                    }
                }
                last[id] = p;
            }
            offset += essay_words;
        }
        // The distance from the last occurrence round to the first, then the sums in units of v.
        for (id, sum) in sums.iter_mut().enumerate() {
            if first[id] != u64::MAX {
                *sum += ((first[id] + total - last[id]) as f64).min(v[id]);
                *sum /= v[id];
            }
        }
        Ok(sums)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::frequency::count_words;

    /// ARF straight from the definition, over the corpus as one sequence of words.
    fn by_definition(sequence: &[&str], word: &str) -> f64 {
        let n = sequence.len();
        let at: Vec<usize> = (0..n).filter(|&i| sequence[i] == word).collect();
        let v = n as f64 / at.len() as f64;
        let mut sum = (at[0] + n - at[at.len() - 1]) as f64;
        sum = sum.min(v);
        for pair in at.windows(2) {
            sum += ((pair[1] - pair[0]) as f64).min(v);
        }
        sum / v
    }

    /// The essays' word sequences through [`essay_positions`], [`essay_record`] and
    /// [`Positions`], with ids given in order of first occurrence in the corpus.
    fn through_records(essays: &[&[&str]]) -> (Vec<String>, Vec<f64>) {
        let mut words: Vec<String> = Vec::new();
        let mut positions = Positions::new();
        let mut totals: Vec<u64> = Vec::new();
        for essay in essays {
            let text = essay.concat();
            let mut tokens = Vec::new();
            let mut at = 0;
            for word in *essay {
                tokens.push(&text[at..at + word.len()]);
                at += word.len();
            }
            let index = WordIndex::new(&tokens, &text);
            let counts = count_words(&index);
            let ids: Vec<(u32, u32)> = counts
                .iter()
                .map(|c| {
                    let id = match words.iter().position(|w| w == c.word) {
                        Some(id) => id,
                        None => {
                            words.push(c.word.to_string());
                            totals.push(0);
                            words.len() - 1
                        }
                    };
                    totals[id] += c.count;
                    (id as u32, c.count as u32)
                })
                .collect();
            positions.add(&essay_record(&ids, &essay_positions(&index, &counts)));
        }
        let total = totals.iter().sum();
        (words, positions.finish(&totals, total).unwrap())
    }

    #[test]
    fn arf_of_a_worked_example() {
        // Nine words: 0 甲, 1 乙, 2 甲, 3 丙 | 4 乙, 5 乙, 6 甲, 7 丁, 8 甲.
        // 甲 at 0, 2, 6, 8: f = 4, v = 9/4; distances 1 (8 round to 0), 2, 4, 2;
        //   Σ min(d, v) = 1 + 2 + 2.25 + 2 = 7.25; ARF = 7.25 / 2.25 = 29/9.
        // 乙 at 1, 4, 5: v = 3; distances 5, 3, 1 → 3 + 3 + 1 = 7; ARF = 7/3.
        // 丙 and 丁, once each: ARF 1.
        let (words, arf) =
            through_records(&[&["甲", "乙", "甲", "丙"], &["乙", "乙", "甲", "丁", "甲"]]);
        let of = |w: &str| arf[words.iter().position(|x| x == w).unwrap()];
        assert!((of("甲") - 29.0 / 9.0).abs() < 1e-12);
        assert!((of("乙") - 7.0 / 3.0).abs() < 1e-12);
        assert_eq!(of("丙"), 1.0);
        assert_eq!(of("丁"), 1.0);
    }

    #[test]
    fn evenly_spaced_words_keep_their_frequency_and_bunched_ones_fall_to_one() {
        // 社区 every third word of twelve: ARF = f = 4. 疫情 at 7, 8, 10, 11: v = 3, distances
        // 8 (round from 11 to 7), 1, 2, 1 → 3 + 1 + 2 + 1 = 7; ARF = 7/3, well under its 4.
        let essays: [&[&str]; 2] = [
            &["社区", "我们", "他们", "社区", "你们", "大家"],
            &["社区", "疫情", "疫情", "社区", "疫情", "疫情"],
        ];
        let (words, arf) = through_records(&essays);
        let of = |w: &str| arf[words.iter().position(|x| x == w).unwrap()];
        assert!((of("社区") - 4.0).abs() < 1e-12);
        assert!((of("疫情") - 7.0 / 3.0).abs() < 1e-12);
        let sequence: Vec<&str> = essays.concat();
        for (word, arf) in words.iter().zip(&arf) {
            assert!(
                (by_definition(&sequence, word) - arf).abs() < 1e-12,
                "{word}"
            );
        }
    }
}
