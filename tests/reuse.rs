//! Text reuse: one essay copies three sentences from another (with different punctuation), a
//! third is a light rewrite of the first, a fourth is unrelated.

mod common;

use common::{analyze, wenxi, Csv};

const A: &str =
    "疫情发生以后，社区工作人员挨家挨户登记信息。志愿者每天为隔离的居民送去蔬菜和药品。\
大家在微信群里互相鼓励，分享防护知识。这段经历让我明白了团结的力量。";
// Copies A's second, third and fourth sentences; the comma becomes a half-width one and a space
// creeps in, which normalising ignores. Its own sentences keep it well below near-duplicate.
const B: &str = "我们小区的情况也差不多。志愿者每天为隔离的居民送去蔬菜和药品。\
大家在微信群里互相鼓励, 分享防护知识。这段经历让我明白了团结的力量。以后我也要做一名志愿者。\
周末我们还组织了线上读书会，大家轮流分享自己喜欢的书。楼下的小超市坚持营业，老板每天把菜价写在门口的黑板上。";
// A with two words changed: most 5-character shingles survive.
const C: &str =
    "疫情发生以后，社区工作人员挨家挨户登记信息。志愿者每天为隔离的老人送去蔬菜和药品。\
大家在微信群里互相鼓励，分享防护知识。这段经历让我懂得了团结的力量。";
const D: &str = "春天来了，公园里的花都开了。孩子们在草地上放风筝，老人们在树下下棋聊天。\
傍晚的时候，湖边有很多散步的人，晚霞把湖水染成了金色。";

#[test]
fn copied_sentences_and_near_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("a.txt", A), ("b.txt", B), ("c.txt", C), ("d.txt", D)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = analyze(dir.path());
    let reuse = Csv::read(&out.path().join("reuse.csv"));
    let rows = reuse.records();

    // A and B share three sentences; C, a light rewrite of A, is in a near-duplicate group with
    // it, so their shared sentences are not listed again as a pair.
    assert_eq!(rows.len(), 2, "{rows:?}");
    let ab = &rows[0];
    assert_eq!((ab["essay_a"], ab["essay_b"]), ("1", "2"));
    assert_eq!(ab["shared_sentences"], "3");
    let examples: Vec<&str> = ab["examples"].split(" | ").collect();
    assert_eq!(
        examples,
        [
            // Quoted as the second essay to use the sentence writes it.
            "大家在微信群里互相鼓励, 分享防护知识。",
            "志愿者每天为隔离的居民送去蔬菜和药品。",
            "这段经历让我明白了团结的力量。",
        ]
    );
    // B and C share the sentences C kept of A: 大家在微信群里… (the third one).
    let bc = &rows[1];
    assert_eq!((bc["essay_a"], bc["essay_b"]), ("2", "3"));
    assert_eq!(bc["shared_sentences"], "1");

    // The exact Jaccard similarities of the 5-character shingle sets (python3, sets of
    // `text[i:i+5]` over the alphanumeric characters): A–C 53/77 = 0.688, and A–B 45/137 = 0.328,
    // four standard errors of a 128-bin estimate below the 0.5 threshold. The estimate for A–C
    // falls within 0.15 of the exact value.
    let groups = Csv::read(&out.path().join("reuse_groups.csv"));
    let members = groups.records();
    assert_eq!(members.len(), 2, "{members:?}");
    assert_eq!(
        members
            .iter()
            .map(|r| (r["group"], r["essay_id"], r["essays"]))
            .collect::<Vec<_>>(),
        [("1", "1", "2"), ("1", "3", "2")]
    );
    let jaccard: f64 = members[1]["jaccard"].parse().unwrap();
    assert!((jaccard - 53.0 / 77.0).abs() < 0.15, "{jaccard}");

    // D shares nothing with anyone.
    assert!(
        rows.iter()
            .all(|r| r["essay_a"] != "4" && r["essay_b"] != "4"),
        "{rows:?}"
    );
}

// Ten copies of one essay are one group of ten, not 45 pairs, and list no sentence pairs.
#[test]
fn copies_are_one_group() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10 {
        std::fs::write(dir.path().join(format!("copy{i}.txt")), A).unwrap();
    }
    std::fs::write(dir.path().join("other.txt"), D).unwrap();
    let out = analyze(dir.path());
    let groups = Csv::read(&out.path().join("reuse_groups.csv"));
    assert_eq!(
        groups.column("essay_id"),
        (1..=10).map(|i| i.to_string()).collect::<Vec<_>>()
    );
    assert!(groups.column("group").iter().all(|g| *g == "1"));
    assert!(groups.column("essays").iter().all(|g| *g == "10"));
    assert!(groups.column("jaccard").iter().all(|j| *j == "1.000000"));
    assert!(Csv::read(&out.path().join("reuse.csv")).rows.is_empty());
}

#[test]
fn reuse_can_be_left_out() {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "corpus", "--no-reuse", "--no-similarity", "-o"])
        .arg(out.path())
        .assert()
        .success();
    for name in [
        "reuse.csv",
        "reuse_groups.csv",
        "similarity.csv",
        "clusters.csv",
    ] {
        assert!(!out.path().join(name).exists(), "{name}");
    }
    wenxi()
        .args(["analyze", "corpus", "--dup-threshold", "2"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--dup-threshold"));
}
