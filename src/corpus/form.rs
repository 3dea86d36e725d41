//! A school's essay form: the fields (班级, 姓名, 学号 …) printed above an essay, as a table of a
//! Word document ([`form_fields`], read by [`super::docx`]) or as a line of `班级：高一(3)班
//! 姓名：张三` at the top of a text ([`leading_fields`]). Its filled fields are the essay's
//! metadata, and its text is no part of the essay.

/// The labels of the fields of a school's essay form, written without spaces or colon.
pub const FORM_LABELS: &[&str] = &[
    "班级",
    "班别",
    "班",
    "姓名",
    "学生",
    "学生姓名",
    "学号",
    "考号",
    "座号",
    "座位号",
    "准考证号",
    "考场",
    "考生",
    "学校",
    "年级",
    "性别",
    "日期",
    "时间",
    "得分",
    "分数",
    "成绩",
    "等级",
    "评分",
    "总分",
    "题目",
    "标题",
    "文题",
    "作文题目",
    "指导教师",
    "指导老师",
    "教师",
    "老师",
    "评卷人",
    "阅卷人",
    "组别",
    "小组",
    "字数",
];

/// A cell of a form is at most this many characters; a table with a longer cell is text.
const FORM_CELL_CHARS: usize = 30;

/// `cell` as a form's label (spaces taken out: `姓  名：` is `姓名`): one of [`FORM_LABELS`],
/// or a short name ended by a colon (`家长签字：`).
pub fn form_label(cell: &str) -> Option<String> {
    let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let name = compact.trim_end_matches(['：', ':']);
    let colon = name.len() < compact.len();
    let known = FORM_LABELS.contains(&name);
    let short = (1..=8).contains(&name.chars().count())
        && name.chars().all(|c| c.is_alphabetic() && !c.is_ascii());
    (known || colon && short).then(|| name.to_owned())
}

/// The fields written in one cell: `班级：高一(3)班`, or several, `班级：三班 姓 名：张三`.
/// Empty when the cell holds no colon after a label.
pub fn inline_fields(cell: &str) -> Vec<(String, String)> {
    let pieces: Vec<&str> = cell.split(['：', ':']).collect();
    if pieces.len() < 2 {
        return Vec::new();
    }
    let mut fields = Vec::new();
    let Some(mut label) = form_label(pieces[0]) else {
        return Vec::new();
    };
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i + 1 == pieces.len();
        // A piece between two colons is a value, then the next label: the longest end of it
        // that is a known label (spaces inside taken out), else its last word.
        let (value, next) = if last {
            (piece.trim(), None)
        } else {
            let words: Vec<(usize, &str)> =
                piece.match_indices(|c: char| !c.is_whitespace()).collect();
            let split = (0..words.len())
                .map(|k| words[k].0)
                .find(|&at| {
                    let tail: String = piece[at..].chars().filter(|c| !c.is_whitespace()).collect();
                    FORM_LABELS.contains(&tail.as_str())
                })
                .or_else(|| piece.trim_end().rfind(char::is_whitespace).map(|at| at + 1));
            match split {
                Some(at) => (piece[..at].trim(), form_label(&piece[at..])),
                None => return Vec::new(),
            }
        };
        fields.push((label.clone(), value.to_owned()));
        match next {
            Some(next) => label = next,
            None if last => {}
            None => return Vec::new(),
        }
    }
    fields
}

/// The fields of a table if it is a school's essay form: every cell short and no sentence,
/// and most of its filled cells labels and their values (a label beside its value, a label
/// with its value after a colon, or a row of labels over a row of values), at least one label
/// a known one. Fields with no value (`得分` left blank) count but are not kept.
pub fn form_fields(rows: &[Vec<String>]) -> Option<Vec<(String, String)>> {
    let cells: Vec<&str> = rows.iter().flatten().map(|c| c.trim()).collect();
    let filled = cells.iter().filter(|c| !c.is_empty()).count();
    if filled == 0
        || cells.iter().any(|c| {
            c.chars().count() > FORM_CELL_CHARS || c.contains(['。', '！', '？', '!', '?', '；'])
        })
    {
        return None;
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut used = 0;
    // A row of labels over a row of values.
    if let [labels, values] = rows {
        let named: Vec<Option<String>> = labels.iter().map(|c| form_label(c)).collect();
        if named
            .iter()
            .zip(labels)
            .all(|(n, c)| n.is_some() || c.trim().is_empty())
            && values
                .iter()
                .all(|v| v.trim().is_empty() || form_label(v).is_none())
        {
            for (name, value) in named.into_iter().zip(values) {
                if let Some(name) = name {
                    used += 1 + usize::from(!value.trim().is_empty());
                    fields.push((name, value.trim().to_owned()));
                }
            }
        }
    }
    if fields.is_empty() {
        for row in rows {
            let row: Vec<&str> = row
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            let mut j = 0;
            while j < row.len() {
                let inline = inline_fields(row[j]);
                if inline.iter().any(|(_, v)| !v.is_empty()) {
                    used += 1;
                    fields.extend(inline);
                    j += 1;
                    continue;
                }
                if let Some(label) = form_label(row[j]) {
                    let value = row.get(j + 1).filter(|v| form_label(v).is_none());
                    used += 1 + usize::from(value.is_some());
                    fields.push((label, value.map_or(String::new(), |v| v.to_string())));
                    j += 1 + usize::from(value.is_some());
                    continue;
                }
                j += 1;
            }
        }
    }
    let known = fields
        .iter()
        .any(|(label, _)| FORM_LABELS.contains(&label.as_str()));
    if !known || used * 2 < filled {
        return None;
    }
    fields.retain(|(_, value)| !value.is_empty());
    Some(fields)
}

/// The lines of fields at the top of a text (`班级：高一(3)班  姓名：张三`, among its first three
/// lines, beside its title), taken out of it: the text without them, and their fields. A line
/// is one when it is short and no sentence, and every label in it is a known one
/// ([`FORM_LABELS`]): `时间：那天早上，我们出发了` and `来源：网络` are not.
pub fn leading_fields(text: String) -> (String, Vec<(String, String)>) {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut at = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let range = at..at + line.len();
        at += line.len();
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        seen += 1;
        if seen > 3 {
            break;
        }
        if line.chars().count() > FORM_LINE_CHARS
            || line.contains(['。', '！', '？', '，', '；', '!', '?', ';'])
        {
            continue;
        }
        let found = inline_fields(line);
        if found.is_empty()
            || found
                .iter()
                .any(|(label, _)| !FORM_LABELS.contains(&label.as_str()))
        {
            continue;
        }
        taken.push(range);
        for (label, value) in found {
            if !value.is_empty() && !fields.iter().any(|(l, _)| *l == label) {
                fields.push((label, value));
            }
        }
    }
    if taken.is_empty() {
        return (text, fields);
    }
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for range in taken {
        kept.push_str(&text[from..range.start]);
        from = range.end;
    }
    kept.push_str(&text[from..]);
    (kept, fields)
}

/// A line of fields at the top of a text is at most this many characters.
const FORM_LINE_CHARS: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_of_a_form() {
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(l, v)| (l.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            inline_fields("班级：高一(3)班  姓 名：张三"),
            pairs(&[("班级", "高一(3)班"), ("姓名", "张三")])
        );
        assert_eq!(
            inline_fields("日期: 2024年5月1日"),
            pairs(&[("日期", "2024年5月1日")])
        );
        // A sentence with a colon is no field.
        assert!(inline_fields("他说：我们明天去公园").is_empty());
        let rows = |v: &[&[&str]]| -> Vec<Vec<String>> {
            v.iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        assert_eq!(
            form_fields(&rows(&[
                &["班级", "一班", "姓名", "张三"],
                &["得分", "", "评卷人", ""]
            ])),
            Some(pairs(&[("班级", "一班"), ("姓名", "张三")]))
        );
        assert_eq!(
            form_fields(&rows(&[&["班 级", "姓 名"], &["一班", "张三"]])),
            Some(pairs(&[("班级", "一班"), ("姓名", "张三")]))
        );
        // Sentences, a table of figures, and short cells with no known label are text.
        assert_eq!(form_fields(&rows(&[&["春天来了，花都开了。"]])), None);
        assert_eq!(
            form_fields(&rows(&[&["年份", "人口"], &["2020", "14亿"]])),
            None
        );
        assert_eq!(
            form_fields(&rows(&[&[
                "时间：早上",
                "地点：公园",
                "人物：我和妈妈",
                "天气晴朗",
                "心情很好",
                "风很大"
            ]])),
            None
        );
    }

    #[test]
    fn lines_of_fields_at_the_top_of_a_text() {
        let (text, fields) =
            leading_fields("班级：高一(3)班  姓名：张三\n我的老师\n我的老师姓王。\n".to_owned());
        assert_eq!(text, "我的老师\n我的老师姓王。\n");
        assert_eq!(
            fields,
            [
                ("班级".to_owned(), "高一(3)班".to_owned()),
                ("姓名".to_owned(), "张三".to_owned())
            ]
        );
        // Under the title too; a sentence, a label not known, a line past the third are text.
        let (text, fields) = leading_fields("我的老师\n学号：12\n正文。\n".to_owned());
        assert_eq!((text.as_str(), fields.len()), ("我的老师\n正文。\n", 1));
        for kept in [
            "时间：那天早上，我们出发了\n正文。\n",
            "来源：网络\n正文。\n",
            "一\n二\n三\n姓名：张三\n",
        ] {
            assert_eq!(
                leading_fields(kept.to_owned()),
                (kept.to_owned(), Vec::new())
            );
        }
    }
}
