//! The `wenxi` binary: parse the command line, run, report the error, choose the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = wenxi::cli::Cli::parse();
    match wenxi::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Every file wenxi writes names itself in its error: a bare I/O error is the
            // terminal's or a pipe's, where the results are printed.
            if err.downcast_ref::<std::io::Error>().is_some() {
                eprintln!(
                    "wenxi: cannot write the results to standard output: {}",
                    message(&err)
                );
                return ExitCode::from(wenxi::cli::EXIT_ERROR);
            }
            eprintln!("wenxi: {}", message(&err));
            if is_disk_full(&err) {
                eprintln!(
                    "wenxi: the disk is full: free some space, or give another folder with -o; \
                     the reports of an earlier run there are left as they were"
                );
            }
            ExitCode::from(wenxi::cli::EXIT_ERROR)
        }
    }
}

/// The error and its causes, `: `-separated, each said once: a cause whose text the one before
/// already ends with (Polars' I/O errors repeat the `std::io::Error` they wrap) is left out.
fn message(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if parts.last().is_some_and(|last| last.ends_with(&text)) {
            continue;
        }
        parts.push(text);
    }
    parts.join(": ")
}

/// ENOSPC somewhere in the chain (Polars keeps only the text of some I/O errors).
fn is_disk_full(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::StorageFull)
            || cause.to_string().contains("(os error 28)")
    })
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapping(std::io::Error);

    impl std::fmt::Display for Wrapping {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "io error: {}", self.0)
        }
    }

    impl std::error::Error for Wrapping {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cause_is_said_once() {
        let io = std::io::Error::from_raw_os_error(28);
        let err = anyhow::Error::new(Wrapping(io)).context("cannot write report out/essays.csv");
        let said = message(&err);
        assert_eq!(said.matches("os error 28").count(), 1, "{said}");
        assert!(said.starts_with("cannot write report out/essays.csv: io error: "));
        assert!(is_disk_full(&err));
        assert!(!is_disk_full(&anyhow::anyhow!("no essay text found")));
    }
}
