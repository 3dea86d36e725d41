//! Stage timings for profiling a run: with `WENXI_TIMINGS=1` in the environment each stage
//! prints its wall time and the process's resident memory on stderr when it ends. Off (one
//! cached check) otherwise; what the README's Scale section says about where the time goes
//! was measured with it.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("WENXI_TIMINGS").is_some_and(|v| v != "0"))
}

/// A stage being timed: prints `name`, seconds and memory when dropped.
pub struct Stage {
    name: &'static str,
    started: Option<Instant>,
}

/// Starts timing a stage (does nothing unless `WENXI_TIMINGS` is set).
pub fn stage(name: &'static str) -> Stage {
    Stage {
        name,
        started: enabled().then(Instant::now),
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(started) = self.started {
            eprintln!(
                "wenxi: timing: {:<28} {:>8.2} s  RSS {} MB (peak {} MB){}",
                self.name,
                started.elapsed().as_secs_f64(),
                status_mb("VmRSS:"),
                status_mb("VmHWM:"),
                in_use(),
            );
        }
    }
}

/// What the allocator holds for live blocks, beside the resident size: the difference is freed
/// memory the allocator keeps (glibc only; empty elsewhere).
fn in_use() -> String {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 only reads the allocator's statistics.
        let info = unsafe { libc::mallinfo2() };
        format!(
            ", in use {} MB, file-backed {} MB",
            (info.uordblks + info.hblkhd) >> 20,
            status_mb("RssFile:")
        )
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    String::new()
}

/// A line of /proc/self/status in MB (0 where there is none).
fn status_mb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// Times `f` and adds it to the running total of `name` (for stages run once a batch); the
/// totals are printed by [`totals`].
pub fn time<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    let started = stage_start();
    let value = f();
    add(name, started);
    value
}

/// The start of a stage whose time [`add`] adds to a total (None when timings are off).
pub fn stage_start() -> Option<Instant> {
    enabled().then(Instant::now)
}

/// Adds the time since `started` to the running total of `name`.
pub fn add(name: &'static str, started: Option<Instant>) {
    let Some(started) = started else { return };
    let elapsed = started.elapsed().as_secs_f64();
    let mut sums = SUMS.lock().unwrap_or_else(|e| e.into_inner());
    match sums.iter_mut().find(|(n, _)| *n == name) {
        Some((_, total)) => *total += elapsed,
        None => sums.push((name, elapsed)),
    }
}

static SUMS: std::sync::Mutex<Vec<(&'static str, f64)>> = std::sync::Mutex::new(Vec::new());

/// Prints and clears the totals of [`time`] and [`add`].
pub fn totals() {
    if !enabled() {
        return;
    }
    let mut sums = SUMS.lock().unwrap_or_else(|e| e.into_inner());
    for (name, total) in sums.drain(..) {
        eprintln!("wenxi: timing: {name:<28} {total:>8.2} s  (summed)");
    }
}
