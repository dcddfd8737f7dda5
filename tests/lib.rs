//! Helpers for Tandem's cross-crate scenarios and benchmarks.

pub mod corpus;

use std::path::PathBuf;

/// This crate's fixtures folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// `../shared/corpora` beside the checkout, when it is there. Tests that use it print why they
/// skip when it is not, and never are the only test of a behaviour.
pub fn shared_corpora() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpora");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is not here (the shared real-world corpora are optional)", dir.display());
        None
    }
}

/// Every file under `dir` whose name ends with `suffix`, sorted.
pub fn files_with_suffix(dir: &std::path::Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().to_ascii_lowercase().ends_with(suffix) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
