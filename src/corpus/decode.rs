//! Turning the bytes of a file into text: BOM, binary check, strict UTF-8, then detection.
//!
//! The order matters. Every Big5 file also decodes as GB18030 without a single error, so trying
//! encodings until one succeeds would silently turn traditional text into garbage; the guess comes
//! from chardetng's statistics instead, and only Chinese encodings are accepted from it.

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

/// How many bytes chardetng sees: 64 KiB takes ~20 ms, a whole 13 MB file 3.6 s (NOTES.md).
const DETECT_PREFIX: usize = 64 * 1024;

/// Text decoded from a file, with the name of the encoding it was in.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// What was mended to read a damaged file (stray NUL bytes, a last character cut short,
    /// lines in two encodings, invalid bytes for a forced encoding), said in `files.csv` and on
    /// stderr.
    pub repair: Option<String>,
}

/// NUL bytes taken as strays in text: up to this many whatever the size, or up to one byte in a
/// hundred; binary files (images, archives) have far more.
const STRAY_NULS: usize = 4;
const STRAY_NULS_PER_MILLE: usize = 10;

/// Why a file could not be decoded; the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("looks binary (NUL bytes, no byte-order mark, not UTF-16 text); if it is text, pass --encoding")]
    Binary,
    #[error("encoding not recognised as UTF-8, GBK/GB18030 or Big5 (best guess: {guess}); convert it to UTF-8 or pass --encoding")]
    Undetected { guess: &'static str },
    #[error("not valid {encoding}: the file may be damaged or mix encodings; pass --encoding {label} to read it anyway (invalid bytes become U+FFFD)")]
    Malformed {
        encoding: &'static str,
        label: &'static str,
    },
}

/// Looks up an encoding by its WHATWG label (`gbk`, `big5`, `utf-16le`, ...).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// As [`decode`], taking the bytes: UTF-8 text, the common case, becomes the text without a
/// copy (its BOM, if any, moved out in place), so that a large file is in memory once, not
/// twice, while it is decoded. Anything else is decoded from the bytes as [`decode`] does.
pub fn decode_owned(
    mut bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    // What `decode` does for valid UTF-8: forced to UTF-8, or found by its BOM, or by itself
    // when it holds no NUL byte (text with NULs goes through the stray-NUL and UTF-16 checks).
    let utf8 = match forced {
        Some(encoding) => encoding == UTF_8,
        None => bom || !bytes.contains(&0),
    };
    if utf8 && std::str::from_utf8(&bytes[if bom { 3 } else { 0 }..]).is_ok() {
        if bom {
            bytes.drain(..3);
        }
        let text = String::from_utf8(bytes).expect("checked to be UTF-8");
        return Ok(Decoded {
            text,
            encoding: UTF_8.name(),
            repair: None,
        });
    }
    decode(&bytes, forced)
}

/// Bytes of a file decoded again to name the encoding it reads in (see [`forced_repair`]).
const HINT_PREFIX: usize = 1 << 20;

/// What a forced encoding's invalid bytes did to a file: how many characters became U+FFFD,
/// and, when the file reads without an error in the encoding detection would have chosen, that
/// encoding (a GBK file read with `--encoding utf-8` turns most of its characters into U+FFFD).
fn forced_repair(bytes: &[u8], forced: &'static Encoding, text: &str) -> String {
    let (mut replaced, mut characters) = (0usize, 0usize);
    for c in text.chars() {
        characters += 1;
        replaced += usize::from(c == '\u{FFFD}');
    }
    let mut message = format!(
        "{replaced} of {characters} characters were invalid bytes for the forced encoding {} \
         and were replaced with U+FFFD",
        forced.name()
    );
    // The first MiB, cut at a line end (no trail byte of GBK, Big5 or UTF-8 is 0x0A), tells:
    // the whole of a large file would be decoded again only for this hint.
    let sample = if bytes.len() > HINT_PREFIX {
        let cut = bytes[..HINT_PREFIX]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(HINT_PREFIX, |at| at + 1);
        &bytes[..cut]
    } else {
        bytes
    };
    match decode(sample, None) {
        Ok(detected) if detected.repair.is_none() && detected.encoding != forced.name() => {
            message.push_str(&format!(
                "; the file{} reads without an error as {}: leave --encoding out, or give \
                 --encoding {}",
                if sample.len() < bytes.len() {
                    "'s first MiB"
                } else {
                    ""
                },
                detected.encoding,
                encoding_for_label(detected.encoding).map_or("auto", label_of)
            ));
        }
        _ => message.push_str("; if the file is in another encoding, give that one to --encoding"),
    }
    message
}

/// Decodes `bytes`, forced to `forced` if given, otherwise detected.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    let bom = Encoding::for_bom(bytes);
    if let Some(encoding) = forced {
        // A BOM of the forced encoding is not text.
        let body = match bom {
            Some((bom_encoding, len)) if bom_encoding == encoding => &bytes[len..],
            _ => bytes,
        };
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        let repair = had_errors.then(|| forced_repair(bytes, encoding, &text));
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            repair,
        });
    }
    if let Some((encoding, len)) = bom {
        // After a UTF-8 BOM, lines of another source pasted in (`copy /b a.txt+b.txt`) are
        // told from damage before damage is assumed.
        return strict(encoding, &bytes[len..]).or_else(|err| {
            cut_short(encoding, &bytes[len..])
                .or_else(|| {
                    (encoding == UTF_8)
                        .then(|| mixed_lines(&bytes[len..]))
                        .flatten()
                })
                .or_else(|| few_bad(encoding, &bytes[len..]))
                .ok_or(err)
        });
    }
    if bytes.contains(&0) {
        // UTF-16 without a BOM has NULs in every ASCII character (a line end is `0A 00`).
        if let Some(encoding) = utf16_without_bom(bytes) {
            return utf16_read(encoding, bytes);
        }
        return without_stray_nuls(bytes);
    }
    detected(bytes)
}

/// Text without a BOM or NUL bytes: strict UTF-8, else the encoding chardetng guesses among
/// the Chinese ones; a file damaged at its end or made of two encodings is mended.
fn detected(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let invalid = match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text: text.to_owned(),
                encoding: UTF_8.name(),
                repair: None,
            })
        }
        Err(err) => err,
    };
    // Valid UTF-8 up to an incomplete last character: a file cut short.
    if invalid.error_len().is_none() && !bytes[..invalid.valid_up_to()].is_ascii() {
        if let Some(decoded) = cut_short(UTF_8, bytes) {
            return Ok(decoded);
        }
    }
    let guessed = guess(bytes);
    if is_chinese(guessed) {
        return strict(guessed, bytes).or_else(|err| {
            cut_short(guessed, bytes)
                .or_else(|| mixed_lines(bytes))
                .or_else(|| a_few_bad_bytes(bytes))
                .ok_or(err)
        });
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        // Chinese UTF-16 without line ends or ASCII has no NUL byte; chardetng calls it
        // windows-1252.
        return utf16_read(encoding, bytes);
    }
    // chardetng says windows-1252 for GBK whose last character is cut, and for UTF-8 followed
    // by GBK (NOTES.md): look again without the last bytes, then line by line.
    (1..=3)
        .filter(|&k| bytes.len() > k)
        .find_map(|k| {
            let trimmed = guess(&bytes[..bytes.len() - k]);
            is_chinese(trimmed)
                .then(|| cut_short(trimmed, bytes))
                .flatten()
        })
        .or_else(|| mixed_lines(bytes))
        .or_else(|| a_few_bad_bytes(bytes))
        .ok_or(DecodeError::Undetected {
            guess: guessed.name(),
        })
}

/// Invalid sequences allowed in a file read despite them: one in 200 of its characters that
/// are not ASCII. A file in another encoding than the one tried has far more (UTF-8 rejects
/// nearly every byte of GBK), so this mends damage, not a wrong guess.
const BAD_PER_NON_ASCII: usize = 200;

/// `bytes` in `encoding` but for a few invalid byte sequences (see [`BAD_PER_NON_ASCII`]):
/// decoded with U+FFFD in their place, and said so.
fn few_bad(encoding: &'static Encoding, bytes: &[u8]) -> Option<Decoded> {
    let (text, bad, _) = lossy(encoding, bytes);
    let non_ascii = text
        .chars()
        .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
        .count();
    (bad > 0 && bad * BAD_PER_NON_ASCII <= non_ascii).then(|| Decoded {
        text,
        encoding: encoding.name(),
        repair: Some(format!(
            "{bad} invalid byte sequence(s) in otherwise valid {} text replaced with U+FFFD \
             (a damaged file?)",
            encoding.name()
        )),
    })
}

/// Text in UTF-8, GBK/GB18030 or Big5 but for a few invalid byte sequences (a damaged disk or
/// copy, one byte changed): chardetng rules an encoding out at its first invalid sequence, so
/// such a file was said to be in no encoding at all and skipped whole. UTF-8 is taken if it has
/// few enough invalid sequences; otherwise each invalid GB18030 sequence is replaced by `?`
/// and chardetng asked again, and a Chinese encoding it then names is taken if it has few.
fn a_few_bad_bytes(bytes: &[u8]) -> Option<Decoded> {
    few_bad(UTF_8, bytes).or_else(|| {
        let (_, _, marked) = lossy(GB18030, bytes);
        let encoding = guess(&marked);
        is_chinese(encoding)
            .then(|| few_bad(encoding, bytes))
            .flatten()
    })
}

/// `bytes` decoded as `encoding`, each invalid sequence becoming U+FFFD; with how many there
/// were, and the bytes with each invalid sequence's bytes replaced by `?`.
fn lossy(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize, Vec<u8>) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let room = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut text = String::with_capacity(room);
    let mut marked = bytes.to_vec();
    let (mut at, mut bad) = (0usize, 0usize);
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut text, true);
        at += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => text.reserve(bytes.len() - at + 16),
            encoding_rs::DecoderResult::Malformed(length, after) => {
                let end = at.saturating_sub(usize::from(after));
                let start = end.saturating_sub(usize::from(length));
                marked[start..end].fill(b'?');
                text.push('\u{FFFD}');
                bad += 1;
            }
        }
    }
    text.shrink_to_fit();
    (text, bad, marked)
}

fn is_chinese(encoding: &'static Encoding) -> bool {
    encoding == GBK || encoding == GB18030 || encoding == BIG5
}

/// chardetng's guess on the first [`DETECT_PREFIX`] bytes.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(prefix, prefix.len() == bytes.len());
    detector.guess(None, true)
}

/// Valid `encoding` but for its last one to three bytes (a character cut short by a truncated
/// download or copy): decoded, the broken character becoming U+FFFD.
fn cut_short(encoding: &'static Encoding, bytes: &[u8]) -> Option<Decoded> {
    (1..=3).filter(|&k| bytes.len() > k).find_map(|k| {
        let (body, tail) = bytes.split_at(bytes.len() - k);
        let text = encoding.decode_without_bom_handling_and_without_replacement(body)?;
        // The tail must be the start of a character, not more text in another encoding.
        let (rest, errors) = encoding.decode_without_bom_handling(tail);
        if !errors || rest.chars().any(|c| c != '\u{FFFD}') {
            return None;
        }
        Some(Decoded {
            text: format!("{text}\u{FFFD}"),
            encoding: encoding.name(),
            repair: Some(format!(
                "the last character is cut short ({k} byte(s) of an incomplete {} character \
                 at the end, a truncated file?): replaced with U+FFFD",
                encoding.name()
            )),
        })
    })
}

/// A file whose lines are each valid UTF-8 or valid GBK/GB18030 (or Big5), with some of both
/// that are not plain ASCII: two sources pasted together. Decoded line by line.
///
/// A line that is valid UTF-8 only through two-byte sequences (U+0080–U+07FF: Latin, Greek,
/// Cyrillic letters), has no ASCII letter, and reads in the other encoding as common Chinese
/// characters is taken as the other encoding, in a file that has lines in it: two GBK bytes
/// often make one such sequence (女, `C5 AE`, reads as UTF-8 `Ů`), while pinyin and accented
/// words (`shì`, `Café`) come with ASCII letters. A line invalid as UTF-8
/// whose valid part is mostly characters of three bytes (Chinese) is damaged UTF-8, not GBK,
/// which gives almost none: its invalid sequences become U+FFFD. A file of UTF-8 lines some
/// of them damaged, and no other encoding, is UTF-8 read despite the damage.
fn mixed_lines(bytes: &[u8]) -> Option<Decoded> {
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    let two_byte_only =
        |line: &str| !line.is_ascii() && line.chars().all(|c| c.is_ascii() || c < '\u{0800}');
    let chinese = |text: &str| {
        text.chars()
            .all(|c| c.is_ascii() || crate::analysis::levels::is_common(c) || is_cjk_mark(c))
    };
    // A line that is UTF-8 with a few invalid sequences: its lossy text and how many.
    let damaged = |line: &[u8]| -> Option<(String, usize)> {
        let (text, bad, _) = lossy(UTF_8, line);
        let wide = text
            .chars()
            .filter(|&c| c >= '\u{0800}' && c != '\u{FFFD}')
            .count();
        (bad > 0 && wide >= 4 * bad).then_some((text, bad))
    };
    let other: Vec<u8> = lines
        .iter()
        .filter(|line| std::str::from_utf8(line).is_err() && damaged(line).is_none())
        .flat_map(|line| line.iter().copied())
        .collect();
    // Big5 only when chardetng says so and those lines read as Big5; otherwise GB18030, which
    // reads every GBK file.
    let encoding = if !other.is_empty()
        && guess(&other) == BIG5
        && BIG5
            .decode_without_bom_handling_and_without_replacement(&other)
            .is_some()
    {
        BIG5
    } else {
        GB18030
    };
    let (mut text, mut utf8, mut legacy, mut bad) =
        (String::with_capacity(bytes.len()), 0, 0, 0usize);
    for line in &lines {
        // Only beside lines in the other encoding, and never a line with Latin letters
        // (pinyin, a French word: è, é read as GBK are common characters too, 茅, 矛).
        let legacy_too = |utf8: &str| {
            (!other.is_empty()
                && two_byte_only(utf8)
                && !utf8.chars().any(|c| c.is_ascii_alphabetic()))
            .then(|| encoding.decode_without_bom_handling_and_without_replacement(line))
            .flatten()
            .filter(|text| chinese(text))
        };
        match std::str::from_utf8(line) {
            Ok(utf8_line) => match legacy_too(utf8_line) {
                Some(read) => {
                    text.push_str(&read);
                    legacy += 1;
                }
                None => {
                    utf8 += usize::from(!utf8_line.is_ascii());
                    text.push_str(utf8_line);
                }
            },
            Err(_) => match damaged(line) {
                Some((read, n)) => {
                    text.push_str(&read);
                    utf8 += 1;
                    bad += n;
                }
                None => {
                    let read =
                        encoding.decode_without_bom_handling_and_without_replacement(line)?;
                    // A short damaged UTF-8 line (`谢谢！` missing a byte) can read as GB18030
                    // too, as rare characters (阿璋紒): with a Chinese character of UTF-8 left in
                    // it, it is damaged UTF-8 unless the GB18030 reading is mostly common
                    // characters. (Big5 reads as traditional ones, which that list lacks.)
                    let (lossy_text, n, _) = lossy(UTF_8, line);
                    let wide = lossy_text
                        .chars()
                        .any(|c| c >= '\u{0800}' && c != '\u{FFFD}');
                    if encoding == GB18030 && wide && !mostly_common(&read) {
                        text.push_str(&lossy_text);
                        utf8 += 1;
                        bad += n;
                    } else {
                        text.push_str(&read);
                        legacy += 1;
                    }
                }
            },
        }
    }
    if utf8 == 0 {
        return None;
    }
    let damage = (bad > 0).then(|| {
        format!(
            "{bad} invalid byte sequence(s) in otherwise valid UTF-8 text replaced with U+FFFD \
             (a damaged file?)"
        )
    });
    if legacy == 0 {
        return damage.map(|repair| Decoded {
            text,
            encoding: UTF_8.name(),
            repair: Some(repair),
        });
    }
    let mixed = format!(
        "mixed encodings, read line by line: {utf8} line(s) of UTF-8 and {legacy} of {}",
        encoding.name()
    );
    Some(Decoded {
        text,
        encoding: "mixed",
        repair: Some(match damage {
            Some(damage) => format!("{mixed}; {damage}"),
            None => mixed,
        }),
    })
}

/// Whether at least four in five of a text's Han characters are among the 3,500 common ones
/// (running Chinese text: over 99%), and it has one.
fn mostly_common(text: &str) -> bool {
    let (mut han, mut common) = (0usize, 0usize);
    for c in text.chars().filter(|&c| super::is_han(c)) {
        han += 1;
        common += usize::from(crate::analysis::levels::is_common(c));
    }
    han > 0 && common * 5 >= han * 4
}

/// CJK and full-width punctuation, which Chinese text in any encoding has beside its Han
/// characters.
fn is_cjk_mark(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '\u{2010}'..='\u{206F}')
}

/// NUL bytes in what is otherwise text (a few: see [`STRAY_NULS`]): dropped, with a note. More
/// of them, or what is left not text, is a binary file.
fn without_stray_nuls(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    if nuls > STRAY_NULS && nuls * 1000 > bytes.len() * STRAY_NULS_PER_MILLE {
        return Err(DecodeError::Binary);
    }
    let kept: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
    // Other control characters than tab, line ends and form feed also mark binary data.
    if kept
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
    {
        return Err(DecodeError::Binary);
    }
    let mut decoded = detected(&kept).map_err(|_| DecodeError::Binary)?;
    let note = format!("{nuls} stray NUL byte(s) removed");
    decoded.repair = Some(match decoded.repair {
        Some(other) => format!("{note}; {other}"),
        None => note,
    });
    Ok(decoded)
}

/// UTF-16 without a BOM, recognised when nearly every code unit of the prefix (95%) is one that
/// Chinese text is made of: ASCII, CJK punctuation and ideographs, full-width forms, general
/// punctuation. GBK or binary data read as UTF-16 falls far below that.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 2 || bytes.len() % 2 != 0 {
        return None;
    }
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let plausible = |unit: u16| matches!(unit, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x2000..=0x206F | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF);
    [(UTF_16LE, false), (UTF_16BE, true)]
        .into_iter()
        .find_map(|(encoding, big_endian)| {
            let units = prefix.chunks_exact(2).map(|pair| {
                let pair = [pair[0], pair[1]];
                if big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            });
            let good = units.filter(|&unit| plausible(unit)).count();
            (good * 100 >= prefix.len() / 2 * 95).then_some(encoding)
        })
}

/// UTF-16 recognised without a BOM, read as with one: a last unit cut short or a few bad
/// units (a lone surrogate) are mended, said in its repair.
fn utf16_read(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    strict(encoding, bytes).or_else(|err| {
        cut_short(encoding, bytes)
            .or_else(|| few_bad(encoding, bytes))
            .ok_or(err)
    })
}

fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            repair: None,
        }),
        None => Err(DecodeError::Malformed {
            encoding: encoding.name(),
            label: label_of(encoding),
        }),
    }
}

fn label_of(encoding: &'static Encoding) -> &'static str {
    match encoding.name() {
        "GBK" => "gbk",
        "gb18030" => "gb18030",
        "Big5" => "big5",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        _ => "utf-8",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "疫情期间，社区居民守望相助。";

    /// Taking the bytes changes nothing but the copy: the same text, encoding, repair note or
    /// error as [`decode`] on every kind of input, forced or not.
    #[test]
    fn decoding_owned_bytes_equals_decoding_borrowed_ones() {
        let bom = |prefix: &[u8], body: &[u8]| [prefix, body].concat();
        let (gbk, _, _) = GBK.encode(TEXT);
        let (big5, _, _) = BIG5.encode("疫情期間，社區居民守望相助，共同度過難關。");
        let utf16: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut cut = TEXT.as_bytes().to_vec();
        cut.pop();
        let inputs: Vec<Vec<u8>> = vec![
            TEXT.as_bytes().to_vec(),
            bom(b"\xEF\xBB\xBF", TEXT.as_bytes()),
            bom(b"\xEF\xBB\xBF", b""),
            Vec::new(),
            bom(TEXT.as_bytes(), b"\0\0"),
            bom(b"\xEF\xBB\xBF", &bom(TEXT.as_bytes(), b"\0")),
            gbk.to_vec(),
            big5.to_vec(),
            bom(b"\xFF\xFE", &utf16),
            utf16.clone(),
            cut,
            bom(TEXT.as_bytes(), &bom(b"\n", &gbk)),
            vec![0xFF, 0x00, 0x13, 0x37],
        ];
        let shown = |d: Result<Decoded, DecodeError>| match d {
            Ok(d) => format!("{:?} {} {:?}", d.text, d.encoding, d.repair),
            Err(e) => format!("error {e}"),
        };
        for bytes in &inputs {
            for forced in [None, Some(UTF_8), Some(GBK), Some(UTF_16LE)] {
                assert_eq!(
                    shown(decode_owned(bytes.clone(), forced)),
                    shown(decode(bytes, forced)),
                    "{bytes:?} forced {forced:?}"
                );
            }
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(TEXT.as_bytes(), None).unwrap();
        assert_eq!((plain.text.as_str(), plain.encoding), (TEXT, "UTF-8"));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(TEXT.as_bytes());
        assert_eq!(decode(&with_bom, None).unwrap().text, TEXT);
    }

    #[test]
    fn gbk_and_big5_are_told_apart() {
        let (gbk, _, _) = GBK.encode(TEXT);
        let decoded = decode(&gbk, None).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.encoding), (TEXT, "GBK"));
        let traditional = "疫情期間，社區居民守望相助，共同度過難關。";
        let (big5, _, _) = BIG5.encode(traditional);
        // The trap: Big5 bytes decode as GBK without an error.
        assert!(GBK
            .decode_without_bom_handling_and_without_replacement(&big5)
            .is_some());
        let decoded = decode(&big5, None).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (traditional, "Big5")
        );
    }

    #[test]
    fn utf16_needs_a_bom_or_a_forced_encoding() {
        let mut le = vec![0xFF, 0xFE];
        for unit in TEXT.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&le, None).unwrap().text, TEXT);
        // Without a BOM, with and without line ends (NUL bytes).
        assert_eq!(decode(&le[2..], None).unwrap().encoding, "UTF-16LE");
        let with_newline: Vec<u8> = le[2..].iter().copied().chain([b'\n', 0]).collect();
        assert_eq!(
            decode(&with_newline, None).unwrap().text,
            format!("{TEXT}\n")
        );
        let be: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be, None).unwrap().encoding, "UTF-16BE");
        let forced = decode(&le[2..], encoding_for_label("utf-16le")).unwrap();
        assert_eq!(forced.text, TEXT);
        // A lone surrogate amid UTF-16 without a BOM is mended as with one, said in the repair.
        let mut damaged: Vec<u8> = format!("{TEXT}\n")
            .repeat(60)
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        damaged.splice(4..4, [0x00, 0xD8]);
        let mended = decode(&damaged, None).unwrap();
        assert_eq!(mended.encoding, "UTF-16LE");
        assert_eq!(mended.text.matches('\u{FFFD}').count(), 1);
        assert!(mended.repair.is_some());
        // A binary file is still binary.
        let png = [
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
        ];
        assert_eq!(decode(&png, None).unwrap_err(), DecodeError::Binary);
    }

    #[test]
    fn a_gbk_line_that_is_also_utf8_is_read_as_gbk_among_mixed_lines() {
        let utf8 = "第一行是从网页复制的统一码文字。\n";
        let gbk = "第二行是国标码。\n女\n";
        let mut bytes = utf8.as_bytes().to_vec();
        bytes.extend_from_slice(&GBK.encode(gbk).0);
        // 女 in GBK (C5 AE) is valid UTF-8 by itself (Ů).
        assert_eq!(std::str::from_utf8(&GBK.encode("女").0).unwrap(), "Ů");
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, format!("{utf8}{gbk}"));
        assert_eq!(decoded.encoding, "mixed");
    }

    #[test]
    fn damaged_utf8_is_not_read_as_gbk_and_pinyin_is_not_gbk() {
        let long = LONG.repeat(20);
        // One byte deleted inside a character: what is left of the line could read as GB18030.
        let mut deleted = long.as_bytes().to_vec();
        deleted.remove(101);
        let decoded = decode(&deleted, None).unwrap();
        assert_eq!(decoded.encoding, "UTF-8", "{:?}", decoded.repair);
        assert_eq!(decoded.text, String::from_utf8_lossy(&deleted));
        // With a BOM, as Notepad saves UTF-8.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(long.as_bytes());
        bom[200] = 0xFF;
        let decoded = decode(&bom, None).unwrap();
        assert!(decoded.repair.unwrap().contains("otherwise valid UTF-8"));
        // A pinyin line (two-byte UTF-8 letters) among UTF-8 and GBK lines stays pinyin.
        let mut mixed = "第一行是统一码。\nwǒ de jiā xiāng\n".as_bytes().to_vec();
        mixed.extend_from_slice(&GBK.encode("第三行是国标码。\n").0);
        let decoded = decode(&mixed, None).unwrap();
        assert_eq!(
            decoded.text,
            "第一行是统一码。\nwǒ de jiā xiāng\n第三行是国标码。\n"
        );
    }

    #[test]
    fn a_short_damaged_utf8_line_after_a_bom_is_not_read_as_gbk() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(LONG.as_bytes());
        let thanks = "谢谢！\n".as_bytes();
        bytes.extend_from_slice(&thanks[1..]);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.encoding, "UTF-8", "{:?}", decoded.repair);
        assert!(decoded.text.ends_with("谢！\n"), "{}", decoded.text);
    }

    #[test]
    fn a_few_bad_bytes_are_mended_in_the_encoding_of_the_rest() {
        let long = LONG.repeat(20);
        // UTF-8 with one byte changed to 0xFF.
        let mut utf8 = long.as_bytes().to_vec();
        utf8[100] = 0xFF;
        let decoded = decode(&utf8, None).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        // Every character but the damaged one is as written: compared with the standard
        // library's own lossy decoding (a changed continuation byte leaves its character's
        // other bytes invalid too).
        let expected = String::from_utf8_lossy(&utf8);
        assert_eq!(decoded.text, expected);
        let bad = expected.matches('\u{FFFD}').count();
        let repair = decoded.repair.unwrap();
        assert!(
            repair.starts_with(&format!(
                "{bad} invalid byte sequence(s) in otherwise valid UTF-8"
            )),
            "{repair}"
        );
        // GBK with one trail byte broken (a lead byte then a line end).
        let mut gbk = GBK.encode(&long).0.into_owned();
        let lead = gbk.iter().position(|&b| b >= 0x81).unwrap() + 40;
        let lead = lead - (lead % 2 == 1) as usize;
        assert!(gbk[lead] >= 0x81);
        gbk[lead + 1] = 0x0A;
        let decoded = decode(&gbk, None).unwrap();
        assert_eq!(decoded.encoding, "GBK", "{:?}", decoded.repair);
        assert!(decoded.repair.unwrap().contains("otherwise valid GBK"));
        let (expected, _, _) = GBK.decode(&gbk);
        assert_eq!(decoded.text, expected);
        // Latin-1 text is still no Chinese encoding.
        let latin: Vec<u8> = "caf\u{e9} r\u{e9}sum\u{e9} na\u{ef}ve d\u{e9}j\u{e0} vu "
            .repeat(50)
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
        assert!(decode(&latin, None).is_err());
    }

    #[test]
    fn forced_encoding_replaces_invalid_bytes_and_says_so() {
        let decoded = decode(&[0xE7, 0xA4, b'a'], encoding_for_label("utf-8")).unwrap();
        let repair = decoded.repair.unwrap();
        assert!(repair.contains("forced encoding UTF-8"), "{repair}");
        assert!(repair.starts_with("1 of 2 characters"), "{repair}");
        assert!(decoded.text.contains('\u{FFFD}'));
        // GBK forced to UTF-8: the message names the encoding the file reads in.
        let (gbk, _, _) = GBK.encode(LONG);
        let decoded = decode(&gbk, encoding_for_label("utf-8")).unwrap();
        let repair = decoded.repair.unwrap();
        assert!(repair.contains("reads without an error as GBK"), "{repair}");
        assert!(repair.contains("--encoding gbk"), "{repair}");
    }

    const LONG: &str = "疫情期间，社区居民守望相助，志愿者们挨家挨户送去蔬菜和药品。\n大家都说，这是一个温暖的冬天。\n";

    #[test]
    fn a_few_stray_nuls_are_dropped_with_a_note() {
        let mut bytes = LONG.as_bytes().to_vec();
        bytes.insert(9, 0);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, LONG);
        assert_eq!(
            decoded.repair.as_deref(),
            Some("1 stray NUL byte(s) removed")
        );
        // Many NULs (an image, an archive) are still binary.
        let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
        zip.extend_from_slice(LONG.as_bytes());
        assert_eq!(decode(&zip, None).unwrap_err(), DecodeError::Binary);
    }

    #[test]
    fn a_file_cut_inside_its_last_character_is_read() {
        let (gbk, _, _) = GBK.encode(LONG.trim_end());
        let cut = &gbk[..gbk.len() - 1];
        let decoded = decode(cut, None).unwrap();
        let expected: String = LONG
            .trim_end()
            .chars()
            .take(LONG.trim_end().chars().count() - 1)
            .collect();
        assert_eq!(decoded.text, format!("{expected}\u{FFFD}"));
        assert_eq!(decoded.encoding, "GBK");
        assert!(decoded.repair.unwrap().contains("cut short"));
        let utf8 = LONG.trim_end().as_bytes();
        let decoded = decode(&utf8[..utf8.len() - 2], None).unwrap();
        assert_eq!(decoded.text, format!("{expected}\u{FFFD}"));
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn utf8_then_gbk_is_read_line_by_line() {
        let second = "第二部分是从另一个网页复制来的，用的是国标码。\n";
        let mut bytes = LONG.as_bytes().to_vec();
        bytes.extend_from_slice(&GBK.encode(second).0);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, format!("{LONG}{second}"));
        assert_eq!(decoded.encoding, "mixed");
        assert_eq!(
            decoded.repair.as_deref(),
            Some("mixed encodings, read line by line: 2 line(s) of UTF-8 and 1 of gb18030")
        );
    }
}
