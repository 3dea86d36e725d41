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
