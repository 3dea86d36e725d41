//! Splitting a compiled page (`…篇一`, `…篇二`, …) into essays, and dropping web junk lines.

use std::sync::LazyLock;

use regex::Regex;

use crate::error::Result;

/// A title line of a compiled page, with a number `N` in Chinese numerals or digits: short text
/// ending in `篇N` (`疫情心得体会篇三`); `【篇N】` alone or before a title (`【篇一】我的老师`);
/// `篇N` alone or followed by a colon or space and a title (`篇一`, `篇二：我的同学`, `篇3: 春`);
/// `第N篇` alone or followed by a separator and a title (`第一篇 我的老师`, `第2篇：春`); `作文N`
/// or `范文N`, alone or with a title (`范文3：我的妈妈`).
///
/// `篇N` and `【篇N】` must open the line, and `篇N` be followed by nothing, a colon or a space:
/// `篇一讲的是我的妈妈，她很辛苦。` is a paragraph. A line opening so that reads as a sentence
/// (`篇一：今天我学会了骑自行车。`) is refused after the match (see `Splitter::is_title`).
pub const DEFAULT_TITLE_PATTERN: &str = concat!(
    r"^(?:\S.{0,39}篇(?:[一二三四五六七八九十百零〇两]{1,4}|[0-9０-９]{1,4})[:：]?",
    r"|【篇(?:[一二三四五六七八九十百零〇两]{1,4}|[0-9０-９]{1,4})】(?:\s*\S.{0,39})?",
    r"|篇(?:[一二三四五六七八九十百零〇两]{1,4}|[0-9０-９]{1,4})(?:[\s:：]+\S.{0,39}|\s*[:：])?",
    r"|第(?:[一二三四五六七八九十百零〇两]{1,4}|[0-9０-９]{1,4})篇(?:[\s:：、.．]+\S.{0,39})?",
    r"|(?:作文|范文)(?:[一二三四五六七八九十百零〇两]{1,4}|[0-9０-９]{1,4})(?:[\s:：、.．]+\S.{0,39})?",
    r")$"
);

/// A one-essay file's first line is its title when it is at most this many characters, ends
/// without sentence punctuation and more lines follow (`我的妈妈`).
const MAX_TITLE_CHARS: usize = 24;

/// Button labels and navigation scraped along with a page; a line that is exactly one of these
/// belongs to no essay.
const JUNK_LINES: &[&str] = &[
    "一键复制",
    "复制",
    "点击复制",
    "复制全文",
    "全文复制",
    "复制本文",
    "收藏",
    "分享",
    "分享到",
    "打印",
    "举报",
    "返回顶部",
    "展开全文",
    "阅读全文",
    "查看全文",
    "展开",
    "收起",
    "加载更多",
    "点击查看",
    "上一页",
    "下一页",
    "首页",
    "返回首页",
    "返回列表",
    "关闭",
    "点赞",
    "评论",
    "相关推荐",
    "相关文章",
    "猜你喜欢",
    "热门推荐",
    "热门文章",
    "免费下载",
    "下载文档",
    "下载本文",
    "立即下载",
    "本文已影响人",
];

/// Line openings of navigation and boilerplate lines.
const JUNK_PREFIXES: &[&str] = &[
    "上一篇",
    "下一篇",
    "本文链接",
    "原文链接",
    "原文地址",
    "本文来源",
    "文章来源",
    "版权声明",
    "责任编辑",
];

/// Marks of a site's footer that no essay writes: the copyright sign, a licence or filing number
/// (`京ICP备12345678号`, `京ICP证…`, `京公网安备…`). A line holding one is junk wherever it is.
const FOOTER_MARKS: &[&str] = &["©", "ICP备", "ICP证", "公网安备"];

/// [`FOOTER_MARKS`] and the words of a copyright line (`版权所有`, `Copyright` in any case): one
/// search of each line, the closer look only for the few it finds.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"©|ICP备|ICP证|公网安备|版权所有|版权归|(?i:copyright)").expect("valid regex")
});

/// `Copyright` followed by a year (`Copyright 2006-2023`, `Copyright © 2023`).
static COPYRIGHT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"copyright\s*(?:©|\(c\))?\s*\d{4}").expect("valid regex"));

/// Labels ending the heading of a page's list of links to other pages
/// (`【我的老师作文（精选10篇）】相关文章：`, `【猜你喜欢】`).
const RELATED_LABELS: &[&str] = &[
    "相关文章",
    "相关推荐",
    "相关阅读",
    "推荐阅读",
    "猜你喜欢",
    "热门文章",
    "热门推荐",
];

/// A line of a list of links is at most this many characters (`1.我的老师作文300字`).
const MAX_LINK_CHARS: usize = 40;

/// The heading of a list of links is at most this many characters: it may repeat the page's
/// long title (`【2023年社区疫情防控工作心得体会范文（精选10篇）】相关文章：`).
const MAX_RELATED_HEADING_CHARS: usize = 60;

/// One essay cut out of a file; `title` is `None` when the file is a single essay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEssay {
    pub title: Option<String>,
    /// Paragraphs, one a line, without blank lines.
    pub body: String,
}

/// What splitting one file gave.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Split {
    pub essays: Vec<RawEssay>,
    /// Non-empty lines before the first title of a compiled page.
    pub preamble_lines: usize,
    /// Lines dropped as web junk: buttons and navigation, copyright and filing-number footers,
    /// and a list of links to related pages after the last essay.
    pub junk_lines: usize,
    /// Lines that matched the title pattern.
    pub title_lines: usize,
    /// A one-essay file whose first line was taken as its title.
    pub first_line_title: bool,
    /// Title lines of a compiled page with no text under them before the next title (a table
    /// of contents listing 篇一 … 篇十 before the essays): no essay.
    pub empty_titles: usize,
}

/// Decides whether a file is a compiled page and cuts it at its title lines.
#[derive(Debug, Clone)]
pub struct Splitter {
    title: Regex,
    /// Title lines needed before a file counts as a compiled page: two for the built-in pattern
    /// (one line that happens to end in `篇一` is not a page of essays), one for a user's pattern.
    min_titles: usize,
    /// Whether a line opening with `篇N` or `【篇N】` that reads as a sentence is refused as a
    /// title: so for the built-in pattern, whose forms a paragraph may open with; a user's
    /// pattern is taken as written.
    refuse_marker_sentences: bool,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter {
            title: Regex::new(DEFAULT_TITLE_PATTERN).expect("valid regex"),
            min_titles: 2,
            refuse_marker_sentences: true,
        }
    }
}

impl Splitter {
    /// A splitter whose title lines match `pattern` as a whole: the whole trimmed line must
    /// match, as if the pattern were anchored with `^…$` (`老师` matches the line `老师` only).
    pub fn with_pattern(pattern: &str) -> Result<Self> {
        Ok(Splitter {
            title: Regex::new(&format!("^(?:{pattern})$"))?,
            min_titles: 1,
            refuse_marker_sentences: false,
        })
    }

    /// A title line: the pattern matches it whole. Of the built-in forms, a line opening with
    /// `篇N` or `【篇N】` is still refused when it holds a full stop or semicolon or ends in a
    /// comma (`篇一：今天我学会了骑自行车，我很开心。` opens a paragraph); a title may end in
    /// `！` or `？` (`篇二：老师，您辛苦了！`).
    fn is_title(&self, line: &str) -> bool {
        if !self.title.is_match(line) {
            return false;
        }
        let opens_with_marker = line.starts_with('篇') || line.starts_with("【篇");
        !(self.refuse_marker_sentences
            && opens_with_marker
            && (line.contains(['。', '；', ';'])
                || line
                    .trim_end_matches(crate::analysis::structure::is_closer)
                    .ends_with(['，', ',', '、'])))
    }

    /// Where a list of links to related pages starts when it ends the text: the first of the
    /// last lines that are link headings (`【我的老师作文（精选10篇）】相关文章：`, `猜你喜欢`),
    /// links (`1.我的老师作文300字`) or junk lines (a footer after the links), provided one of
    /// them is a heading. A title line that is not numbered is the page's own (`诗歌篇二` over a
    /// poem of short lines, after a `推荐阅读：` that stays in the essay before it), so the
    /// search stops there.
    fn related_links_start(&self, lines: &[&str]) -> Option<usize> {
        let mut start = None;
        for (at, line) in lines.iter().enumerate().rev() {
            // Before `is_junk`: a heading alone on its line (`猜你喜欢`) is a junk line too.
            if is_related_heading(line) {
                start = Some(at);
            } else if !is_junk(line)
                && (!is_link(line) || self.is_title(line) && !is_numbered(line))
            {
                break;
            }
        }
        start
    }

    /// Splits cleaned text (one paragraph a line).
    pub fn split(&self, text: &str) -> Split {
        let mut split = Split::default();
        let mut lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        // Cut before titles are counted: a link to another page may read as one
        // (`1.我的老师作文篇一`). On a compiled page (its titles counted without the list), or
        // after an essay when the list's lines are a site's links (numbered, or naming 作文 …):
        // a one-essay file's closing book list (`推荐阅读：`, 《西游记》…) is its own.
        if let Some(first) = self.related_links_start(&lines) {
            // From the first heading only sites write (相关文章, 猜你喜欢: an essay may close
            // with its own 推荐阅读 or 相关阅读, a list of books); else, on a compiled page,
            // from the first heading whose links mostly name an essay site's pages.
            let site_only = (first..lines.len()).find(|&at| {
                let heading = lines[at]
                    .trim_end_matches([':', '：'])
                    .trim_end_matches('】')
                    .trim_end_matches([':', '：']);
                is_related_heading(lines[at])
                    && SITE_ONLY_LABELS.iter().any(|l| heading.ends_with(l))
            });
            let compiled = |start: usize| {
                let titles = lines[..start]
                    .iter()
                    .filter(|line| !is_junk(line) && self.is_title(line))
                    .count();
                let links: Vec<&&str> = lines[start + 1..]
                    .iter()
                    .filter(|line| !is_junk(line) && !is_related_heading(line))
                    .collect();
                titles >= self.min_titles.max(2)
                    && links.iter().filter(|line| is_site_link(line)).count() * 2 >= links.len()
            };
            let start = site_only
                .filter(|&at| lines[..at].iter().any(|line| !is_junk(line)))
                .or(Some(first).filter(|&at| compiled(at)));
            if let Some(start) = start {
                split.junk_lines += lines.len() - start;
                lines.truncate(start);
            }
        }
        lines.retain(|line| {
            let junk = is_junk(line);
            split.junk_lines += usize::from(junk);
            !junk
        });
        let titles = lines.iter().filter(|line| self.is_title(line)).count();
        split.title_lines = titles;
        if titles < self.min_titles {
            match lines.as_slice() {
                [] => {}
                // A first line in a title form (`第一篇 我的老师`) is its title too, though it
                // reads as an enumerated heading.
                [first, rest @ ..]
                    if !rest.is_empty()
                        && (is_title_line(first)
                            || self.is_title(first)
                                && !ends_as_sentence(
                                    first.trim_end_matches(crate::analysis::structure::is_closer),
                                )) =>
                {
                    split.essays.push(RawEssay {
                        title: Some((*first).to_owned()),
                        body: rest.join("\n"),
                    });
                    split.first_line_title = true;
                }
                _ => split.essays.push(RawEssay {
                    title: None,
                    body: lines.join("\n"),
                }),
            }
            return split;
        }
        let mut current: Option<(String, Vec<&str>)> = None;
        let close = |current: Option<(String, Vec<&str>)>, split: &mut Split| {
            if let Some((title, body)) = current {
                if body.is_empty() {
                    split.empty_titles += 1;
                } else {
                    split.essays.push(RawEssay {
                        title: Some(title),
                        body: body.join("\n"),
                    });
                }
            }
        };
        for line in lines {
            if self.is_title(line) {
                close(current.take(), &mut split);
                current = Some((line.trim_end_matches([':', '：']).to_owned(), Vec::new()));
            } else if let Some((_, body)) = current.as_mut() {
                body.push(line);
            } else {
                split.preamble_lines += 1;
            }
        }
        close(current, &mut split);
        split
    }
}

/// A line ending as a sentence or clause does.
pub(crate) fn ends_as_sentence(line: &str) -> bool {
    line.ends_with([
        '。', '！', '？', '!', '?', '…', '；', ';', '，', ',', '、', '”', '"', '）', ')',
    ])
}

/// A line that reads as a title: short, not ending as a sentence or clause does, and not an
/// enumerated heading (`一、引言` opens a section, it does not name the essay).
fn is_title_line(line: &str) -> bool {
    line.chars().count() <= MAX_TITLE_CHARS
        && !crate::analysis::structure::is_heading(line)
        && !ends_as_sentence(line)
        && !line.ends_with(['：', ':'])
}

/// A junk line is a known button or navigation label, a site's footer, or a line with no letter,
/// digit or Han character at all (a lone backtick, a rule of dashes).
fn is_junk(line: &str) -> bool {
    JUNK_LINES.contains(&line)
        || JUNK_PREFIXES.iter().any(|prefix| line.starts_with(prefix))
        || is_footer(line)
        || !line.chars().any(char::is_alphanumeric)
}

/// A copyright or filing-number line (`Copyright © 2023 作文网 版权所有 京ICP备12345678号`).
/// `版权所有` and `copyright` are words an essay may use too (`扉页上印着“版权所有，翻印必究”。`,
/// `版权（copyright）保护作者的权利。`): with them the line is a footer only when it does not end
/// as a sentence.
fn is_footer(line: &str) -> bool {
    if !FOOTER.is_match(line) {
        return false;
    }
    if FOOTER_MARKS.iter().any(|mark| line.contains(mark)) {
        return true;
    }
    if ends_as_sentence(line.trim_end_matches(crate::analysis::structure::is_closer)) {
        return false;
    }
    // `版权所有` opening the line before a separator or the end (`版权所有：作文大全`,
    // `版权所有 转载请注明出处`), or with a year, a site or 转载, on a line that is no numbered
    // heading (`一、什么是版权所有`): `尊重版权所有者` and `版权所有与公共利益` are titles.
    // `Copyright` with a year or the words of a notice (`Copyright reserved`), not an essay's
    // title (`Copyright and Me`, `Copyright and Human Rights`).
    let lower = line.to_lowercase();
    let site = [
        "本站",
        "网站",
        "网版权",
        "站版权",
        "公司",
        "www",
        ".com",
        ".cn",
        "转载",
        "侵权",
    ]
    .iter()
    .any(|w| line.contains(w));
    let notice = line.split_once("版权所有").is_some_and(|(before, after)| {
        before.trim().is_empty()
            && (after.is_empty() || after.starts_with([' ', '：', ':', '　', '©']))
            || line.chars().any(|c| c.is_ascii_digit())
            || site
    }) || line.contains("版权归") && site;
    (notice && !crate::analysis::structure::is_heading(line))
        || lower.contains("copyright")
            && !line.trim_end().ends_with('.')
            && (COPYRIGHT_YEAR.is_match(&lower)
                || ["reserved", "all rights", "版权", "(c)", ".com", "www"]
                    .iter()
                    .any(|w| lower.contains(w)))
}

/// The heading of a list of links to related pages: a short line ending in one of
/// [`RELATED_LABELS`], maybe in `【】` and before a colon, and holding no full stop. A paragraph
/// that mentions 相关文章 (`我查了很多相关文章，终于明白了。`) does not end in the label.
fn is_related_heading(line: &str) -> bool {
    let label = line
        .trim_end_matches([':', '：'])
        .trim_end_matches('】')
        .trim_end_matches([':', '：']);
    // Commas only inside the page's title in 【】 (`【老师，您辛苦了作文】相关文章：`): a sentence
    // before the label (`今年寒假，老师给了我们一份推荐阅读：`) is the essay's.
    let outside: String = {
        let mut depth = 0usize;
        line.chars()
            .filter(|&c| {
                match c {
                    '【' => depth += 1,
                    '】' => depth = depth.saturating_sub(1),
                    _ => return depth == 0,
                }
                false
            })
            .collect()
    };
    line.chars().count() <= MAX_RELATED_HEADING_CHARS
        && !line.contains('。')
        && !outside.contains(['，', ','])
        && RELATED_LABELS.iter().any(|l| label.ends_with(l))
}

/// A link line as essay sites name their pages (`1.我的老师作文300字`, `《背影》读后感`), not an
/// item of a list an essay makes (`1.多读经典名著`, `1.《西游记》`).
fn is_site_link(line: &str) -> bool {
    // `300字`, also in brackets: `我的老师（300字）`, `我的爸爸(400字)`.
    let digits_then_zi = line
        .trim_end()
        .trim_end_matches([')', '）'])
        .strip_suffix('字')
        .is_some_and(|rest| rest.ends_with(|c: char| c.is_ascii_digit()));
    digits_then_zi
        || [
            "作文",
            "范文",
            "读后感",
            "观后感",
            "心得",
            "体会",
            "演讲稿",
            "讲话稿",
            "日记",
            "周记",
        ]
        .iter()
        .any(|w| line.contains(w))
}

/// Labels of a list of links that only sites write: an essay may close with its own
/// 推荐阅读 (books it recommends), not with 相关文章.
const SITE_ONLY_LABELS: &[&str] = &["相关文章", "相关推荐", "猜你喜欢", "热门文章", "热门推荐"];

/// A line that reads as a link to another page: short, holding no full stop or semicolon, not
/// ending in a comma or colon (a link's title may end in `！`: `2、老师，您辛苦了！`).
fn is_link(line: &str) -> bool {
    line.chars().count() <= MAX_LINK_CHARS
        && !line.contains(['。', '；', ';'])
        && !line
            .trim_end_matches(crate::analysis::structure::is_closer)
            .ends_with(['，', ',', '、', '：', ':'])
}

/// A line opening with a number and `.` or `、` (`1.`, `2、`, `１０．`), as the links of a list
/// are numbered.
fn is_numbered(line: &str) -> bool {
    let rest = line.trim_start_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
    rest.len() < line.len() && rest.starts_with(['.', '．', '、'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_page_with_preamble_and_junk() {
        let page = "以下是小编为大家收集的范文。\n心得体会篇一\n第一篇正文。\n第二段。\n心得体会篇二\n第二篇正文。\n`\n一键复制";
        let split = Splitter::default().split(page);
        assert_eq!(split.preamble_lines, 1);
        assert_eq!(split.junk_lines, 2);
        let titles: Vec<_> = split
            .essays
            .iter()
            .map(|e| e.title.as_deref().unwrap())
            .collect();
        assert_eq!(titles, ["心得体会篇一", "心得体会篇二"]);
        assert_eq!(split.essays[0].body, "第一篇正文。\n第二段。");
        assert_eq!(split.essays[1].body, "第二篇正文。");
    }

    #[test]
    fn a_table_of_contents_makes_no_empty_essays() {
        let page = "目录\n心得体会篇一\n心得体会篇二\n心得体会篇一\n第一篇正文。\n心得体会篇二\n第二篇正文。";
        let split = Splitter::default().split(page);
        assert_eq!(split.empty_titles, 2);
        let bodies: Vec<&str> = split.essays.iter().map(|e| e.body.as_str()).collect();
        assert_eq!(bodies, ["第一篇正文。", "第二篇正文。"]);
        assert_eq!(split.preamble_lines, 1);
    }

    #[test]
    fn a_one_essay_file_opening_in_a_title_form_takes_it_as_its_title() {
        let sentence =
            Splitter::default().split("第一篇：今天我学会了骑自行车，我很开心。\n第二行。");
        assert!(!sentence.first_line_title);
        let bracketed = Splitter::default().split("第一篇 我的老师（记叙文）\n我的老师很和蔼。");
        assert_eq!(
            bracketed.essays[0].title.as_deref(),
            Some("第一篇 我的老师（记叙文）")
        );
        let split = Splitter::default().split("第一篇 我的老师\n我的老师很和蔼。");
        assert!(split.first_line_title);
        assert_eq!(split.essays[0].title.as_deref(), Some("第一篇 我的老师"));
        assert_eq!(split.essays[0].body, "我的老师很和蔼。");
    }

    #[test]
    fn one_title_line_is_not_a_page() {
        // It is the title of the one essay the file holds.
        let split = Splitter::default().split("读书笔记篇一\n正文。");
        assert_eq!(
            split.essays,
            [RawEssay {
                title: Some("读书笔记篇一".into()),
                body: "正文。".into()
            }]
        );
    }

    #[test]
    fn a_short_first_line_is_the_title() {
        let split = Splitter::default().split("我的妈妈\n我的妈妈很温柔。\n她爱我。");
        assert_eq!(split.essays[0].title.as_deref(), Some("我的妈妈"));
        assert_eq!(split.essays[0].body, "我的妈妈很温柔。\n她爱我。");
        assert!(split.first_line_title);
        // A sentence, a long line, or a file of one line is body text.
        for text in [
            "妈妈很温柔。\n她爱我。",
            "我的妈妈是一位非常非常温柔而且总是把家里收拾得干干净净的人\n她爱我。",
            "我的妈妈",
            "一、引言\n二、结论",
        ] {
            let split = Splitter::default().split(text);
            assert_eq!(split.essays[0].title, None, "{text}");
        }
    }

    #[test]
    fn more_title_forms() {
        for page in [
            "第一篇 我的老师\n老师很好。\n第二篇 我的同学\n同学很好。",
            "第1篇：春\n春天来了。\n第2篇：夏\n夏天热。",
            "作文一\n春天来了。\n作文二\n夏天热。",
            "范文1 春\n春天来了。\n范文2、夏\n夏天热。",
        ] {
            let split = Splitter::default().split(page);
            assert_eq!(split.essays.len(), 2, "{page}");
            assert_eq!(split.preamble_lines, 0, "{page}");
        }
        // 第一篇文章 is a sentence, not a title.
        let split = Splitter::default().split("第一篇文章让我感动。\n第二篇文章也是。");
        assert_eq!(split.essays.len(), 1);
    }

    #[test]
    fn user_patterns_match_the_whole_line() {
        // 老师 is in body sentences, but no line is 老师 alone.
        let split = Splitter::with_pattern("老师")
            .unwrap()
            .split("我的老师很好。\n老师教我们读书。");
        assert_eq!(split.title_lines, 0);
        assert_eq!(split.essays.len(), 1);
        // The help's example.
        let split = Splitter::with_pattern("第.{1,4}篇.*")
            .unwrap()
            .split("第一篇 我的老师\n老师很好。\n第二篇 我的同学\n同学很好。");
        assert_eq!(split.essays.len(), 2);
        assert_eq!(split.essays[0].title.as_deref(), Some("第一篇 我的老师"));
    }

    #[test]
    fn digits_and_user_patterns() {
        let split = Splitter::default().split("范文篇1\n甲。\n范文篇12：\n乙。");
        assert_eq!(split.essays.len(), 2);
        assert_eq!(split.essays[1].title.as_deref(), Some("范文篇12"));
        let user = Splitter::with_pattern(r"^【.+】$")
            .unwrap()
            .split("【春】\n春天。\n【夏】\n夏天。");
        assert_eq!(user.essays.len(), 2);
        assert_eq!(user.essays[0].title.as_deref(), Some("【春】"));
    }

    #[test]
    fn long_lines_ending_in_pian_yi_are_body_text() {
        let body = format!("{}篇一", "很长的一句话".repeat(10));
        assert!(!Splitter::default().title.is_match(&body));
    }

    /// Three essays of a page copied from the web, under a preamble: their paragraphs.
    const TEACHERS: [&[&str]; 3] = [
        &["王老师教我们语文，她很温柔。", "她总是耐心地给我们讲题。"],
        &["李老师是我们的数学老师。"],
        &[
            "张老师每天早上带我们跑步。",
            "我们的身体越来越好了。",
            "谢谢您，张老师！",
        ],
    ];

    #[test]
    fn pian_n_opening_the_line_is_a_title() {
        // The title lines of each form, and the titles they give (a trailing colon goes, as
        // from `范文篇12：`).
        let forms: [([&str; 3], [&str; 3]); 5] = [
            (
                ["【篇一】我的老师", "【篇二】数学老师", "【篇三】早上跑步"],
                ["【篇一】我的老师", "【篇二】数学老师", "【篇三】早上跑步"],
            ),
            (
                ["篇一：我的老师", "篇二：数学老师", "篇三：老师，谢谢您！"],
                ["篇一：我的老师", "篇二：数学老师", "篇三：老师，谢谢您！"],
            ),
            (
                ["篇1:我的老师", "篇2: 数学老师", "篇3:早上跑步"],
                ["篇1:我的老师", "篇2: 数学老师", "篇3:早上跑步"],
            ),
            (["篇九", "篇十", "篇二十"], ["篇九", "篇十", "篇二十"]),
            (
                ["篇一：", "篇二：", "【篇三】"],
                ["篇一", "篇二", "【篇三】"],
            ),
        ];
        for (lines, titles) in forms {
            let mut page = String::from("以下是小编整理的我的老师作文，欢迎阅读。\n\n");
            for (line, body) in lines.iter().zip(TEACHERS) {
                page.push_str(&format!("{line}\n{}\n\n", body.join("\n")));
            }
            let expected: Vec<RawEssay> = titles
                .iter()
                .zip(TEACHERS)
                .map(|(title, body)| RawEssay {
                    title: Some((*title).to_owned()),
                    body: body.join("\n"),
                })
                .collect();
            let split = Splitter::default().split(&page);
            assert_eq!(split.essays, expected, "{page}");
            assert_eq!(
                (split.title_lines, split.preamble_lines, split.junk_lines),
                (3, 1, 0),
                "{page}"
            );
        }
        // A table of contents in the new forms gives no empty essays either.
        let split = Splitter::default()
            .split("【篇一】春\n【篇二】夏\n【篇一】春\n春天来了。\n【篇二】夏\n夏天热。");
        assert_eq!((split.essays.len(), split.empty_titles), (2, 2));
    }

    #[test]
    fn a_paragraph_opening_with_pian_n_is_no_title() {
        let splitter = Splitter::default();
        let long = format!("篇一：{}", "很长的标题".repeat(9));
        for line in [
            "篇一讲的是我的妈妈，她很辛苦。",
            "篇一：今天我学会了骑自行车，我很开心。",
            "【篇一】今天我学会了骑自行车。",
            "篇二 我们去公园玩，",
            long.as_str(),
        ] {
            assert!(!splitter.is_title(line), "{line}");
        }
        // A title may end in ！ or ？; a user's pattern is taken as written.
        assert!(splitter.is_title("篇二：老师，您辛苦了！"));
        assert!(Splitter::with_pattern("篇.+")
            .unwrap()
            .is_title("篇一：今天我学会了骑自行车，我很开心。"));
        // Two paragraphs opening with 篇一 and 篇二 are the text of one essay.
        let text = "篇一讲的是我的妈妈，她很辛苦。\n篇二讲的是我的爸爸，他很忙。\n两篇我都喜欢。";
        let split = splitter.split(text);
        assert_eq!(split.title_lines, 0);
        assert_eq!(
            split.essays,
            [RawEssay {
                title: None,
                body: text.into()
            }]
        );
    }

    #[test]
    fn footer_lines_are_junk_wherever_they_are() {
        for footer in [
            "Copyright © 2023 作文网 版权所有 京ICP备12345678号",
            "© 2023 作文网",
            "京ICP证120345号",
            "京公网安备11010802012345号",
            "COPYRIGHT 2006-2023 ZUOWEN.COM",
            "版权所有：作文网（www.zuowen.com）",
            "版权所有 © 作文网，转载请注明出处。",
            "版权所有 转载请注明出处",
            "版权所有：作文大全",
            "Copyright reserved",
            "本站文章版权归原作者所有，如有侵权请联系删除",
            "版权所有，侵权必究",
            "COPYRIGHT (C) ZUOWEN.COM",
        ] {
            assert!(is_junk(footer), "{footer}");
        }
        // Sentences of an essay that use the words.
        for sentence in [
            "这本书的扉页上印着“版权所有，翻印必究”八个字。",
            "扉页上印着“版权所有，翻印必究”。",
            "版权（copyright）保护作者的权利。",
            // Headings of essays about copyright.
            "一、什么是版权所有",
            "Copyright and Me",
            "尊重版权所有者",
            "版权所有与公共利益",
            "Copyright and Human Rights",
            "网络时代的版权所有权",
            "In 2019, I read a book about copyright law.",
            "Copyright in the 21st Century",
        ] {
            assert!(!is_junk(sentence), "{sentence}");
        }
        let page = "我的老师篇一\n老师很温柔。\n京公网安备11010802012345号\n我的老师篇二\n\
                    扉页上印着“版权所有，翻印必究”。\nCopyright © 2023 作文网 版权所有";
        let split = Splitter::default().split(page);
        assert_eq!(split.junk_lines, 2);
        let bodies: Vec<&str> = split.essays.iter().map(|e| e.body.as_str()).collect();
        assert_eq!(bodies, ["老师很温柔。", "扉页上印着“版权所有，翻印必究”。"]);
    }

    /// A one-essay file's closing list (a book list after 推荐阅读), a list that is the whole
    /// file, and a poem with a line 【推荐阅读】 are the essays' own: only a compiled page loses a
    /// closing list of links.
    #[test]
    fn a_one_essay_file_keeps_its_closing_list() {
        for text in [
            "寒假推荐阅读\n1.《西游记》\n2.《红楼梦》\n3.《水浒传》",
            "我爱读书。\n今年寒假，老师给了我们一份推荐阅读：\n《西游记》\n《红楼梦》\n《水浒传》",
            "春\n春风吹\n【推荐阅读】\n花儿开\n鸟儿叫",
            "我的读书报告\n读书让我快乐。\n四、推荐阅读\n1.多读经典名著\n2.每天坚持阅读半小时",
            "我的读书报告\n读书让我快乐。\n推荐阅读：\n1. 《西游记》\n2.西游记",
            "我的读书报告\n读书让我快乐。\n相关阅读：\n《小学生优秀作文选》\n《满分作文大全》",
        ] {
            let split = Splitter::default().split(text);
            assert_eq!(split.junk_lines, 0, "{text}");
            let kept: usize = split
                .essays
                .iter()
                .map(|e| e.body.lines().count() + usize::from(e.title.is_some()))
                .sum();
            assert_eq!(kept, text.lines().count(), "{text}");
        }
    }

    /// A one-essay page keeps its essay and loses the site's list of links after it, numbered
    /// or naming 作文, even when the links read as titles (`1.我的老师作文篇一`); a page title
    /// with a comma in 【】 heads a list too.
    #[test]
    fn a_one_essay_page_loses_its_sites_links() {
        let essay = "我的老师\n我的老师姓王，她是一位很温柔的老师。\n她每天都耐心地给我们讲课。";
        for list in [
            "相关文章：\n1.我的老师作文篇一\n2.我的老师作文篇二\n3.我的同学作文篇三",
            "相关文章：\n1.我的爸爸作文300字\n2.我的老师作文400字\n3.春天来了作文",
            "相关文章：\n1.我的老师作文300字\n2.《我的老师》读后感\n3.我的妈妈作文400字",
            "相关文章：\n难忘的一件事\n我的理想\n秋天的雨",
            "【相关文章】\n我的老师（300字）\n我的爸爸(400字)\n春天来了（500字）",
            "猜你喜欢\n描写春天的句子\n励志名言警句",
            "猜你喜欢：\n1.我的老师作文\n推荐阅读：\n1.难忘的一天\n2.秋天的雨",
            "【老师，您辛苦了作文（精选2篇）】相关文章：\n我的爸爸作文\n春天来了作文",
        ] {
            let split = Splitter::default().split(&format!("{essay}\n{list}"));
            assert_eq!(split.essays.len(), 1, "{list}");
            assert_eq!(split.essays[0].title.as_deref(), Some("我的老师"));
            assert_eq!(split.essays[0].body.lines().count(), 2, "{list}");
            assert_eq!(split.junk_lines, list.lines().count(), "{list}");
        }
    }

    #[test]
    fn site_links_and_an_essays_own_items() {
        for link in [
            "1.我的老师作文300字",
            "我的老师（300字）",
            "我的爸爸(400字)",
            "2.青春励志演讲稿",
            "《背影》读后感",
        ] {
            assert!(is_site_link(link), "{link}");
        }
        for item in [
            "1.多读经典名著",
            "1.《西游记》",
            "汉字的演变",
            "2.每天坚持阅读半小时",
        ] {
            assert!(!is_site_link(item), "{item}");
        }
    }

    /// Two essays of a compiled page, to which lists of links are appended.
    const TWO_TEACHERS: &str =
        "我的老师作文 篇一\n王老师很温柔。\n她爱我们。\n我的老师作文 篇二\n李老师很严格。\n我们都敬佩她。";

    #[test]
    fn links_to_related_pages_after_the_last_essay_are_junk() {
        let alone = Splitter::default().split(TWO_TEACHERS);
        assert_eq!(alone.essays[1].body, "李老师很严格。\n我们都敬佩她。");
        for block in [
            // The audit's page.
            "【我的老师作文（精选10篇）】相关文章：\n1.我的老师作文300字\n2.我的老师作文500字\n\
             3.关于老师的作文\nCopyright © 2023 作文网 版权所有 京ICP备12345678号",
            // Links that are not numbered, one ending in ！, a button among them.
            "【相关推荐】\n我的老师作文300字\n返回顶部\n老师，您辛苦了！",
            // Links in a title form: without the cut they would be two more essays' titles.
            "推荐阅读:\n1、我的老师作文篇一\n2、我的老师作文篇二",
            // A heading that is a junk line itself, full-width numbers, a second heading.
            "猜你喜欢\n１．我的老师\n２．我的同学\n热门文章：\n我的妈妈作文",
            "相关文章:",
        ] {
            let split = Splitter::default().split(&format!("{TWO_TEACHERS}\n{block}"));
            assert_eq!(split.essays, alone.essays, "{block}");
            assert_eq!(split.junk_lines, block.lines().count(), "{block}");
            assert_eq!(split.title_lines, 2, "{block}");
        }
    }

    #[test]
    fn a_mention_of_related_pages_is_text() {
        for (text, last_body) in [
            // A paragraph that mentions 相关文章.
            (
                format!("{TWO_TEACHERS}\n我在网上查了很多相关文章，终于明白了老师的苦心。"),
                "李老师很严格。\n我们都敬佩她。\n我在网上查了很多相关文章，终于明白了老师的苦心。",
            ),
            // A heading followed by a paragraph.
            (
                format!("{TWO_TEACHERS}\n相关文章：\n老师的话我一直记在心里。"),
                "李老师很严格。\n我们都敬佩她。\n相关文章：\n老师的话我一直记在心里。",
            ),
            // Links in the middle of the page, before the last essay.
            (
                TWO_TEACHERS.replace(
                    "\n我的老师作文 篇二",
                    "\n推荐阅读：\n1.我的老师作文300字\n我的老师作文 篇二",
                ),
                "李老师很严格。\n我们都敬佩她。",
            ),
            // A poem of short lines under the page's own title, after a heading.
            (
                "诗歌篇一\n春风吹\n花儿开\n推荐阅读：\n诗歌篇二\n夏日长\n蝉儿叫".to_owned(),
                "夏日长\n蝉儿叫",
            ),
        ] {
            let split = Splitter::default().split(&text);
            assert_eq!(split.junk_lines, 0, "{text}");
            assert_eq!(split.essays.len(), 2, "{text}");
            assert_eq!(split.essays[1].body, last_body, "{text}");
            // Every line is in an essay, as its title or its text.
            let kept: usize = split
                .essays
                .iter()
                .map(|e| 1 + e.body.lines().count())
                .sum();
            assert_eq!(kept, text.lines().count(), "{text}");
        }
    }
}
