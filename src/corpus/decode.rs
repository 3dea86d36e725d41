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
    /// Set when a forced encoding met invalid bytes, which became U+FFFD.
    pub replaced: bool,
}

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
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            replaced: had_errors,
        });
    }
    if let Some((encoding, len)) = bom {
        return strict(encoding, &bytes[len..]);
    }
    if bytes.contains(&0) {
        // UTF-16 without a BOM has NULs in every ASCII character (a line end is `0A 00`).
        return match utf16_without_bom(bytes) {
            Some(encoding) => strict(encoding, bytes),
            None => Err(DecodeError::Binary),
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: UTF_8.name(),
            replaced: false,
        });
    }
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(prefix, prefix.len() == bytes.len());
    let guess = detector.guess(None, true);
    if guess == GBK || guess == GB18030 || guess == BIG5 {
        strict(guess, bytes)
    } else if let Some(encoding) = utf16_without_bom(bytes) {
        // Chinese UTF-16 without line ends or ASCII has no NUL byte; chardetng calls it
        // windows-1252.
        strict(encoding, bytes)
    } else {
        Err(DecodeError::Undetected {
            guess: guess.name(),
        })
    }
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

fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            replaced: false,
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
        // A binary file is still binary.
        let png = [
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
        ];
        assert_eq!(decode(&png, None).unwrap_err(), DecodeError::Binary);
    }

    #[test]
    fn forced_encoding_replaces_invalid_bytes_and_says_so() {
        let decoded = decode(&[0xE7, 0xA4, b'a'], encoding_for_label("utf-8")).unwrap();
        assert!(decoded.replaced);
        assert!(decoded.text.contains('\u{FFFD}'));
    }
}
