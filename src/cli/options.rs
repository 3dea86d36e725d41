//! The options of a run as `run.json` records them: every option with its value, given or
//! default, as the command line spells values, so that a record says how its reports were made
//! without parsing its command line again.

use std::path::{Path, PathBuf};

use super::analyze::Args;

/// The options of the run for `run.json`: every option of `analyze` with its value, given or
/// default (`null` when unset), as the command line spells values; not the hidden
/// `--batch-bytes`, on which no output depends.
pub fn of_analyze(args: &Args) -> serde_json::Map<String, serde_json::Value> {
    use clap::ValueEnum;
    use serde_json::json;
    fn name<T: ValueEnum>(value: &T) -> String {
        value
            .to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
    let path = |p: &Path| p.to_string_lossy().into_owned();
    let maybe = |p: &Option<PathBuf>| p.as_deref().map(path);
    let input = &args.input;
    let mut map = serde_json::Map::new();
    for (key, value) in [
        (
            "paths",
            json!(input
                .paths
                .iter()
                .map(|p| path(p.as_path()))
                .collect::<Vec<_>>()),
        ),
        ("output", json!(path(args.output.as_path()))),
        ("format", json!(name(&args.format))),
        ("jobs", json!(input.jobs)),
        ("encoding", json!(input.encoding)),
        ("split_regex", json!(input.split_regex)),
        ("user_dict", json!(maybe(&input.user_dict))),
        ("markers", json!(maybe(&input.markers))),
        ("text_column", json!(input.text_column)),
        ("title_column", json!(input.title_column)),
        ("id_column", json!(input.id_column)),
        ("metadata", json!(maybe(&input.metadata))),
        ("metadata_key", json!(input.metadata_key)),
        ("metadata_match", json!(name(&input.metadata_match))),
        ("metadata_encoding", json!(input.metadata_encoding)),
        ("include", json!(input.include)),
        ("script", json!(name(&input.script))),
        ("opencc", json!(name(&input.opencc))),
        ("top", json!(args.top)),
        (
            "keywords",
            json!(args.keywords.iter().map(name).collect::<Vec<_>>()),
        ),
        ("clusters", json!(args.clusters)),
        ("no_similarity", json!(args.no_similarity)),
        ("all_pairs", json!(args.all_pairs)),
        ("neighbour_budget", json!(args.neighbour_budget)),
        ("exact_neighbours", json!(args.exact_neighbours)),
        ("check_neighbours", json!(args.check_neighbours)),
        ("dup_threshold", json!(args.dup_threshold)),
        ("no_reuse", json!(args.no_reuse)),
        (
            "ngrams",
            json!(args
                .ngrams
                .as_ref()
                .map(|r| format!("{}..{}", r.start(), r.end()))),
        ),
        (
            "report_script",
            json!(name(&args.report_script.report_script)),
        ),
        ("group_by", json!(args.group_by)),
        ("themes", json!(maybe(&args.themes))),
        ("no_themes", json!(args.no_themes)),
        ("no_html", json!(args.no_html)),
        ("lang", json!(name(&args.lang))),
        ("no_charts", json!(args.no_charts)),
        ("dpi", json!(args.dpi)),
        ("font", json!(maybe(&args.font))),
        ("stopwords", json!(maybe(&args.stop.stopwords))),
        (
            "no_builtin_stopwords",
            json!(args.stop.no_builtin_stopwords),
        ),
        ("no_bom", json!(args.no_bom)),
        ("quiet", json!(args.quiet)),
        ("essay_word_freq", json!(name(&args.essay_word_freq))),
    ] {
        map.insert(key.to_owned(), value);
    }
    map
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use crate::cli::{Cli, Command};

    /// A new option of `analyze` must reach run.json too: every argument clap knows (but the
    /// hidden `--batch-bytes` and help) is a key of the record, and no key is unknown to clap.
    #[test]
    fn every_analyze_option_is_recorded() {
        let cli = Cli::try_parse_from(["wenxi", "analyze"]).unwrap();
        let Command::Analyze(args) = cli.command else {
            panic!("analyze parses as analyze");
        };
        let recorded: std::collections::BTreeSet<String> =
            super::of_analyze(&args).keys().cloned().collect();
        let command = Cli::command();
        let analyze = command.find_subcommand("analyze").unwrap();
        let known: std::collections::BTreeSet<String> = analyze
            .get_arguments()
            .map(|a| a.get_id().as_str().to_owned())
            .filter(|id| id != "batch_bytes" && id != "help")
            .collect();
        assert_eq!(recorded, known);
    }
}
