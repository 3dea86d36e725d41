//! Splitting a compiled page (`…篇一`, `…篇二`, …) into essays, and dropping web junk lines.

use regex::Regex;

use crate::error::Result;

/// A title line of a compiled page, with a number `N` in Chinese numerals or digits: short text
/// ending in `篇N` (`疫情心得体会篇三`); `第N篇` alone or followed by a separator and a title
/// (`第一篇 我的老师`, `第2篇：春`); `作文N` or `范文N`, alone or with a title (`范文3：我的妈妈`).
pub const DEFAULT_TITLE_PATTERN: &str = concat!(
    r"^(?:\S.{0,39}篇(?:[一二三四五六七八九十百零〇两]{1,4}|[0-9０-９]{1,4})[:：]?",
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
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter {
            title: Regex::new(DEFAULT_TITLE_PATTERN).expect("valid regex"),
            min_titles: 2,
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
        })
    }

    /// Splits cleaned text (one paragraph a line).
    pub fn split(&self, text: &str) -> Split {
        let mut split = Split::default();
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .filter(|line| {
                let junk = is_junk(line);
                split.junk_lines += usize::from(junk);
                !junk
            })
            .collect();
        let titles = lines
            .iter()
            .filter(|line| self.title.is_match(line))
            .count();
        split.title_lines = titles;
        if titles < self.min_titles {
            match lines.as_slice() {
                [] => {}
                // A first line in a title form (`第一篇 我的老师`) is its title too, though it
                // reads as an enumerated heading.
                [first, rest @ ..]
                    if !rest.is_empty()
                        && (is_title_line(first)
                            || self.title.is_match(first)
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
            if self.title.is_match(line) {
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
fn ends_as_sentence(line: &str) -> bool {
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

/// A junk line is a known button or navigation label, or a line with no letter, digit or Han
/// character at all (a lone backtick, a rule of dashes).
fn is_junk(line: &str) -> bool {
    JUNK_LINES.contains(&line)
        || JUNK_PREFIXES.iter().any(|prefix| line.starts_with(prefix))
        || !line.chars().any(char::is_alphanumeric)
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
}
