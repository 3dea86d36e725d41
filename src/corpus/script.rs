//! Traditional Chinese: found per essay and converted to simplified before segmenting, so that
//! jieba's dictionary, the stopwords, the discourse markers, the theme lexicons and the IDF
//! table (all simplified) work on it as on simplified text. Conversion is OpenCC's, by the
//! pure-Rust ferrous-opencc with OpenCC's own dictionaries (phrases first, then characters).
//!
//! Finding: the share of an essay's Han characters that are traditional forms, that is,
//! characters OpenCC's traditional-to-simplified table changes when they stand alone (學, 體,
//! 們). Simplified text has almost none (a few characters are shared forms); traditional text
//! has a fifth to a third. Past [`TRADITIONAL_SHARE`] the essay is traditional. The test of a
//! character is a bit set built once from OpenCC's table, so finding costs one pass over the
//! text and only traditional essays pay for the conversion.

use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

use super::Essay;

/// What to do about traditional characters (`--script`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ScriptChoice {
    /// Find each essay's script; convert the traditional ones.
    #[default]
    Auto,
    /// Every essay is simplified: nothing is converted or looked for.
    Simplified,
    /// Every essay is traditional: all are converted.
    Traditional,
    /// Find each essay's script and say it in essays.csv, but convert nothing.
    Keep,
}

/// OpenCC's conversion to simplified (`--opencc`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Conversion {
    /// Traditional characters and phrases as OpenCC's standard (t2s).
    #[default]
    T2s,
    /// Taiwan usage, its vocabulary too (tw2sp: 軟體 → 软件, 計程車 → 出租车).
    Tw2sp,
    /// Hong Kong forms (hk2s).
    Hk2s,
}

impl Conversion {
    pub fn name(self) -> &'static str {
        match self {
            Conversion::T2s => "t2s",
            Conversion::Tw2sp => "tw2sp",
            Conversion::Hk2s => "hk2s",
        }
    }

    fn config(self) -> BuiltinConfig {
        match self {
            Conversion::T2s => BuiltinConfig::T2s,
            Conversion::Tw2sp => BuiltinConfig::Tw2sp,
            Conversion::Hk2s => BuiltinConfig::Hk2s,
        }
    }

    /// Converts a text: the characters of [`SUPPLEMENT`] first, then OpenCC.
    pub fn convert(self, text: &str) -> String {
        let supplemented: String = text.chars().map(supplement).collect();
        self.converter().convert(&supplemented)
    }

    fn converter(self) -> &'static OpenCC {
        static CONVERTERS: [OnceLock<OpenCC>; 3] =
            [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        CONVERTERS[self as usize].get_or_init(|| {
            OpenCC::from_config(self.config()).expect("OpenCC's built-in configurations load")
        })
    }
}

/// Traditional characters that OpenCC 1.4.2 converts (its `TSCharacters.txt`) and the
/// dictionary of ferrous-opencc 0.4.0 leaves as they are, found by converting every character
/// of the ranges below with both (the C++ library through its Python binding): applied before
/// OpenCC. Three characters go the other way (OpenCC 1.4.2 keeps 甦, 甯 and 礆, which
/// ferrous-opencc makes 苏, 宁 and 硷), the compatibility ideographs U+F900–U+FAFF are left as
/// they are (1.4.2 maps them to the unified ones), and phrases differ here and there (1.4.2
/// makes 沈湎 沉湎, and keeps a 蒐 that ferrous-opencc makes 搜): tests/traditional.rs names
/// what remains on its 300 poems.
const SUPPLEMENT: [(char, char); 14] = [
    ('劄', '札'),
    ('幷', '并'),
    ('扞', '捍'),
    ('拚', '拼'),
    ('搧', '扇'),
    ('擡', '抬'),
    ('牴', '抵'),
    ('箚', '札'),
    ('舖', '铺'),
    ('袷', '夹'),
    ('谿', '溪'),
    ('貍', '狸'),
    ('逕', '径'),
    ('遶', '绕'),
];

fn supplement(c: char) -> char {
    SUPPLEMENT
        .iter()
        .find(|(from, _)| *from == c)
        .map_or(c, |&(_, to)| to)
}

/// The script an essay was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Simplified,
    Traditional,
}

impl Script {
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
        }
    }
}

/// An essay is traditional when at least this share of its Han characters are traditional
/// forms (and at least two are).
pub const TRADITIONAL_SHARE: f64 = 0.05;

/// What was found in an essay and done to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// `None` for an essay without Han characters, or when not looked for.
    pub script: Option<Script>,
    /// Share of its Han characters that are traditional forms.
    pub traditional_share: f64,
    /// Its body (not its title) was converted to simplified.
    pub converted: bool,
}

/// Finds an essay's script and converts its body as `choice` says.
pub fn apply(essay: &mut Essay, choice: ScriptChoice, conversion: Conversion) -> Found {
    if choice == ScriptChoice::Simplified {
        return Found {
            script: None,
            traditional_share: 0.0,
            converted: false,
        };
    }
    let (han, traditional) = count(&essay.body);
    let share = if han == 0 {
        0.0
    } else {
        traditional as f64 / han as f64
    };
    let script = (han > 0).then_some(if traditional >= 2 && share >= TRADITIONAL_SHARE {
        Script::Traditional
    } else {
        Script::Simplified
    });
    let convert = match choice {
        ScriptChoice::Traditional => true,
        ScriptChoice::Auto => script == Some(Script::Traditional),
        _ => false,
    };
    if convert {
        let converted = conversion.convert(&essay.body);
        let original = std::mem::replace(&mut essay.body, converted);
        essay.original =
            (original.chars().count() == essay.body.chars().count()).then_some(original);
    }
    essay.script = script;
    essay.converted = convert;
    Found {
        script,
        traditional_share: share,
        converted: convert,
    }
}

/// Han characters of a text, and how many of them are traditional forms.
fn count(text: &str) -> (usize, usize) {
    let set = traditional_set();
    let (mut han, mut traditional) = (0, 0);
    for c in text.chars() {
        if super::is_han(c) {
            han += 1;
            traditional += usize::from(set.contains(c));
        }
    }
    (han, traditional)
}

/// The characters of the ranges below that OpenCC's t2s changes on their own.
struct CharSet {
    bits: Vec<u64>,
}

/// CJK Unified Ideographs with Extension A, and the compatibility ideographs.
const RANGES: [(u32, u32); 2] = [(0x3400, 0x9FFF), (0xF900, 0xFAFF)];

impl CharSet {
    fn contains(&self, c: char) -> bool {
        let c = c as usize;
        self.bits
            .get(c / 64)
            .is_some_and(|word| word & (1 << (c % 64)) != 0)
    }
}

fn traditional_set() -> &'static CharSet {
    static SET: OnceLock<CharSet> = OnceLock::new();
    SET.get_or_init(|| {
        // Each character on a line of its own, so that no phrase of the table matches across
        // two of them; one conversion of the whole list.
        let chars: Vec<char> = RANGES
            .iter()
            .flat_map(|&(from, to)| (from..=to).filter_map(char::from_u32))
            .collect();
        let list: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
        let converted = Conversion::T2s.convert(&list);
        let mut bits = vec![0u64; 0xFB00 / 64 + 1];
        for (&c, line) in chars.iter().zip(converted.split('\n')) {
            if line.chars().ne(std::iter::once(c)) {
                let i = c as usize;
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        CharSet { bits }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essay(body: &str) -> Essay {
        Essay {
            body: body.into(),
            ..Essay::default()
        }
    }

    #[test]
    fn traditional_forms_are_known() {
        let set = traditional_set();
        for c in ['學', '體', '們', '會', '這', '為'] {
            assert!(set.contains(c), "{c}");
        }
        for c in ['学', '体', '们', '会', '这', '为', '的', '人'] {
            assert!(!set.contains(c), "{c}");
        }
    }

    #[test]
    fn a_traditional_essay_is_found_and_converted() {
        let mut e = essay("許多年輕人參加了志願者服務，他們說總之這是值得的。");
        let found = apply(&mut e, ScriptChoice::Auto, Conversion::T2s);
        assert_eq!(found.script, Some(Script::Traditional));
        assert!(found.converted);
        assert_eq!(e.body, "许多年轻人参加了志愿者服务，他们说总之这是值得的。");

        let mut simplified = essay("许多年轻人参加了志愿者服务。");
        let found = apply(&mut simplified, ScriptChoice::Auto, Conversion::T2s);
        assert_eq!(found.script, Some(Script::Simplified));
        assert_eq!(found.traditional_share, 0.0);
        assert!(!found.converted);

        let mut kept = essay("許多年輕人");
        let found = apply(&mut kept, ScriptChoice::Keep, Conversion::T2s);
        assert_eq!(found.script, Some(Script::Traditional));
        assert_eq!(kept.body, "許多年輕人");

        let mut none = essay("2024, OK.");
        assert_eq!(
            apply(&mut none, ScriptChoice::Auto, Conversion::T2s).script,
            None
        );
    }

    #[test]
    fn taiwan_vocabulary() {
        let mut e = essay("我用軟體寫程式。");
        apply(&mut e, ScriptChoice::Traditional, Conversion::Tw2sp);
        assert_eq!(e.body, "我用软件写程序。");
    }
}
