//! A global allocator that scans every block it frees for secrets: the heap tests of the keyring
//! and of EdDSA signing include it (`#[path]`), each in a test binary of its own, since it
//! replaces the binary's allocator. Set [`NEEDLES`], raise [`ARMED`], run the code, lower it and
//! read [`FOUND`].

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The first 16 bytes of every secret to look for; set before the scan is armed.
pub static NEEDLES: OnceLock<Vec<[u8; 16]>> = OnceLock::new();
pub static ARMED: AtomicBool = AtomicBool::new(false);
pub static FOUND: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, which looks through each block it is asked to free for a needle.
/// Reallocation goes through `alloc` + `dealloc` (the trait's default), so a block a growing
/// vector leaves behind is scanned too.
struct Scanning;

unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst)
            && let Some(needles) = NEEDLES.get()
        {
            // SAFETY: the block is live until the `System.dealloc` below.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            let hits = needles
                .iter()
                .filter(|needle| block.windows(needle.len()).any(|w| w == needle.as_slice()))
                .count();
            FOUND.fetch_add(hits, Ordering::SeqCst);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

/// A made-up raw key, different for each `seed`.
pub fn raw_key(seed: u8) -> [u8; 32] {
    std::array::from_fn(|i| (i as u8).wrapping_mul(151).wrapping_add(seed))
}
