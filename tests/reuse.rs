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

/// 1,000 essays written from 200 template sentences, ten each, every template in 50 essays:
/// 245,000 pairings, past the 200,000 up to which every pair is listed. reuse.csv then lists each
/// essay's ten partners sharing the most sentences (ties to the earlier essay), which this test
/// works out from the design of the essays, not from the program's output.
#[test]
fn past_the_pairings_limit_each_essay_lists_its_ten_closest_partners() {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut han = |n: usize| -> String {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from_u32(0x4E00 + (x % 20_000) as u32).unwrap()
            })
            .collect()
    };
    let templates: Vec<String> = (0..200).map(|_| format!("{}。", han(12))).collect();
    let sets: Vec<Vec<usize>> = (0..1_000)
        .map(|i| (0..10).map(|k| (i + k * 37) % 200).collect())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for (i, set) in sets.iter().enumerate() {
        let mut body = format!("{}。{}。", han(60), han(60));
        for &t in set {
            body.push_str(&templates[t]);
        }
        body.push_str(&format!("{}。{}。", han(60), han(60)));
        std::fs::write(dir.path().join(format!("e{i:04}.txt")), body).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let run = wenxi()
        .args([
            "analyze",
            "--no-similarity",
            "--no-charts",
            "--no-html",
            "-q",
        ])
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(
        stderr.contains("245000 pairings") && stderr.contains("10 partners"),
        "{stderr}"
    );
    // By the design: essays i and j share the templates their sets have in common.
    let mut expected: Vec<(usize, usize, usize)> = Vec::new();
    for i in 0..sets.len() {
        let mut partners: Vec<(usize, usize)> = (0..sets.len())
            .filter(|&j| j != i)
            .map(|j| (j, sets[j].iter().filter(|t| sets[i].contains(t)).count()))
            .filter(|&(_, c)| c > 0)
            .collect();
        partners.sort_by_key(|&(j, c)| (std::cmp::Reverse(c), j));
        expected.extend(
            partners
                .into_iter()
                .take(10)
                .map(|(j, c)| (i.min(j), i.max(j), c)),
        );
    }
    expected.sort_unstable();
    expected.dedup();
    let reuse = Csv::read(&out.path().join("reuse.csv"));
    let found: Vec<(usize, usize, usize)> = reuse
        .records()
        .iter()
        .map(|r| {
            let id = |k: &str| r[k].parse::<usize>().unwrap() - 1;
            (
                id("essay_a"),
                id("essay_b"),
                r["shared_sentences"].parse().unwrap(),
            )
        })
        .collect();
    assert!(Csv::read(&out.path().join("reuse_groups.csv"))
        .rows
        .is_empty());
    assert!(found.len() <= 10 * sets.len());
    assert_eq!(found, expected);
}
