//! Giving freed memory back to the operating system between the stages of a long run.
//!
//! glibc's allocator keeps the pages of freed blocks in its arenas (one or more a thread) and
//! returns them only from the top of a heap. A streaming run frees the text and tokens of every
//! batch, then the reuse hashes and each essay's counts once their vectors are made; without
//! a trim those pages stay resident, and the neighbour search's vectors and index come on top
//! of them. `malloc_trim(0)` releases every whole free page of every arena (`madvise`).

/// Returns the free pages of the allocator's arenas to the system (glibc only; elsewhere the
/// allocator is left to do as it does).
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointer.
        crate::timing::time("give memory back", || unsafe {
            libc::malloc_trim(0);
        });
    }
}

/// Blocks from this size up get pages of their own, which go back to the system when freed.
/// glibc's threshold starts at 128 KB but rises to the size of each such block freed (up to
/// 32 MB), after which a batch's large buffers (text, tokens, rows) came from the heap and left
/// holes among the blocks that stay. Fixed at 1 MB, the peak at 5 MB went from 198 to 183 MB and
/// at 50 MB from 307–327 to 288–291 MB, for about 2.5% more time (9.88 s against 10.12 s, three
/// runs each at 50 MB); at 500 MB, 1,048 MB against 1,048–1,067.
const MMAP_THRESHOLD: i32 = 1 << 20;

/// Limits glibc to one arena per worker thread (at least two) for the run, and fixes the size
/// from which blocks are mapped on their own ([`MMAP_THRESHOLD`]). Each arena keeps the
/// memory its threads freed; by default glibc makes up to eight per core, and the main thread,
/// the workers and the table writer each freed a batch's buffers into one of their own. At
/// 500 MB on two threads this lowered the neighbour search's resident memory from 1,120 to
/// 1,086 MB in the same time; one arena for all was 60% slower (every allocation waited on one
/// lock).
pub fn tune_allocator(threads: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let arenas = threads.max(2).min(i32::MAX as usize) as i32;
        // SAFETY: mallopt only sets the allocator's parameters; called before the run's threads
        // start.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = threads;
}
