//! `index.html`: one file that reads nothing from anywhere, its embedded data checked against
//! the CSV reports, and the page driven in a real browser (Debian's chromium through
//! chromedriver, which .ci/run installs): search, sorting, markers, no console error.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{analyze, wenxi, Csv};
use serde_json::{json, Value};

fn titles(out: &Path) -> Vec<String> {
    Csv::read(&out.join("essays.csv"))
        .column("title")
        .iter()
        .map(|t| t.to_string())
        .collect()
}

/// The JSON the page's script reads.
fn page_data(page: &str) -> Value {
    let start = page
        .find("<script id=\"wenxi-data\" type=\"application/json\">")
        .expect("the data block");
    let rest = &page[start..];
    let rest = &rest[rest.find('>').unwrap() + 1..];
    let end = rest.find("</script>").unwrap();
    serde_json::from_str(&rest[..end].replace("<\\/", "</")).unwrap()
}

/// The tokens of a page essay, as the script reads them: base-36 ids into the vocabulary.
fn tokens<'v>(essay: &Value, vocab: &'v [Value]) -> Vec<&'v str> {
    essay["tok"]
        .as_str()
        .unwrap()
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| {
            vocab[usize::from_str_radix(t, 36).unwrap()]
                .as_str()
                .unwrap()
        })
        .collect()
}

fn utf16_slice(text: &str, start: u64, len: u64) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..(start + len) as usize]).unwrap()
}

#[test]
fn the_page_is_one_file_that_reads_nothing_from_anywhere() {
    let out = analyze("corpus");
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    // Nothing is fetched: no remote address, no script or stylesheet from a file.
    for remote in [
        "http://",
        "https://",
        "<script src",
        "rel=\"stylesheet\"",
        "<img",
    ] {
        assert!(!page.contains(remote), "{remote}");
    }
    // Every chart inline as SVG, each with its caption and links to its PNG and SVG files.
    let charts: Vec<String> = std::fs::read_dir(out.path().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".svg"))
        .collect();
    assert_eq!(charts.len(), 10);
    assert_eq!(page.matches("<figure class=\"chart\"").count(), 10);
    for chart in &charts {
        let png = chart.replace(".svg", ".png");
        assert!(page.contains(&format!("href=\"charts/{png}\"")), "{png}");
        assert!(out.path().join("charts").join(&png).exists());
    }
    assert!(
        !page.contains("<figcaption>top_words"),
        "captions say what a chart shows"
    );
    assert!(
        page.contains("src:url(data:font/otf;base64,"),
        "the font travels with the page"
    );
    for table in [
        "files.csv",
        "essays.csv",
        "word_freq.csv",
        "keywords.csv",
        "structure.csv",
        "themes.csv",
    ] {
        assert!(page.contains(&format!("href=\"{table}\"")), "{table}");
        assert!(out.path().join(table).exists());
    }
    for section in [
        "总览",
        "词频",
        "关键词",
        "结构",
        "主题",
        "相似与重复",
        "索引行 KWIC",
        "每篇文章",
    ] {
        assert!(
            page.contains(&format!("\">{section}</a>")),
            "{section} in the navigation"
        );
    }

    let data = page_data(&page);
    // The files table speaks Chinese: the reader's English message is translated.
    let file = &data["tables"]["files"]["rows"][0];
    let message = file[5].as_str().unwrap();
    assert!(!message.contains("compiled page"), "{message}");
    assert!(message.contains("10"), "{message}");
    // Every essay is in the tables and, the corpus being small, in full in the page.
    let essays = data["essays"].as_array().unwrap();
    let titles = titles(out.path());
    assert_eq!(essays.len(), titles.len());
    assert_eq!(data["complete"], true);
    for (essay, title) in essays.iter().zip(&titles) {
        assert_eq!(essay["title"].as_str().unwrap(), title);
    }
    // The page's tokens, counted here, give word_freq.csv's counts: the search box finds a
    // word as often as the analysis counted it.
    let vocab = data["vocab"].as_array().unwrap();
    let mut counted: HashMap<&str, u64> = HashMap::new();
    for essay in essays {
        // The tokens are the essay's text without its whitespace, in order.
        let text: String = essay["text"]
            .as_str()
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let toks = tokens(essay, vocab);
        assert_eq!(toks.concat(), text);
        for t in toks {
            *counted.entry(t).or_default() += 1;
        }
    }
    let words = Csv::read(&out.path().join("word_freq.csv"));
    for row in words.records() {
        assert_eq!(
            counted.get(row["word"]).copied().unwrap_or(0),
            row["count"].parse::<u64>().unwrap(),
            "{}",
            row["word"]
        );
    }
    // Each essay's markers, where markers.csv says: the page's offsets land on their text.
    let markers = Csv::read(&out.path().join("markers.csv"));
    for essay in essays {
        let id = essay["id"].as_u64().unwrap().to_string();
        let expected: Vec<&str> = markers
            .records()
            .iter()
            .filter(|r| r["essay_id"] == id)
            .map(|r| r["marker"])
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let text = essay["text"].as_str().unwrap();
        let found: Vec<String> = essay["marks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| utf16_slice(text, m[0].as_u64().unwrap(), m[1].as_u64().unwrap()))
            .collect();
        assert_eq!(found, expected, "essay {id}");
    }
    // Each essay's readability and HSK level beside its text, as structure.csv has them.
    let structure = Csv::read(&out.path().join("structure.csv"));
    for (row, essay) in structure.records().iter().zip(essays) {
        let figures: HashMap<&str, &str> = essay["fig"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f[0].as_str().unwrap(), f[1].as_str().unwrap()))
            .collect();
        let r3: f64 = row["xu_r3"].parse().unwrap();
        assert_eq!(
            figures["可读性（徐巍、姚振晔、陈冬华）"],
            format!("{r3:.2}")
        );
        // An empty level is "beyond the standard" when the essay has Han characters, and no
        // level at all (a dash) when it has none.
        let level = match (row["hsk_level"], row["han_characters"]) {
            ("7", _) => "7–9",
            ("", "0") => "—",
            ("", _) => "超出标准",
            (l, _) => l,
        };
        assert_eq!(figures["HSK 3.0 汉字等级（覆盖 95%）"], level);
    }
    // 篇三's paragraph-initial markers.
    assert!(page.contains("首先→其次→再次→此外→总之"));
}

/// An essay without Han characters has no HSK level: the page shows a dash, as structure.csv
/// and `wenxi structure` leave it empty, and not "beyond the standard", which is what an essay
/// whose characters no level covers to 95% gets (empty in structure.csv too, told apart there by
/// its Han characters).
#[test]
fn no_han_characters_is_no_hsk_level_not_beyond_the_standard() {
    let dir = tempfile::tempdir().unwrap();
    // 龘 and 㐀 are none of HSK 3.0's 3,000 characters: 6 of 7 ungraded, no level reaches 95%.
    std::fs::write(dir.path().join("a_beyond.txt"), "龘龘龘㐀㐀㐀我。\n").unwrap();
    std::fs::write(dir.path().join("b_numbers.txt"), "12345 67890\n").unwrap();
    std::fs::write(dir.path().join("c_level_one.txt"), "我是中国人。\n").unwrap();
    for lang in ["zh", "en"] {
        let out = tempfile::tempdir().unwrap();
        wenxi()
            .arg("analyze")
            .arg(dir.path())
            .args(["--lang", lang, "--no-charts", "-q", "-o"])
            .arg(out.path())
            .assert()
            .success();
        let structure = Csv::read(&out.path().join("structure.csv"));
        assert_eq!(structure.column("hsk_level"), ["", "", "1"]);
        assert_eq!(structure.column("han_characters")[1], "0");
        assert_ne!(structure.column("han_characters")[0], "0");
        let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
        let data = page_data(&page);
        let (label, beyond) = match lang {
            "zh" => ("HSK 3.0 汉字等级（覆盖 95%）", "超出标准"),
            _ => (
                "HSK 3.0 character level (95% coverage)",
                "beyond the standard",
            ),
        };
        // Beside each essay's text.
        let shown: Vec<String> = data["essays"]
            .as_array()
            .unwrap()
            .iter()
            .map(|essay| {
                let figure = essay["fig"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f[0] == label)
                    .unwrap_or_else(|| panic!("no {label} in {}", essay["fig"]));
                figure[1].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(shown, [beyond, "—", "1"], "{lang}");
        // And in the structure table, its column named as the page names it.
        let table = &data["tables"]["structure"];
        let column = table["cols"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c.to_string().contains("HSK"))
            .unwrap_or_else(|| panic!("no HSK column in {}", table["cols"]));
        let shown: Vec<&str> = table["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row[column].as_str().unwrap())
            .collect();
        assert_eq!(shown, [beyond, "—", "1"], "{lang}");
    }
}

#[test]
fn an_english_page_with_lang_en() {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "corpus", "--lang", "en", "--no-charts", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(page.contains("<html lang=\"en\">"));
    for label in ["Overview", "Concordance (KWIC)", "Similarity &amp; reuse"] {
        assert!(page.contains(label), "{label}");
    }
    assert!(!page.contains("索引行"));
    let data = page_data(&page);
    assert!(data["tables"]["files"]["rows"][0][5]
        .as_str()
        .unwrap()
        .contains("compiled page"));
}

/// Debian's chromium, or the one named by WENXI_CHROMIUM.
fn chromium() -> Option<PathBuf> {
    [
        std::env::var("WENXI_CHROMIUM").unwrap_or_default(),
        "/usr/bin/chromium".into(),
        "/usr/bin/chromium-browser".into(),
    ]
    .into_iter()
    .filter(|c| !c.is_empty())
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// A WebDriver session on chromedriver, spoken over plain HTTP/1.1 (W3C WebDriver).
struct Driver {
    child: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    fn start(chromium: &Path, chromedriver: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let mut driver = Driver {
            child,
            port,
            session: String::new(),
            _profile: profile,
        };
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,1600",
            &format!("--user-data-dir={}", driver._profile.path().display()),
        ];
        let reply = driver.call(
            "POST",
            "/session",
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": chromium, "args": args},
                "goog:loggingPrefs": {"browser": "ALL"},
            }}}),
        );
        driver.session = reply["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {reply}"))
            .to_owned();
        driver
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let body = if method == "GET" {
            String::new()
        } else {
            body.to_string()
        };
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .unwrap();
        // chromedriver may keep the connection open: read the head, then Content-Length bytes.
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut reply = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            let n = stream.read(&mut buf).unwrap();
            reply.extend_from_slice(&buf[..n]);
            if n == 0 {
                break;
            }
            if let Some(end) = reply.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&reply[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok());
                if let Some(length) = length {
                    if reply.len() >= end + 4 + length {
                        break;
                    }
                }
            }
        }
        let reply = String::from_utf8(reply).unwrap();
        let (head, mut content) = reply.split_once("\r\n\r\n").unwrap();
        let decoded;
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            let mut out = String::new();
            let mut rest = content;
            loop {
                let (size, tail) = rest.split_once("\r\n").unwrap();
                let size = usize::from_str_radix(size.trim(), 16).unwrap();
                if size == 0 {
                    break;
                }
                out.push_str(&tail[..size]);
                rest = &tail[size + 2..];
            }
            decoded = out;
            content = &decoded;
        }
        let value: Value =
            serde_json::from_str(content).unwrap_or_else(|e| panic!("{e}: {content}"));
        value["value"].clone()
    }

    fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn script(&self, script: &str) -> Value {
        let value = self.session_call(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        );
        assert!(value.get("error").is_none(), "{script}: {value}");
        value
    }

    fn element(&self, css: &str) -> String {
        let found = self.session_call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned()
    }

    /// Waits until `script` returns something other than null or false.
    fn wait_for(&self, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.script(script);
            if !value.is_null() && value != json!(false) {
                return value;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "timed out: {script}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            self.call("DELETE", &format!("/session/{}", self.session), json!({}));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_page_in_a_real_browser() {
    let (Some(chromium), Some(chromedriver)) = (
        chromium(),
        ["/usr/bin/chromedriver"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists()),
    ) else {
        // CI installs both, so there a missing browser is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium or chromedriver is not installed; .ci/run installs them"
        );
        eprintln!("skipped: no chromium/chromedriver (apt-get install chromium chromium-driver)");
        return;
    };
    let out = analyze("corpus");
    let words = Csv::read(&out.path().join("word_freq.csv"));
    let markers = Csv::read(&out.path().join("markers.csv"));
    let driver = Driver::start(&chromium, &chromedriver);
    let url = format!("file://{}", out.path().join("index.html").display());
    driver.session_call("POST", "/url", json!({"url": url}));

    // The page's own font (cut down to the page's characters at run time) is one the browser
    // accepts: a font that fails its checks (OTS) would leave the status "error".
    driver.script(
        "document.fonts.load(\"16px 'wenxi-cjk'\", '社区志愿者疫情')\
           .then(f => window.wenxiFonts = f.map(x => x.status))\
           .catch(e => window.wenxiFonts = ['error: ' + e]); return true;",
    );
    let fonts = driver.wait_for("return window.wenxiFonts || null;");
    assert_eq!(fonts, json!(["loaded"]));
    // It draws hanzi at a CJK font's width (one em), not as fallback boxes of another width.
    let width = driver.script(
        "const c = document.createElement('canvas').getContext('2d');\
         c.font = \"100px 'wenxi-cjk', monospace\"; return c.measureText('社区').width;",
    );
    assert_eq!(width.as_f64().unwrap().round(), 200.0, "{width}");

    // Typing a word shows as many concordance rows as word_freq.csv counts for it.
    for word in ["社区", "志愿者", "首先"] {
        let count: usize = words.records().iter().find(|r| r["word"] == word).unwrap()["count"]
            .parse()
            .unwrap();
        assert!(count > 0 && count < 2000);
        let q = driver.element("#q");
        driver.session_call("POST", &format!("/element/{q}/clear"), json!({}));
        driver.session_call(
            "POST",
            &format!("/element/{q}/value"),
            json!({"text": word}),
        );
        let rows = driver.wait_for(&format!(
            "const p = document.querySelector('#results p.hits');\
             return p && p.textContent.includes('“{word}”') ? document.querySelectorAll('#results tr.kwic-row').length : null;"
        ));
        assert_eq!(rows.as_u64().unwrap() as usize, count, "{word}");
        // Every row's node is the word.
        let nodes = driver.script("return [...document.querySelectorAll('#results tr.kwic-row td.node')].map(td => td.textContent);");
        assert!(
            nodes.as_array().unwrap().iter().all(|n| n == word),
            "{word}"
        );
    }

    // Clicking a word in the word table searches it.
    // (A click event on the cell: WebDriver's pointer click can land on the fixed navigation.)
    let clicked = driver.script(
        "const w = document.querySelector('#table-words tbody tr:nth-child(3) span.w'); w.click(); return w.dataset.w;",
    );
    let clicked = clicked.as_str().unwrap();
    let rows = driver.wait_for(&format!(
        "const p = document.querySelector('#results p.hits');\
         return p && p.textContent.includes('“{clicked}”') ? Number(p.dataset.count) : null;"
    ));
    let count: u64 = words
        .records()
        .iter()
        .find(|r| r["word"] == clicked)
        .unwrap()["count"]
        .parse()
        .unwrap();
    assert_eq!(rows.as_u64().unwrap(), count, "{clicked}");

    // Sorting the structure table by a numeric column orders it, both ways.
    let header = "document.querySelector('#table-structure th:nth-child(5)').click(); return true;";
    let column = "return [...document.querySelectorAll('#table-structure tbody tr')].map(tr => Number(tr.children[4].textContent.replace(/,/g, '')));";
    for descending in [true, false] {
        driver.script(header);
        let values: Vec<f64> = driver
            .script(column)
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(values.len(), 10);
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| {
            if descending {
                b.total_cmp(a)
            } else {
                a.total_cmp(b)
            }
        });
        assert_eq!(values, sorted, "descending: {descending}");
        assert!(values.first() != values.last());
    }

    // Each essay's view highlights each of its markers from markers.csv, in order, by kind.
    for id in ["1", "3", "9"] {
        driver.session_call("POST", "/url", json!({"url": format!("{url}#essay-{id}")}));
        let marks = driver.wait_for(&format!(
            "const h = document.querySelector('#essay-view h3.essay-title');\
             return h && h.textContent.startsWith('{id}.') ? [...document.querySelectorAll('#essay-view .text mark')].map(m => [m.textContent, m.className]) : null;"
        ));
        let expected: Vec<Value> = markers
            .records()
            .iter()
            .filter(|r| r["essay_id"] == id)
            .map(|r| json!([r["marker"], format!("m-{}", r["kind"])]))
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(marks.as_array().unwrap(), &expected, "essay {id}");
    }
    // The next-essay button moves on.
    driver.script("document.getElementById('next-essay').click(); return true;");
    driver.wait_for("const h = document.querySelector('#essay-view h3.essay-title'); return h && h.textContent.startsWith('10.');");

    // A traditional essay is searched converted and shown as written: searching 学习 (or 學習)
    // finds as many rows as word_freq.csv counts, each showing 學習, and the essay's view shows
    // the file's own text.
    let dir = tempfile::tempdir().unwrap();
    let traditional = "疫情期間，我們在家學習。\n老師每天線上教學，同學們在家學習，互相幫助。";
    std::fs::write(dir.path().join("學習.txt"), traditional).unwrap();
    let out = analyze(dir.path());
    let count: usize = Csv::read(&out.path().join("word_freq.csv"))
        .records()
        .iter()
        .find(|r| r["word"] == "學習")
        .unwrap()["count"]
        .parse()
        .unwrap();
    assert_eq!(count, 2);
    let url = format!("file://{}", out.path().join("index.html").display());
    driver.session_call("POST", "/url", json!({"url": url}));
    let q = driver.element("#q");
    // The node column of the concordance once the page has searched `word`.
    let search = |word: &str| {
        driver.session_call("POST", &format!("/element/{q}/clear"), json!({}));
        driver.session_call(
            "POST",
            &format!("/element/{q}/value"),
            json!({"text": word}),
        );
        driver.wait_for(&format!(
            "const p = document.querySelector('#results p.hits');\
             return p && p.textContent.includes('“{word}”') ? [...document.querySelectorAll('#results tr.kwic-row td.node')].map(td => td.textContent) : null;"
        ))
    };
    let nodes = search("学习");
    assert_eq!(nodes, json!(vec!["學習"; count]));
    // Typed as the essay writes it, the word finds the same rows.
    assert_eq!(search("學習"), nodes);
    driver.session_call("POST", "/url", json!({"url": format!("{url}#essay-1")}));
    let text = driver.wait_for(
        "const t = document.querySelector('#essay-view .text');\
         return t && t.textContent.length > 0 ? [...t.querySelectorAll('p')].map(p => p.textContent) : null;",
    );
    assert_eq!(text, json!(traditional.lines().collect::<Vec<_>>()));

    // No console error, no failed request, from loading to here.
    let log = driver.session_call("POST", "/se/log", json!({"type": "browser"}));
    let entries = log
        .as_array()
        .unwrap_or_else(|| panic!("no browser log: {log}"));
    let errors: Vec<&Value> = entries.iter().filter(|e| e["level"] == "SEVERE").collect();
    assert!(errors.is_empty(), "{errors:?}");
}
