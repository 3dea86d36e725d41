//! Similarity, nearest neighbours and clusters: a cosine worked by hand, and the seed's figures
//! checked against each other.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{analyze, analyze_tables, wenxi, Csv};

// A: 社区医生。 B: 社区志愿者。 Two essays, so N = 2 and the corpus IDF is ln(3 / (1 + df)) + 1:
// 社区 (in both) 1, 医生 and 志愿者 (in one) ln 1.5 + 1 = 1.405465. A = (1, 1.405465, 0),
// B = (1, 0, 1.405465): cosine = 1 / (1 + 1.405465²) = 1 / 2.975332 = 0.336097.
#[test]
fn cosine_of_two_tiny_essays_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "社区医生。").unwrap();
    std::fs::write(dir.path().join("b.txt"), "社区志愿者。").unwrap();
    let out = analyze(dir.path());
    let similarity = Csv::read(&out.path().join("similarity.csv"));
    assert_eq!(similarity.rows, [["1", "2", "0.336097"]]);
    let essays = Csv::read(&out.path().join("essays.csv"));
    assert_eq!(essays.column("nearest_essay"), ["2", "1"]);
    // Two essays make one cluster: there is no k of two or more to choose among.
    assert_eq!(
        Csv::read(&out.path().join("clusters.csv")).column("cluster"),
        ["1", "1"]
    );
}

#[test]
fn seed_similarity_is_consistent() {
    let out = analyze("corpus");
    let similarity = Csv::read(&out.path().join("similarity.csv"));
    assert_eq!(similarity.rows.len(), 45, "every pair of ten essays once");
    let cos = |a: usize, b: usize| -> f64 {
        let (a, b) = (a.min(b).to_string(), a.max(b).to_string());
        similarity
            .rows
            .iter()
            .find(|r| r[0] == a && r[1] == b)
            .unwrap()[2]
            .parse()
            .unwrap()
    };
    let essays = Csv::read(&out.path().join("essays.csv"));
    for (i, row) in essays.records().iter().enumerate() {
        let me = i + 1;
        let best = (1..=10)
            .filter(|&j| j != me)
            .max_by(|&x, &y| cos(me, x).total_cmp(&cos(me, y)).then(y.cmp(&x)))
            .unwrap();
        assert_eq!(row["nearest_essay"], best.to_string(), "essay {me}");
        assert!((row["nearest_cosine"].parse::<f64>().unwrap() - cos(me, best)).abs() < 1e-9);
    }
    for row in &similarity.rows {
        let c: f64 = row[2].parse().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    let clusters = Csv::read(&out.path().join("clusters.csv"));
    let mut order: Vec<u32> = clusters
        .column("order")
        .iter()
        .map(|o| o.parse().unwrap())
        .collect();
    order.sort();
    assert_eq!(order, (1..=10).collect::<Vec<_>>());
    // 篇十, the party-building essay of slogans, stands apart from the nine community essays.
    let labels = clusters.column("cluster");
    assert_ne!(labels[9], labels[0]);
    assert!(labels[..9].iter().all(|l| *l == labels[0]));

    // --clusters K forces K.
    let forced = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "corpus", "--clusters", "3", "-o"])
        .arg(forced.path())
        .assert()
        .success();
    let labels = Csv::read(&forced.path().join("clusters.csv"));
    let mut distinct: Vec<String> = labels
        .column("cluster")
        .iter()
        .map(|s| s.to_string())
        .collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct, ["1", "2", "3"]);
}

/// 1,100 essays (past the 1,000 of all pairs), each of twelve sentences of the bundled corpus
/// drawn by a fixed generator, one a file.
fn many_essays(dir: &Path) {
    let page = std::fs::read_to_string(common::repo().join("corpus/epidemic-community-essays.txt"))
        .unwrap();
    let sentences: Vec<&str> = page
        .split(['。', '\n'])
        .map(str::trim)
        .filter(|s| s.chars().count() >= 8)
        .collect();
    assert!(sentences.len() > 100, "{}", sentences.len());
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for essay in 0..1_100 {
        let mut text = String::new();
        for _ in 0..12 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(sentences[(x % sentences.len() as u64) as usize]);
            text.push('。');
        }
        std::fs::write(dir.join(format!("{essay:04}.txt")), text).unwrap();
    }
}

/// similarity.csv's rows by essay: (neighbour, cosine text, rank, exact).
fn neighbours(dir: &Path) -> HashMap<String, Vec<(String, String, String, String)>> {
    let table = Csv::read(&dir.join("similarity.csv"));
    let mut by_essay: HashMap<String, Vec<_>> = HashMap::new();
    for row in &table.rows {
        by_essay.entry(row[0].clone()).or_default().push((
            row[1].clone(),
            row[2].clone(),
            row[3].clone(),
            row[4].clone(),
        ));
    }
    by_essay
}

/// Past 1,000 essays each essay keeps its 10 nearest. With every list read
/// (`--exact-neighbours`) they are proved; with a budget too small to prove them the search
/// keeps what it found, whose cosines are still exact and never beat the proved ones; either
/// way the tables are the same bytes on one thread and on two.
#[test]
fn neighbours_past_the_all_pairs_limit() {
    let input = tempfile::tempdir().unwrap();
    many_essays(input.path());
    let quick = [
        "--no-reuse",
        "--essay-word-freq",
        "none",
        "--keywords",
        "tfidf",
    ];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = quick.iter().chain(extra).copied().collect();
        analyze_tables(&[input.path()], &args)
    };
    let (exact, _) = run(&["--exact-neighbours", "--jobs", "2"]);
    let proved = neighbours(exact.path());
    assert_eq!(proved.len(), 1_100);
    for (essay, rows) in &proved {
        assert!(!rows.is_empty() && rows.len() <= 10, "essay {essay}");
        let cosines: Vec<f64> = rows.iter().map(|r| r.1.parse().unwrap()).collect();
        assert!(cosines.windows(2).all(|w| w[0] >= w[1]), "essay {essay}");
        let ranks: Vec<String> = (1..=rows.len()).map(|r| r.to_string()).collect();
        assert_eq!(rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>(), ranks);
        assert!(rows.iter().all(|r| r.3 == "true"));
    }

    let budget = ["--neighbour-budget", "300"];
    let (one, _) = run(&[&budget[..], &["--jobs", "1"]].concat());
    let (two, _) = run(&[&budget[..], &["--jobs", "2"]].concat());
    for table in ["similarity.csv", "essays.csv", "clusters.csv"] {
        assert!(
            std::fs::read(one.path().join(table)).unwrap()
                == std::fs::read(two.path().join(table)).unwrap(),
            "{table} differs between one thread and two"
        );
    }
    let found = neighbours(one.path());
    assert!(found.values().flatten().any(|r| r.3 == "false"));
    let mut same = 0;
    for (essay, rows) in &found {
        let best: &Vec<_> = &proved[essay];
        let top: f64 = best[0].1.parse().unwrap();
        for (neighbour, cosine, _, _) in rows {
            assert!(cosine.parse::<f64>().unwrap() <= top, "essay {essay}");
            // A neighbour both runs keep has the same cosine in both.
            if let Some(proved) = best.iter().find(|r| &r.0 == neighbour) {
                assert_eq!(&proved.1, cosine, "essay {essay}, neighbour {neighbour}");
                same += 1;
            }
        }
    }
    assert!(
        same > 1_000,
        "{same} neighbours in common with the proved ones"
    );

    // By default, when a search stopped at its budget, 50 sampled essays are set against brute
    // force, and the budget is raised while under 99% of their neighbours are found. Here the
    // default, 12,000 entries, finds 93.2%: on essays made of the same few hundred sentences
    // every word is common, and the budget stops the search early. Four times that proves
    // every essay's nearest, so the tables are the exact search's, on one thread or two.
    let out = tempfile::tempdir().unwrap();
    let default = wenxi()
        .arg("analyze")
        .arg(input.path())
        .args(["--no-charts", "--no-html", "--jobs", "1"])
        .args(quick)
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&default.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "found 93.2% of the true neighbours of 50 sampled essays with its default budget of \
             12000 index entries read per essay; searched again with 48000: every essay's nearest \
             proved"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");
    // run.json records how the search went (466 of the sample's 500 neighbours at first).
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(
        record["neighbours"],
        serde_json::json!({
            "budget": 48000, "default_budget": 12000, "default_budget_recall": 0.932,
            "recall": null, "sampled": null,
        })
    );
    let (checked, stderr) = run(&["--jobs", "2", "--check-neighbours", "50"]);
    assert!(
        stderr.contains("searched again with 48000: 100.0% found"),
        "{stderr}"
    );
    for table in ["similarity.csv", "essays.csv", "clusters.csv"] {
        let exact = std::fs::read(exact.path().join(table)).unwrap();
        for (run, dir) in [("default", out.path()), ("checked", checked.path())] {
            assert!(
                std::fs::read(dir.join(table)).unwrap() == exact,
                "{table} differs between the {run} run and the exact search"
            );
        }
    }

    // `--check-neighbours` sets the search against brute force: with a budget that reads every
    // list these essays need, all are found.
    let (_, stderr) = run(&["--check-neighbours", "100", "--neighbour-budget", "30000"]);
    let line = stderr
        .lines()
        .find(|l| l.contains("checked by brute force on 100 essays"))
        .unwrap_or_else(|| panic!("no recall line in {stderr}"));
    assert!(line.ends_with(": 100.00% of them found"), "{line}");
}
