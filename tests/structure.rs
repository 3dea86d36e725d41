//! Structure of the seed essays, checked against counts made by hand (reading the essays) and
//! with python3 on the raw file; `wenxi structure` in the terminal; bad input gives no NaN.

mod common;

use common::{analyze, wenxi, Csv};

fn seed_structure() -> (Csv, Csv) {
    let out = analyze("corpus");
    (
        Csv::read(&out.path().join("structure.csv")),
        Csv::read(&out.path().join("markers.csv")),
    )
}

#[test]
fn seed_essays_counted_by_hand() {
    let (structure, markers) = seed_structure();
    let rows = structure.records();
    assert_eq!(rows.len(), 10);

    // 篇一: twelve lines, five of them enumerated headings (一、… to 五、…), seven body paragraphs;
    // the only paragraph-initial marker opens the last paragraph: 总结起来,
    let one = &rows[0];
    assert_eq!(one["paragraphs"], "7");
    assert_eq!(one["headings"], "5");
    assert_eq!(one["heading_text"], "一、疫情之初的困难。 | 二、社区组织的力量。 | 三、居民之间的互助。 | 四、科技的应用。 | 五、对未来的反思。");
    assert_eq!(one["marker_sequence"], "总结起来");
    assert_eq!(one["closes_with_summary"], "true");

    // 篇二 and 篇三: six paragraphs, no heading, the ordering the issue names.
    assert_eq!((rows[1]["paragraphs"], rows[1]["headings"]), ("6", "0"));
    assert_eq!(rows[1]["marker_sequence"], "首先→其次→同时→此外→总之");
    assert_eq!(rows[2]["marker_sequence"], "首先→其次→再次→此外→总之");
    assert_eq!(rows[2]["closes_with_summary"], "true");

    // 篇九: headings 第二段:… 第三段:… 第四段:… and the label 总结: before the last paragraph;
    // no body paragraph opens with a marker, yet the essay closes with a summary section.
    let nine = &rows[8];
    assert_eq!((nine["paragraphs"], nine["headings"]), ("6", "4"));
    assert_eq!(nine["heading_text"], "第二段:社区的平等和互助精神。 | 第三段:社区防疫的配合和坚持。 | 第四段:社区心理疏导与关怀。 | 总结:");
    assert_eq!(nine["marker_sequence"], "");
    assert_eq!(nine["closes_with_summary"], "true");

    // Sentences of the body paragraphs, found with python3's
    // re.findall(r'[^。！？!?]*[。！？!?]+[”’」』）)]*|[^。！？!?]+$', line): 篇十 has 18, one of them
    // the quoted line “逆水行舟用力撑,一篙松劲退千寻。” whose closing quote stays with it.
    // The seed asks no question and exclaims nothing.
    let sentences: Vec<&str> = structure.column("sentences");
    assert_eq!(
        sentences,
        ["29", "26", "28", "24", "28", "28", "32", "27", "26", "18"]
    );
    assert!(structure.column("questions").iter().all(|q| *q == "0"));

    // The seed puts ASCII commas and colons between Chinese characters: they count as punctuation.
    // 篇二 has 887 characters, 811 Han (tests/seed.rs); the other 76 are punctuation.
    assert_eq!(
        (
            rows[1]["characters"],
            rows[1]["han_characters"],
            rows[1]["punctuation"]
        ),
        ("887", "811", "76")
    );

    // Every marker row points at a real paragraph, and paragraph-initial ones make the sequence.
    let two: Vec<_> = markers
        .records()
        .into_iter()
        .filter(|m| m["essay_id"] == "2" && m["position"] == "0")
        .collect();
    let firsts: Vec<&str> = two.iter().map(|m| m["marker"]).collect();
    assert_eq!(firsts, ["首先", "其次", "同时", "此外", "总之"]);
    assert_eq!(
        two.iter().map(|m| m["paragraph"]).collect::<Vec<_>>(),
        ["2", "3", "4", "5", "6"]
    );
    assert_eq!(two[4]["kind"], "summary");

    // No NaN anywhere, ratios within bounds.
    for row in &rows {
        for (name, value) in row {
            assert!(
                !value.contains("NaN") && !value.contains("inf"),
                "{name}={value}"
            );
        }
        for name in ["ttr", "mattr", "lexical_density"] {
            let v: f64 = row[name].parse().unwrap();
            assert!((0.0..=1.0).contains(&v), "{name}={v}");
        }
        let mtld: f64 = row["mtld"].parse().unwrap();
        assert!(mtld > 10.0, "{mtld}");
    }
}

#[test]
fn odd_essays_give_zeros_not_nan() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("a_no_punctuation.txt", "没有标点的一段话就这样一直写下去"),
        ("b_one_line.txt", "只有一句话。"),
        ("c_headings_only.txt", "一、引言\n二、结论\n总结:"),
        ("d_numbers.txt", "2020 2021 2022"),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = analyze(dir.path());
    let structure = Csv::read(&out.path().join("structure.csv"));
    let rows = structure.records();
    assert_eq!((rows[0]["paragraphs"], rows[0]["sentences"]), ("1", "1"));
    assert_eq!((rows[1]["paragraphs"], rows[1]["sentences"]), ("1", "1"));
    assert_eq!(
        (
            rows[2]["paragraphs"],
            rows[2]["headings"],
            rows[2]["sentences"]
        ),
        ("0", "3", "0")
    );
    assert_eq!(
        (rows[3]["words"], rows[3]["ttr"], rows[3]["mtld"]),
        ("0", "0.000000", "0.000000")
    );
    for row in &rows {
        for (name, value) in row {
            assert!(
                !value.contains("NaN") && !value.contains("inf"),
                "{name}={value}"
            );
        }
    }
}

#[test]
fn structure_prints_a_table() {
    let assert = wenxi().args(["structure", "corpus"]).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 11, "{stdout}");
    assert!(lines[0].starts_with("id") && lines[0].contains("markers"));
    assert!(
        lines[3].contains("疫情社区心得体会篇三") && lines[3].ends_with("首先→其次→再次→此外→总之"),
        "{}",
        lines[3]
    );
}

#[test]
fn user_markers_extend_the_lexicon() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("essay.txt"),
        "开头一段。\n起初，大家都很慌。\n后来，社区组织起来了。",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("markers.txt"),
        "\u{FEFF}# 时间顺序\n起初 ordering\n后来 ordering\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.txt"), "起初 sometimes\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(dir.path().join("essay.txt"))
        .arg("--markers")
        .arg(dir.path().join("markers.txt"))
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let structure = Csv::read(&out.path().join("structure.csv"));
    assert_eq!(structure.column("marker_sequence"), ["起初→后来"]);
    wenxi()
        .arg("structure")
        .arg(dir.path().join("essay.txt"))
        .arg("--markers")
        .arg(dir.path().join("bad.txt"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "bad.txt, line 1: expected a kind among ordering",
        ));
}
