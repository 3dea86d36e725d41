//! essays.csv counts an essay's `lines` (headings and paragraphs together), structure.csv its
//! `paragraphs` (the lines that are not headings): one name for each thing counted, checked on an
//! essay built here line by line and on the seed corpus against counts made with python3.

mod common;

use common::{analyze, Csv};

#[test]
fn lines_are_headings_and_paragraphs() {
    // Headings and the paragraphs under each, the counts known by construction.
    let sections: [(&str, &[&str]); 3] = [
        (
            "一、缘起",
            &["社区在春天组织了互助活动。", "邻居们一起帮助老人买菜。"],
        ),
        (
            "二、收获",
            &[
                "我学会了关心别人。",
                "大家变得更加团结。",
                "志愿者的工作很辛苦。",
            ],
        ),
        ("总结：", &["互助让社区更温暖。"]),
    ];
    let mut text = String::from("我的社区\n");
    for (heading, paragraphs) in sections {
        text.push_str(heading);
        text.push('\n');
        for p in paragraphs {
            text.push_str(p);
            text.push('\n');
        }
        // An empty line counts for nothing.
        text.push('\n');
    }
    let headings = sections.len();
    let paragraphs: usize = sections.iter().map(|(_, ps)| ps.len()).sum();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("我的社区.txt");
    std::fs::write(&file, text).unwrap();

    let out = analyze(&file);
    let essays = Csv::read(&out.path().join("essays.csv"));
    assert!(
        !essays.header.iter().any(|h| h == "paragraphs"),
        "essays.csv counts lines, not paragraphs: {:?}",
        essays.header
    );
    let structure = Csv::read(&out.path().join("structure.csv"));
    let (essay, built) = (&essays.records()[0], &structure.records()[0]);
    assert_eq!(essay["title"], "我的社区");
    assert_eq!(essay["lines"], (headings + paragraphs).to_string());
    assert_eq!(built["paragraphs"], paragraphs.to_string());
    assert_eq!(built["headings"], headings.to_string());
}

#[test]
fn seed_lines_split_into_headings_and_paragraphs() {
    let out = analyze("corpus");
    let essays = Csv::read(&out.path().join("essays.csv"));
    let structure = Csv::read(&out.path().join("structure.csv"));
    // Non-empty lines between title lines, counted with python3 on the raw file (tests/seed.rs).
    let lines = [12, 6, 6, 6, 6, 6, 7, 6, 10, 4];
    let (essays, structure) = (essays.records(), structure.records());
    for (i, expected) in lines.iter().enumerate() {
        assert_eq!(essays[i]["lines"], expected.to_string(), "essay {}", i + 1);
        let parts: u32 = ["paragraphs", "headings"]
            .iter()
            .map(|c| structure[i][c].parse::<u32>().unwrap())
            .sum();
        assert_eq!(parts, *expected, "essay {}", i + 1);
    }
    // 篇一 by hand: five enumerated headings (一、… to 五、…) and seven paragraphs.
    assert_eq!(
        (structure[0]["headings"], structure[0]["paragraphs"]),
        ("5", "7")
    );
}
