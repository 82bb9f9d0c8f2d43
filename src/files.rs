//! The one thing the engine asks of the file system: does a file exist, and what does it hold.
//! Per-file analysis never asks; the link rules do, through this trait, so that the command line
//! reads the disk, the server its open documents first, and tests a map.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub trait Files: Sync {
    /// True when a file or folder is at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// The text of the file at `path`, if it is one and readable as UTF-8.
    fn read(&self, path: &Path) -> Option<String>;
}

/// The real file system.
pub struct Disk;

impl Files for Disk {
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn read(&self, path: &Path) -> Option<String> {
        // Memory files are small; a huge or binary target is not one to follow.
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > 4 << 20 {
            return None;
        }
        std::fs::read_to_string(path).ok()
    }
}

/// Files in memory, then (optionally) the disk: the server's open documents, or a test's files.
#[derive(Default)]
pub struct Overlay<'a> {
    pub files: HashMap<PathBuf, String>,
    pub fallback: Option<&'a dyn Files>,
}

impl Files for Overlay<'_> {
    fn exists(&self, path: &Path) -> bool {
        self.files.contains_key(path)
            || self.files.keys().any(|k| k.starts_with(path))
            || self.fallback.is_some_and(|f| f.exists(path))
    }

    fn read(&self, path: &Path) -> Option<String> {
        self.files.get(path).cloned().or_else(|| self.fallback.and_then(|f| f.read(path)))
    }
}
