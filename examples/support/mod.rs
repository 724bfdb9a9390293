//! What the measuring programs share: jemalloc as the allocator, as in the binary, and its
//! count of live bytes.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Megabytes the program has allocated and not freed, as jemalloc counts them (not the
/// resident memory the allocator keeps).
#[cfg(not(target_env = "msvc"))]
pub fn live_mb() -> f64 {
    use tikv_jemalloc_ctl::{epoch, stats};
    let _ = epoch::advance();
    stats::allocated::read().unwrap_or(0) as f64 / 1_048_576.0
}

#[cfg(target_env = "msvc")]
pub fn live_mb() -> f64 {
    0.0
}

/// Megabytes of physical memory jemalloc holds (live bytes, the room around them in its
/// pages, its own bookkeeping): what the live bytes cost in resident memory.
#[cfg(not(target_env = "msvc"))]
#[allow(dead_code)] // not every measuring program asks
pub fn held_mb() -> f64 {
    use tikv_jemalloc_ctl::{epoch, stats};
    let _ = epoch::advance();
    stats::resident::read().unwrap_or(0) as f64 / 1_048_576.0
}

#[cfg(target_env = "msvc")]
#[allow(dead_code)]
pub fn held_mb() -> f64 {
    0.0
}
