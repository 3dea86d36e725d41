//! Per-essay metadata: a `--metadata` table joined to a folder of essays, `--id-column` keys,
//! groups and selections (`班级=一班`) for `keyness` and `compare`, and `correlations.csv`;
//! each figure checked by another route (the essays' own tables, summed or ranked here).

use std::collections::HashMap;
use std::path::Path;

mod common;

use common::{wenxi, Csv};

/// Six essays of 1 to 6 sentences, so that their word counts rise with their number; the
/// scores do not quite.
const STUDENTS: [(&str, &str, &str); 6] = [
    ("张三", "一班", "60"),
    ("李四", "一班", "75"),
    ("王五", "一班", "70"),
    ("赵六", "二班", "90"),
    ("钱七", "二班", "85"),
    ("孙八", "二班", "95"),
];

const SENTENCES: [&str; 6] = [
    "社区的志愿者每天为居民测量体温。",
    "疫情期间我们在家里上网课。",
    "妈妈是一名医生，她常常工作到深夜。",
    "我为抗疫英雄感到骄傲。",
    "春天来了，武汉的樱花开了。",
    "我们要努力学习，将来报效祖国。",
];

/// A folder `essays/` with one .txt file a student, and `students.csv` beside it with a row
/// for each and one for a student who wrote nothing.
fn class_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let essays = dir.path().join("essays");
    std::fs::create_dir(&essays).unwrap();
    let mut table = String::from("学生,班级,分数\n");
    for (i, (name, class, score)) in STUDENTS.iter().enumerate() {
        let body: String = SENTENCES[..=i].concat();
        std::fs::write(
            essays.join(format!("{name}.txt")),
            format!("我的生活\n{body}\n"),
        )
        .unwrap();
        table.push_str(&format!("{name},{class},{score}\n"));
    }
    table.push_str("周九,二班,88\n");
    std::fs::write(dir.path().join("students.csv"), table).unwrap();
    dir
}

/// `wenxi analyze ARGS… -o DIR` (no charts or page), run in `dir`; returns the stderr.
fn analyze_in(dir: &Path, args: &[&str], out: &Path) -> String {
    let assert = wenxi()
        .current_dir(dir)
        .arg("analyze")
        .args(args)
        .args(["--no-charts", "--no-html", "-q", "-o"])
        .arg(out)
        .assert()
        .success();
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

fn by_source(csv: &Csv) -> HashMap<String, HashMap<&str, &str>> {
    csv.records()
        .into_iter()
        .map(|r| {
            let name = Path::new(r["essay_key"].split('#').next().unwrap())
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, r)
        })
        .collect()
}

#[test]
fn a_metadata_table_joins_by_file_name_into_every_per_essay_table() {
    let dir = class_folder();
    let out = dir.path().join("out");
    let stderr = analyze_in(
        dir.path(),
        &["essays", "--metadata", "students.csv", "--group-by", "班级"],
        out.as_path(),
    );
    assert!(
        stderr.contains("6 of 6 essay(s) matched (6 by file name)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 row(s) of students.csv matched no essay: row 8 (周九)"),
        "{stderr}"
    );
    let essays = Csv::read(&out.join("essays.csv"));
    let structure = Csv::read(&out.join("structure.csv"));
    for table in [&essays, &structure] {
        let rows = by_source(table);
        for (name, class, score) in STUDENTS {
            assert_eq!(rows[name]["班级"], class, "{name}");
            assert_eq!(rows[name]["分数"], score, "{name}");
            assert_eq!(rows[name]["学生"], name);
        }
    }
    // Groups from the joined column: the essays of each class, counted here.
    let groups = Csv::read(&out.join("groups.csv"));
    for g in groups.records() {
        let members = STUDENTS.iter().filter(|s| s.1 == g["group"]).count();
        assert_eq!(g["essays"], members.to_string());
    }

    // correlations.csv: 分数 against the words of structure.csv, by the textbook formula of
    // ranks without ties, ρ = 1 − 6Σd² / (n(n² − 1)).
    let correlations = Csv::read(&out.join("correlations.csv"));
    let rows = correlations.records();
    let words_row = rows
        .iter()
        .find(|r| r["column"] == "分数" && r["figure"] == "words")
        .expect("分数 against words");
    let rows_by_name = by_source(&structure);
    let words: Vec<f64> = STUDENTS
        .iter()
        .map(|s| rows_by_name[s.0]["words"].parse().unwrap())
        .collect();
    assert!(words.windows(2).all(|w| w[0] < w[1]), "{words:?}");
    let scores: Vec<f64> = STUDENTS.iter().map(|s| s.2.parse().unwrap()).collect();
    let rank = |values: &[f64], x: f64| values.iter().filter(|&&v| v <= x).count() as f64;
    let d2: f64 = words
        .iter()
        .zip(&scores)
        .map(|(&w, &s)| (rank(&words, w) - rank(&scores, s)).powi(2))
        .sum();
    let n = 6.0;
    // Written with six decimals, p with five significant digits.
    let rho: f64 = words_row["rho"].parse().unwrap();
    assert!(
        (rho - (1.0 - 6.0 * d2 / (n * (n * n - 1.0)))).abs() < 1e-6,
        "{rho}"
    );
    assert_eq!(words_row["n"], "6");
    // scipy.stats.spearmanr([1, 2, 3, 4, 5, 6], [60, 75, 70, 90, 85, 95]).pvalue, scipy 1.17.1.
    let p: f64 = words_row["p"].parse().unwrap();
    assert!((p / 0.018_845_481_049_562_66 - 1.0).abs() < 1e-4, "{p}");
    // Per column, the smallest p first; the text columns 学生 and 班级 are not numeric.
    let ps: Vec<f64> = rows
        .iter()
        .filter_map(|r| r["p"].parse::<f64>().ok())
        .collect();
    assert!(ps.windows(2).all(|w| w[0] <= w[1]));
    assert!(rows.iter().all(|r| r["column"] == "分数"));
}

#[test]
fn a_group_by_column_missing_from_the_metadata_stops_the_run_before_it_starts() {
    let dir = class_folder();
    let out = dir.path().join("out");
    let assert = wenxi()
        .current_dir(dir.path())
        .args([
            "analyze",
            "essays",
            "--metadata",
            "students.csv",
            "--group-by",
            "班",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "no column \"班\" in --metadata students.csv; its columns are: 学生, 班级, 分数"
        ),
        "{stderr}"
    );
    // Nothing was analysed: no report was written.
    assert!(!out.join("essays.csv").exists());
    // Several essays share the title 我的生活: compare names them rather than take the first.
    let assert = wenxi()
        .current_dir(dir.path())
        .args(["compare", "我的生活", "1", "essays", "-o"])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let expected = format!(
        "`我的生活` is the title of {} essays (ids 1, 2",
        STUDENTS.len()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn a_student_number_is_not_correlated_with_the_figures() {
    let dir = class_folder();
    let mut table = String::from("学生,学号,分数\n");
    for (i, (name, _, score)) in STUDENTS.iter().enumerate() {
        table.push_str(&format!("{name},{},{score}\n", 20230101 + i));
    }
    std::fs::write(dir.path().join("numbered.csv"), table).unwrap();
    let out = dir.path().join("out");
    analyze_in(
        dir.path(),
        &["essays", "--metadata", "numbered.csv"],
        out.as_path(),
    );
    let correlations = Csv::read(&out.join("correlations.csv"));
    let columns: std::collections::BTreeSet<&str> =
        correlations.records().iter().map(|r| r["column"]).collect();
    assert_eq!(columns.into_iter().collect::<Vec<_>>(), ["分数"]);
}

#[test]
fn keyness_and_compare_take_a_metadata_value_as_a_side() {
    let dir = class_folder();
    let out = dir.path().join("out");
    analyze_in(
        dir.path(),
        &["essays", "--metadata", "students.csv"],
        out.as_path(),
    );
    // The other route: essay_word_freq.csv summed over the essays of each class.
    let essays_csv = Csv::read(&out.join("essays.csv"));
    let essays = by_source(&essays_csv);
    let class_of: HashMap<String, &str> = essays
        .values()
        .map(|r| (r["essay_key"].to_owned(), r["班级"]))
        .collect();
    let mut counts: HashMap<(&str, String), u64> = HashMap::new();
    let essay_words = Csv::read(&out.join("essay_word_freq.csv"));
    for r in essay_words.records() {
        *counts
            .entry((class_of[r["essay_key"]], r["word"].to_owned()))
            .or_default() += r["count"].parse::<u64>().unwrap();
    }

    let keyness_out = dir.path().join("keyness");
    wenxi()
        .current_dir(dir.path())
        .args(["keyness", "essays", "--metadata", "students.csv"])
        .args([
            "--target",
            "班级=一班",
            "--reference",
            "班级=二班",
            "--min-freq",
            "1",
        ])
        .args(["--max-p", "1", "-o"])
        .arg(&keyness_out)
        .assert()
        .success();
    let keyness = Csv::read(&keyness_out.join("keyness.csv"));
    assert!(!keyness.rows.is_empty());
    for r in keyness.records() {
        let get = |class| {
            counts
                .get(&(class, r["word"].to_owned()))
                .copied()
                .unwrap_or(0)
        };
        assert_eq!(r["freq_target"], get("一班").to_string(), "{}", r["word"]);
        assert_eq!(r["freq_ref"], get("二班").to_string(), "{}", r["word"]);
    }
    // --target alone: the reference is the rest, the same here.
    let rest_out = dir.path().join("rest");
    wenxi()
        .current_dir(dir.path())
        .args(["keyness", "essays", "--metadata", "students.csv"])
        .args([
            "--target",
            "班级=一班",
            "--min-freq",
            "1",
            "--max-p",
            "1",
            "-o",
        ])
        .arg(&rest_out)
        .assert()
        .success();
    assert_eq!(Csv::read(&rest_out.join("keyness.csv")).rows, keyness.rows);
    // A value no essay has names the values there are.
    let assert = wenxi()
        .current_dir(dir.path())
        .args(["keyness", "essays", "--metadata", "students.csv"])
        .args(["--target", "班级=三班", "-o"])
        .arg(&rest_out)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(stderr.contains("no essay has 班级=三班"), "{stderr}");
    assert!(stderr.contains("一班, 二班"), "{stderr}");

    let compare_out = dir.path().join("compare");
    wenxi()
        .current_dir(dir.path())
        .args(["compare", "班级=一班", "班级=二班", "essays"])
        .args(["--metadata", "students.csv", "-o"])
        .arg(&compare_out)
        .assert()
        .success();
    let summary = Csv::read(&compare_out.join("compare_summary.csv"));
    let summary = &summary.records()[0];
    assert_eq!(summary["essays_a"], "3");
    assert_eq!(summary["essays_b"], "3");
    let words_of = |class: &str| -> u64 {
        essays
            .values()
            .filter(|r| r["班级"] == class)
            .map(|r| r["words"].parse::<u64>().unwrap())
            .sum()
    };
    assert_eq!(summary["words_a"], words_of("一班").to_string());
    assert_eq!(summary["words_b"], words_of("二班").to_string());
}

#[test]
fn id_columns_key_the_essays_and_a_table_can_join_on_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheet = String::from("学号,作文\n");
    for (i, sentence) in SENTENCES.iter().enumerate() {
        // The third id repeats the second: that row is keyed by its row.
        let id = if i == 2 { 2023_0002 } else { 2023_0001 + i };
        sheet.push_str(&format!("{id},{}\n", sentence.repeat(3)));
    }
    std::fs::write(dir.path().join("作文.csv"), sheet).unwrap();
    std::fs::write(
        dir.path().join("scores.csv"),
        "id,分数\n20230001,80\n20230002,81\n20230004,83\n20230005,84\n20230006,85\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let stderr = analyze_in(
        dir.path(),
        &[
            "作文.csv",
            "--id-column",
            "学号",
            "--metadata",
            "scores.csv",
            "--metadata-match",
            "id",
        ],
        out.as_path(),
    );
    assert!(stderr.contains("empty or repeated 学号 (A) id"), "{stderr}");
    let essays = Csv::read(&out.join("essays.csv"));
    assert_eq!(
        essays.column("essay_key"),
        [
            "作文.csv#20230001",
            "作文.csv#20230002",
            "作文.csv#row4",
            "作文.csv#20230004",
            "作文.csv#20230005",
            "作文.csv#20230006",
        ]
    );
    assert_eq!(essays.column("分数"), ["80", "81", "", "83", "84", "85"]);
    assert!(
        stderr.contains("5 of 6 essay(s) matched (5 by id)"),
        "{stderr}"
    );
    assert!(stderr.contains("作文.csv#row4"), "{stderr}");
    // The keys are those of every per-essay table.
    let keywords = Csv::read(&out.join("keywords.csv"));
    assert!(keywords
        .column("essay_key")
        .iter()
        .all(|k| essays.column("essay_key").contains(k)));

    // A table that names no essay is said, with what it holds and what the essays are called.
    std::fs::write(dir.path().join("other.csv"), "姓名,分数\n张三,80\n").unwrap();
    let stderr = analyze_in(
        dir.path(),
        &["作文.csv", "--metadata", "other.csv"],
        out.as_path(),
    );
    assert!(
        stderr.contains("no essay matched a cell of column 姓名"),
        "{stderr}"
    );
    assert!(stderr.contains("cells such as 张三"), "{stderr}");
    // A missing file or column is an error naming it.
    for (args, said) in [
        (
            ["--metadata", "nosuch.csv", "--metadata-key", "id"],
            "--metadata nosuch.csv: cannot read",
        ),
        (
            ["--metadata", "scores.csv", "--metadata-key", "学号"],
            "no column \"学号\" (--metadata-key); the columns are: id, 分数",
        ),
    ] {
        let assert = wenxi()
            .current_dir(dir.path())
            .args(["analyze", "作文.csv", "-q", "-o"])
            .arg(&out)
            .args(args)
            .assert()
            .failure();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
        assert!(stderr.contains(said), "{stderr}");
    }
}

/// Scores as teachers' sheets hold them: full-width digits (as a Chinese input method types
/// them), a unit (88分), and a cell that is no score (缺考). The first two are the same numbers,
/// the last is missing, and a note says so: ρ equals that of the plain sheet without that
/// student's row.
#[test]
fn scores_with_full_width_digits_units_and_absences() {
    let dir = class_folder();
    let full_width = |s: &str| -> String {
        s.chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect()
    };
    let mut written = String::from("学生,分数\n");
    let mut plain = String::from("学生,分数\n");
    for (i, (name, _, score)) in STUDENTS.iter().enumerate() {
        let cell = match i {
            0 => "缺考".to_owned(),
            1 => full_width(score),
            2 => format!("{score}分"),
            _ => score.to_string(),
        };
        written.push_str(&format!("{name},{cell}\n"));
        plain.push_str(&format!("{name},{}\n", if i == 0 { "" } else { score }));
    }
    std::fs::write(dir.path().join("written.csv"), written).unwrap();
    std::fs::write(dir.path().join("plain.csv"), plain).unwrap();
    let rows = |meta: &str, out: &str| {
        let out = dir.path().join(out);
        let stderr = analyze_in(dir.path(), &["essays", "--metadata", meta], out.as_path());
        let table = Csv::read(&out.join("correlations.csv"));
        let rows: Vec<(String, String, String)> = table
            .records()
            .iter()
            .map(|r| {
                (
                    r["figure"].to_owned(),
                    r["n"].to_owned(),
                    r["rho"].to_owned(),
                )
            })
            .collect();
        (rows, stderr)
    };
    let (written_rows, stderr) = rows("written.csv", "a");
    let (plain_rows, _) = rows("plain.csv", "b");
    assert!(
        stderr.contains("1 cell(s) of 分数 are not numbers") && stderr.contains("\"缺考\""),
        "{stderr}"
    );
    assert_eq!(written_rows, plain_rows);
    let words = written_rows.iter().find(|r| r.0 == "words").unwrap();
    assert_eq!(words.1, (STUDENTS.len() - 1).to_string());
}
