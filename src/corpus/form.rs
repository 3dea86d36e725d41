//! A school's essay form: the fields (班级, 姓名, 学号 …) printed above an essay, as a table of a
//! Word document ([`form_fields`], read by [`super::docx`] and [`super::doc`]) or as lines of
//! `班级：高一(3)班  姓名：张三` at the top of a text ([`leading_fields`]). Its filled fields are
//! the essay's metadata, under one name a field (班別, 班 → 班级; 標題, 作文题目 → 题目), and its
//! text is no part of the essay.

/// The labels of a school's essay form, as written (without spaces or colon), and the name of
/// the column each gives: variants and traditional forms give one column, so that
/// `--group-by 班级` finds them all. 老师, 学生 and 时间 alone are no labels: they open dialogue
/// (`老师：同学们好`) and titles (`时间：最公正的裁判`); 时间 and 日期 are fields only with a
/// date or time as value.
const LABELS: &[(&str, &str)] = &[
    ("班级", "班级"),
    ("班級", "班级"),
    ("班别", "班级"),
    ("班別", "班级"),
    ("班", "班级"),
    ("姓名", "姓名"),
    ("学生姓名", "姓名"),
    ("學生姓名", "姓名"),
    ("考生姓名", "姓名"),
    ("学号", "学号"),
    ("學號", "学号"),
    ("考号", "考号"),
    ("考號", "考号"),
    ("准考证号", "考号"),
    ("准考證號", "考号"),
    ("座号", "座号"),
    ("座號", "座号"),
    ("座位号", "座号"),
    ("座位號", "座号"),
    ("考场", "考场"),
    ("考場", "考场"),
    ("学校", "学校"),
    ("學校", "学校"),
    ("年级", "年级"),
    ("年級", "年级"),
    ("性别", "性别"),
    ("性別", "性别"),
    ("日期", "日期"),
    ("时间", "时间"),
    ("時間", "时间"),
    ("得分", "得分"),
    ("分数", "得分"),
    ("分數", "得分"),
    ("总分", "得分"),
    ("總分", "得分"),
    ("评分", "得分"),
    ("評分", "得分"),
    ("成绩", "成绩"),
    ("成績", "成绩"),
    ("等级", "等级"),
    ("等級", "等级"),
    ("题目", "题目"),
    ("題目", "题目"),
    ("标题", "题目"),
    ("標題", "题目"),
    ("文题", "题目"),
    ("文題", "题目"),
    ("作文题目", "题目"),
    ("作文題目", "题目"),
    ("指导教师", "指导教师"),
    ("指導教師", "指导教师"),
    ("指导老师", "指导教师"),
    ("指導老師", "指导教师"),
    ("评卷人", "评卷人"),
    ("評卷人", "评卷人"),
    ("阅卷人", "评卷人"),
    ("閱卷人", "评卷人"),
    ("组别", "组别"),
    ("組別", "组别"),
    ("小组", "组别"),
    ("小組", "组别"),
    ("字数", "字数"),
    ("字數", "字数"),
    ("评语", "评语"),
    ("評語", "评语"),
];

/// The column of a known label as written (spaces and a colon taken out), if it is one.
fn column_of(label: &str) -> Option<&'static str> {
    LABELS.iter().find(|(l, _)| *l == label).map(|&(_, c)| c)
}

/// Whether `name` is a column a form gives ([`LABELS`]).
pub fn is_form_column(name: &str) -> bool {
    LABELS.iter().any(|&(_, c)| c == name)
}

/// Whether `value` can be the value of field `column`: a date or time for 日期 and 时间, a
/// score or grade for 得分, 成绩 and 等级 (digits, or 优 良 中 差, 甲 乙, A–F, stars), anything
/// short otherwise. A table of 成绩 | 人数 or 时间 | 地点 is then no form.
fn fits(column: &str, value: &str) -> bool {
    match column {
        // Digits, or a numeral before 年 月 日 号 时 (二〇二四年, 五月一日); not 一去不复返,
        // 十分宝贵, 战国时期.
        "日期" | "时间" => {
            let chars: Vec<char> = value.chars().collect();
            // A date, not a sentence that holds one (时间：2024年5月1日，我们去春游).
            if chars.len() > 24 || value.contains(['，', '。', '！', '？', '；', ',']) {
                return false;
            }
            chars.iter().any(char::is_ascii_digit)
                || chars.windows(2).any(|pair| {
                    "〇零一二三四五六七八九十廿".contains(pair[0])
                        && "年月日号时時".contains(pair[1])
                })
        }
        // A comment may be a sentence or two; a title ends with ？ or ！ at most.
        "评语" => true,
        "题目" => value.chars().count() <= 30 && !value.contains(['，', '。', '；', ',']),
        // A number with letters at most (2023010, A-07).
        "学号" | "考号" | "座号" => {
            value.chars().any(|c| c.is_ascii_digit()) && value.chars().count() <= 20
        }
        // A name, a class, a group: a few characters.
        "姓名" | "组别" => value.chars().count() <= 8 && !value.contains(['，', '。', ',']),
        "班级" | "年级" => value.chars().count() <= 12 && !value.contains(['，', '。', ',']),
        "得分" | "成绩" | "等级" => value.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || "优優良中差及格不甲乙丙丁ABCDEFabcdef+-.．分★☆秀好等".contains(c)
        }),
        // Anything else (a class, a name, a school) is short and no sentence.
        _ => {
            value.chars().count() <= 30
                && !value.contains(['。', '！', '？', '，', '；', '!', '?', ';'])
        }
    }
}

/// A value that is only a blank to fill in (`______`, `……`) is none.
fn filled(value: &str) -> &str {
    let value = value
        .trim()
        .trim_matches(['|', '｜', '/', '、', ',', '，', ';', '；'])
        .trim();
    match value
        .chars()
        .all(|c| c.is_whitespace() || "_＿-－—.．·…()（）".contains(c))
    {
        true => "",
        false => value,
    }
}

/// A cell of a form is at most this many characters (a 评语 of a sentence or two); a table
/// with a longer cell is text.
const FORM_CELL_CHARS: usize = 60;

/// `cell` as a form's label (spaces taken out: `姓  名：` is `姓名`): the column of one of
/// [`LABELS`], or for a short name ended by a colon (`家长签字：`), that name.
pub fn form_label(cell: &str) -> Option<String> {
    let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let name = compact.trim_end_matches(['：', ':']);
    let colon = name.len() < compact.len();
    if let Some(column) = column_of(name) {
        return Some(column.to_owned());
    }
    let short = (1..=8).contains(&name.chars().count())
        && name.chars().all(|c| c.is_alphabetic() && !c.is_ascii());
    (colon && short).then(|| name.to_owned())
}

/// The fields written in one cell or line: `班级：高一(3)班`, or several, `班级：三班 姓 名：张三
/// 家长签字：李四`. The first label must be a known one ([`LABELS`]); a later one may be any
/// short name set apart by a space. Empty when the text is not all fields.
pub fn inline_fields(cell: &str) -> Vec<(String, String)> {
    // A colon between digits is a time's (8:30), not a label's.
    let mut pieces: Vec<&str> = Vec::new();
    let mut from = 0;
    let bytes = cell.as_bytes();
    for (at, c) in cell.char_indices() {
        let time = c == ':'
            && at > 0
            && bytes[at - 1].is_ascii_digit()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_digit);
        if (c == '：' || c == ':') && !time {
            pieces.push(&cell[from..at]);
            from = at + c.len_utf8();
        }
    }
    pieces.push(&cell[from..]);
    if pieces.len() < 2 {
        return Vec::new();
    }
    let compact: String = pieces[0].chars().filter(|c| !c.is_whitespace()).collect();
    let Some(mut label) = column_of(&compact).map(str::to_owned) else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i + 1 == pieces.len();
        // A piece between two colons is a value, then the next label: the longest end of it
        // that is a known label (spaces inside taken out), else its last word.
        let (value, next) = if last {
            (piece.trim(), None)
        } else {
            let starts: Vec<usize> = piece
                .char_indices()
                .filter(|&(_, c)| !c.is_whitespace())
                .map(|(at, _)| at)
                .collect();
            let known = starts.iter().copied().find(|&at| {
                let tail: String = piece[at..].chars().filter(|c| !c.is_whitespace()).collect();
                column_of(&tail).is_some()
            });
            let split = known.or_else(|| {
                piece
                    .trim_end()
                    .rfind(char::is_whitespace)
                    .map(|at| at + piece[at..].chars().next().map_or(1, char::len_utf8))
            });
            let Some(at) = split else {
                return Vec::new();
            };
            let name: String = piece[at..].chars().filter(|c| !c.is_whitespace()).collect();
            let next = column_of(&name).map(str::to_owned).or_else(|| {
                ((1..=6).contains(&name.chars().count())
                    && name.chars().all(|c| c.is_alphabetic() && !c.is_ascii()))
                .then_some(name)
            });
            (piece[..at].trim(), next)
        };
        let value = filled(value);
        if !value.is_empty() && !fits(&label, value) {
            return Vec::new();
        }
        fields.push((label.clone(), value.to_owned()));
        match next {
            Some(next) => label = next,
            None if last => {}
            None => return Vec::new(),
        }
    }
    fields
}

/// The fields of a table if it is a school's essay form: every cell short; most of its filled
/// cells labels and their values (a label beside its value, a label with its value after a
/// colon, or rows of labels each over a row of values; title rows of one cell above are
/// passed over); and at least one known label with a value that fits it, or two known labels
/// left blank (a form not filled in). Fields with no value count but are not kept.
pub fn form_fields(rows: &[Vec<String>]) -> Option<Vec<(String, String)>> {
    let cells: Vec<&str> = rows.iter().flatten().map(|c| c.trim()).collect();
    if cells.iter().any(|c| c.chars().count() > FORM_CELL_CHARS) {
        return None;
    }
    // Title rows of one cell that is no label (a school's name over its form).
    let mut rows: &[Vec<String>] = rows;
    while let [first, rest @ ..] = rows {
        let filled_cells: Vec<&String> = first.iter().filter(|c| !c.trim().is_empty()).collect();
        if rest.len() >= 1
            && filled_cells.len() == 1
            && form_label(filled_cells[0]).is_none()
            && inline_fields(filled_cells[0]).is_empty()
        {
            rows = rest;
        } else {
            break;
        }
    }
    let filled_count = rows
        .iter()
        .flatten()
        .filter(|c| !c.trim().is_empty())
        .count();
    if filled_count == 0 {
        return None;
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut used = 0;
    // Rows of labels, each over a row of values.
    let label_row = |row: &[String]| {
        row.iter().any(|c| !c.trim().is_empty())
            && row
                .iter()
                .all(|c| c.trim().is_empty() || form_label(c).is_some())
    };
    let value_row = |row: &[String]| row.iter().all(|c| form_label(c).is_none());
    if rows.len() % 2 == 0
        && rows
            .chunks(2)
            .all(|pair| label_row(&pair[0]) && value_row(&pair[1]))
    {
        for pair in rows.chunks(2) {
            for (i, cell) in pair[0].iter().enumerate() {
                if let Some(name) = form_label(cell) {
                    let value = filled(pair[1].get(i).map_or("", String::as_str));
                    used += 1 + usize::from(!value.is_empty());
                    fields.push((name, value.to_owned()));
                }
            }
        }
    } else {
        // A label over a cell of data in the same column is a table's header (年级 | 人数 over
        // 初一 | 300), not a form's label.
        let header = rows.first().is_some_and(|top| {
            top.iter().enumerate().any(|(i, cell)| {
                form_label(cell).is_some()
                    && rows[1..].iter().any(|row| {
                        row.get(i).is_some_and(|c| {
                            let c = c.trim();
                            !c.is_empty() && form_label(c).is_none() && inline_fields(c).is_empty()
                        })
                    })
            })
        });
        if header {
            return None;
        }
        for row in rows {
            let mut j = 0;
            while j < row.len() {
                let cell = row[j].trim();
                if cell.is_empty() {
                    j += 1;
                    continue;
                }
                let inline = inline_fields(cell);
                if inline.iter().any(|(_, v)| !v.is_empty()) {
                    used += 1;
                    fields.extend(inline);
                    j += 1;
                    continue;
                }
                if let Some(label) = form_label(cell) {
                    // The cell beside a label is its value, even when blank (then none).
                    let next = row.get(j + 1).map(|v| v.trim());
                    match next {
                        Some(v) if form_label(v).is_none() => {
                            let value = filled(v);
                            used += 1 + usize::from(!value.is_empty());
                            fields.push((label, value.to_owned()));
                            j += 2;
                        }
                        _ => {
                            used += 1;
                            fields.push((label, String::new()));
                            j += 1;
                        }
                    }
                    continue;
                }
                j += 1;
            }
        }
    }
    let known = |label: &str| is_form_column(label);
    let valued = fields
        .iter()
        .filter(|(label, value)| known(label) && !value.is_empty() && fits(label, value))
        .count();
    let blank = fields
        .iter()
        .filter(|(label, value)| known(label) && value.is_empty())
        .count();
    let misfit = fields
        .iter()
        .any(|(label, value)| !value.is_empty() && !fits(label, value));
    if misfit || (valued == 0 && blank < 2) || used * 2 < filled_count {
        return None;
    }
    fields.retain(|(_, value)| !value.is_empty());
    Some(fields)
}

/// The lines of fields at the top of a text (`班级：高一(3)班  姓名：张三`, or one field a line,
/// above or under its title), taken out of it: the text without them, and their fields. Lines
/// are looked at from the top while at most one is no field line (the title) and no more
/// than [`MAX_FORM_LINES`]. A line is one when it is short and every field in it is one
/// ([`inline_fields`], its first label a known one): `时间：那天早上，我们出发了`,
/// `老师：同学们好` and `来源：网络` are text.
pub fn leading_fields(text: String) -> (String, Vec<(String, String)>) {
    let lines = field_lines(&text, 1);
    let fields = merged(&lines);
    (without(text, &lines), fields)
}

/// A line of fields taken out of a text: its byte range, and its fields.
pub type FieldLine = (std::ops::Range<usize>, Vec<(String, String)>);

/// The fields of `lines`, each label once (the first value), blank ones left out.
pub fn merged(lines: &[FieldLine]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (_, found) in lines {
        let filled: Vec<(String, String)> = found
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .cloned()
            .collect();
        add_fields(&mut fields, &filled);
    }
    fields
}

/// Adds to `into` the fields whose label it does not have yet (a field found first keeps its
/// value).
pub fn add_fields(into: &mut Vec<(String, String)>, fields: &[(String, String)]) {
    for (label, value) in fields {
        if !into.iter().any(|(l, _)| l == label) {
            into.push((label.clone(), value.clone()));
        }
    }
}

/// The labels of `fields`, each once, in order, joined by commas (for a file's message).
pub fn labels<'f>(fields: impl IntoIterator<Item = &'f (String, String)>) -> String {
    let mut labels: Vec<&str> = Vec::new();
    for (label, _) in fields {
        if !labels.contains(&label.as_str()) {
            labels.push(label);
        }
    }
    labels.join(", ")
}

/// `text` without `lines` (in order, not overlapping).
pub fn without(text: String, lines: &[FieldLine]) -> String {
    if lines.is_empty() {
        return text;
    }
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for (range, _) in lines {
        if range.start >= from {
            kept.push_str(&text[from..range.start]);
            from = range.end;
        }
    }
    kept.push_str(&text[from..]);
    kept
}

/// The field lines at the top of `text` that [`leading_fields`] takes out, while at most
/// `others` lines that are no field lines (a title) have come before.
pub fn field_lines(text: &str, others: usize) -> Vec<FieldLine> {
    let mut taken: Vec<FieldLine> = Vec::new();
    let mut at = 0;
    let (mut seen, mut not_fields) = (0, 0);
    for line in text.split_inclusive('\n') {
        let range = at..at + line.len();
        at += line.len();
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        seen += 1;
        if seen > MAX_FORM_LINES {
            break;
        }
        let found = field_line(line);
        if found.is_empty() {
            not_fields += 1;
            if not_fields > others {
                break;
            }
            continue;
        }
        taken.push((range, found));
    }
    taken
}

/// The field lines at the end of `text` (up to [`MAX_FORM_LINES`], after its last line that is
/// none): a score under an essay, or the next essay's form line above its title.
pub fn trailing_field_lines(text: &str) -> Vec<FieldLine> {
    let mut taken: Vec<FieldLine> = Vec::new();
    let mut end = text.len();
    for line in text.split_inclusive('\n').rev().take(2 * MAX_FORM_LINES) {
        let range = end - line.len()..end;
        end -= line.len();
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let found = field_line(line);
        if found.is_empty() || taken.len() == MAX_FORM_LINES {
            break;
        }
        taken.push((range, found));
    }
    taken.reverse();
    taken
}

/// Whether a field names who wrote an essay (班级, 姓名, 学号 …), as the line above its title
/// does, rather than how it was marked (得分, 评语).
pub fn names_the_writer(label: &str) -> bool {
    matches!(
        label,
        "班级" | "姓名" | "学号" | "考号" | "座号" | "学校" | "年级"
    )
}

/// Whether a line is all fields of a form (`班级：一班  姓名：张三`).
pub fn is_field_line(line: &str) -> bool {
    !field_line(line.trim()).is_empty()
}

/// The fields of one line, if it is all fields ([`inline_fields`]) and short.
fn field_line(line: &str) -> Vec<(String, String)> {
    // A sentence is no field's value but a comment's or a title's ([`fits`]).
    if line.chars().count() > FORM_LINE_CHARS {
        Vec::new()
    } else {
        inline_fields(line)
    }
}

/// A line of fields at the top of a text is at most this many characters.
const FORM_LINE_CHARS: usize = 60;

/// Lines at the top of a text looked at for fields, at most.
const MAX_FORM_LINES: usize = 10;

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
    fn fields_a_teacher_would_see() {
        let rows = |v: &[&[&str]]| -> Vec<Vec<String>> {
            v.iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(l, v)| (l.to_string(), v.to_string()))
                .collect()
        };
        // A blank value cell is no value: the next label stays a label.
        assert_eq!(
            form_fields(&rows(&[
                &["班级", "一班", "姓名", "张三"],
                &["得分", "", "评语", ""]
            ])),
            Some(pairs(&[("班级", "一班"), ("姓名", "张三")]))
        );
        // Variants and traditional labels give one column; blanks to fill in are no value.
        assert_eq!(
            form_fields(&rows(&[&[
                "班級",
                "一班",
                "學生姓名",
                "张三",
                "学号",
                "______"
            ]])),
            Some(pairs(&[("班级", "一班"), ("姓名", "张三")]))
        );
        // Two rows of labels over values, under the school's name.
        assert_eq!(
            form_fields(&rows(&[
                &["实验中学作文纸"],
                &["班级", "姓名"],
                &["一班", "张三"],
                &["学号", "日期"],
                &["07", "5月1日"]
            ])),
            Some(pairs(&[
                ("班级", "一班"),
                ("姓名", "张三"),
                ("学号", "07"),
                ("日期", "5月1日")
            ]))
        );
        // A comment with sentences, a title with a question mark.
        assert_eq!(
            form_fields(&rows(&[&[
                "题目",
                "什么是幸福？",
                "评语",
                "立意新颖，语言流畅。"
            ]])),
            Some(pairs(&[
                ("题目", "什么是幸福？"),
                ("评语", "立意新颖，语言流畅。")
            ]))
        );
        // Small tables of an essay, and dialogue, are no forms.
        for table in [
            rows(&[&["成绩", "人数"], &["90分以上", "12"]]),
            rows(&[&["时间", "地点"], &["上午", "操场"]]),
            rows(&[&["老师", "同学们好"], &["学生", "老师好"]]),
        ] {
            assert_eq!(form_fields(&table), None, "{table:?}");
        }
        assert_eq!(
            inline_fields("时间：2024年5月1日 8:30"),
            pairs(&[("时间", "2024年5月1日 8:30")])
        );
        assert_eq!(
            inline_fields("姓名：张三  家长签字：李四"),
            pairs(&[("姓名", "张三"), ("家长签字", "李四")])
        );
        assert!(inline_fields("时间：最公正的裁判").is_empty());
        assert!(inline_fields("老师：同学们好").is_empty());
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
