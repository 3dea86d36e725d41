//! Similarity, nearest neighbours and clusters: a cosine worked by hand, and the seed's figures
//! checked against each other.

mod common;

use common::{analyze, wenxi, Csv};

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
