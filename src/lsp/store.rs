//! The open documents: one snapshot per document (text, line index, version) that requests and
//! checks read without holding any lock.
//!
//! Edits apply to the text and its line index in place (the index is updated around the edit,
//! not rebuilt), so a keystroke in a large file costs a move of the bytes after it, not a copy
//! of the whole text and a rescan for line breaks. A snapshot still held by a reader (a check of
//! the previous version, say) is never changed: the store then edits a copy.
//!
//! Every method takes the std mutex briefly and never across an `.await`: notification handlers
//! call these synchronously before their first `.await`, so edits apply in the order the client
//! sent them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};

use tower_lsp_server::ls_types as lsp;

use super::proto::Lines;
use crate::analysis::{self, Analysis, Settings};
use crate::diagnostic::Diagnostic;
use crate::syntax::{self, ParsedFile};
use crate::text::{Encoding, LineCol, LineIndex};

/// One version of a document, shared with whoever is reading it.
///
/// It also keeps what the engine derived from this version, so diagnostics, hover, code actions
/// and the rest parse and check a version once, not once per request: the parse (independent of
/// settings) and the engine's diagnostics for one settings generation. Both are cleared whenever
/// the text changes (see [`Store::change`]) and never copied to another snapshot.
#[derive(Debug)]
pub struct Snapshot {
    pub uri: lsp::Uri,
    /// The file path for `file:` URIs; `None` for unsaved buffers and other schemes.
    pub path: Option<PathBuf>,
    pub version: i32,
    pub text: String,
    pub index: LineIndex,
    parsed: OnceLock<Arc<ParsedFile>>,
    /// The diagnostics with the settings generation they were computed under.
    checked: Mutex<Option<(u64, Arc<Vec<Diagnostic>>)>>,
}

impl Clone for Snapshot {
    /// A copy of the text and index, without the derived data.
    fn clone(&self) -> Snapshot {
        Snapshot::with_index(self.uri.clone(), self.path.clone(), self.version, self.text.clone(), self.index.clone())
    }
}

impl Snapshot {
    fn new(uri: lsp::Uri, path: Option<PathBuf>, version: i32, text: String) -> Snapshot {
        let index = LineIndex::new(&text);
        Snapshot::with_index(uri, path, version, text, index)
    }

    fn with_index(uri: lsp::Uri, path: Option<PathBuf>, version: i32, text: String, index: LineIndex) -> Snapshot {
        Snapshot { uri, path, version, text, index, parsed: OnceLock::new(), checked: Mutex::new(None) }
    }

    /// Forgets what was derived from the text, before the text changes.
    fn forget_derived(&mut self) {
        self.parsed = OnceLock::new();
        *self.checked.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Runs `f` on the engine's analysis of this version under `settings`, resolved from the
    /// cached parse. The first call parses and then keeps the parse; later calls share it.
    pub fn with_analysis<R>(&self, settings: &Settings, f: impl FnOnce(&Analysis<'_>) -> R) -> R {
        let path = self.path.as_deref();
        if let Some(parsed) = self.parsed.get() {
            return f(&analysis::resolve(&self.text, Arc::clone(parsed), path, settings));
        }
        let a = analysis::resolve(&self.text, Arc::new(syntax::parse(&self.text)), path, settings);
        let r = f(&a);
        // A racing request may have stored its parse first; both are the parse of this text.
        let _ = self.parsed.set(a.parsed);
        r
    }

    /// The engine's diagnostics under the settings of `generation`: the cached ones when they
    /// were computed under that generation, otherwise those `check` computes (then cached).
    pub fn diagnostics(&self, generation: u64, check: impl FnOnce() -> Vec<Diagnostic>) -> Arc<Vec<Diagnostic>> {
        let lock = || self.checked.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((g, diags)) = lock().as_ref() {
            if *g == generation {
                return diags.clone();
            }
        }
        // Computed without the lock held; two racing requests may both compute, which is harmless.
        let diags = Arc::new(check());
        *lock() = Some((generation, diags.clone()));
        diags
    }

    /// The text with its line index, for conversions in the given encoding.
    pub fn lines(&self, enc: Encoding) -> Lines<'_> {
        Lines { text: &self.text, index: &self.index, enc }
    }
}

struct Document {
    snapshot: Arc<Snapshot>,
}

/// Why a change was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    UnknownDocument,
    /// The change's version is older than the document's.
    StaleVersion {
        have: i32,
        got: i32,
    },
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::UnknownDocument => write!(f, "change for a document that is not open"),
            ChangeError::StaleVersion { have, got } => {
                write!(f, "change to version {got} is older than the open version {have}")
            }
        }
    }
}

/// The file path of a `file:` URI.
pub fn path_of(uri: &lsp::Uri) -> Option<PathBuf> {
    let is_file = uri.scheme().as_str().eq_ignore_ascii_case("file");
    if !is_file {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

#[derive(Default)]
pub struct Store {
    docs: Mutex<HashMap<lsp::Uri, Document>>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, HashMap<lsp::Uri, Document>> {
        // A panic elsewhere while the lock was held leaves the map consistent (every update is a
        // single insert), so a poisoned lock is still safe to use.
        self.docs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens (or reopens, replacing) a document.
    pub fn open(&self, uri: lsp::Uri, version: i32, text: String) -> Arc<Snapshot> {
        let path = path_of(&uri);
        let snapshot = Arc::new(Snapshot::new(uri.clone(), path, version, text));
        self.lock().insert(uri, Document { snapshot: snapshot.clone() });
        snapshot
    }

    /// Applies content changes in order. A change without a range replaces the whole text.
    pub fn change(
        &self,
        uri: &lsp::Uri,
        version: i32,
        changes: &[lsp::TextDocumentContentChangeEvent],
        enc: Encoding,
    ) -> Result<Arc<Snapshot>, ChangeError> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri).ok_or(ChangeError::UnknownDocument)?;
        let have = doc.snapshot.version;
        if version < have {
            return Err(ChangeError::StaleVersion { have, got: version });
        }
        // Copies the snapshot only if a reader still holds it.
        let snap = Arc::make_mut(&mut doc.snapshot);
        snap.forget_derived();
        snap.version = version;
        for change in changes {
            match change.range {
                None => {
                    snap.text.clone_from(&change.text);
                    snap.index = LineIndex::new(&snap.text);
                }
                Some(range) => {
                    let at = |p: lsp::Position| {
                        snap.index.offset(&snap.text, LineCol { line: p.line, col: p.character }, enc)
                    };
                    let (a, b) = (at(range.start), at(range.end));
                    snap.index.replace(&mut snap.text, a.min(b)..a.max(b), &change.text);
                }
            }
        }
        Ok(doc.snapshot.clone())
    }

    /// Closes a document; false if it was not open.
    pub fn close(&self, uri: &lsp::Uri) -> bool {
        self.lock().remove(uri).is_some()
    }

    pub fn get(&self, uri: &lsp::Uri) -> Option<Arc<Snapshot>> {
        self.lock().get(uri).map(|d| d.snapshot.clone())
    }

    /// True while `snap` is the document's current snapshot: no change (not even one that repeats
    /// the version number, as some clients do) and no close came after it. A snapshot held by a
    /// reader is never edited in place, so identity is exact.
    pub fn is_current(&self, snap: &Arc<Snapshot>) -> bool {
        self.lock().get(&snap.uri).is_some_and(|d| Arc::ptr_eq(&d.snapshot, snap))
    }

    /// [`Store::is_current`] for a snapshot the caller has let go of (so that the next change can
    /// edit it in place): true while the document `uri` still has that snapshot, unchanged.
    /// The weak reference keeps the snapshot's allocation, so no later snapshot can share its
    /// address.
    pub fn is_still_current(&self, uri: &lsp::Uri, snap: &Weak<Snapshot>) -> bool {
        self.lock().get(uri).is_some_and(|d| std::ptr::eq(Arc::as_ptr(&d.snapshot), snap.as_ptr()))
    }

    /// The current version of a document, if open.
    pub fn version(&self, uri: &lsp::Uri) -> Option<i32> {
        self.lock().get(uri).map(|d| d.snapshot.version)
    }

    pub fn all(&self) -> Vec<Arc<Snapshot>> {
        self.lock().values().map(|d| d.snapshot.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> lsp::TextDocumentContentChangeEvent {
        lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(lsp::Position::new(l1, c1), lsp::Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn edits_apply_in_order_and_stale_versions_are_refused() {
        let store = Store::default();
        let uri = lsp::Uri::from_str("file:///w/.factory/droids/a.md").unwrap();
        let s = store.open(uri.clone(), 1, "a😀b\r\nc".into());
        assert_eq!(s.path.as_deref(), Some(std::path::Path::new("/w/.factory/droids/a.md")));
        // Replace the emoji (UTF-16 columns 1..3), then append on line 1 past its end (clamped).
        let edits = [change(0, 1, 0, 3, "é"), change(1, 99, 1, 99, "!")];
        let s = store.change(&uri, 2, &edits, Encoding::Utf16).unwrap();
        assert_eq!(s.text, "aéb\r\nc!");
        let stale = store.change(&uri, 1, &edits, Encoding::Utf16).unwrap_err();
        assert_eq!(stale, ChangeError::StaleVersion { have: 2, got: 1 });
        let other = lsp::Uri::from_str("untitled:x").unwrap();
        let unknown = store.change(&other, 3, &edits, Encoding::Utf16).unwrap_err();
        assert_eq!(unknown, ChangeError::UnknownDocument);
        assert!(store.close(&uri));
        assert!(store.get(&uri).is_none());
    }

    #[test]
    fn a_snapshot_held_by_a_reader_never_changes() {
        let store = Store::default();
        let uri = lsp::Uri::from_str("file:///w/.factory/droids/a.md").unwrap();
        let held = store.open(uri.clone(), 1, "one\ntwo\n".into());
        let next = store.change(&uri, 2, &[change(1, 0, 1, 3, "2")], Encoding::Utf16).unwrap();
        assert_eq!((held.version, held.text.as_str()), (1, "one\ntwo\n"));
        assert_eq!(held.index, LineIndex::new("one\ntwo\n"));
        assert_eq!((next.version, next.text.as_str()), (2, "one\n2\n"));
        drop(next);
        // Nobody holds version 2 any more: version 3 is edited in place and is what `get` sees.
        let third = store.change(&uri, 3, &[change(0, 0, 0, 0, ">")], Encoding::Utf16).unwrap();
        assert_eq!(third.text, ">one\n2\n");
        assert_eq!(third.index, LineIndex::new(">one\n2\n"));
        assert!(Arc::ptr_eq(&third, &store.get(&uri).unwrap()));
        assert!(store.is_current(&third) && !store.is_current(&held));
        // A change that repeats the version still makes the held snapshot outdated.
        let again = store.change(&uri, 3, &[change(0, 0, 0, 1, "")], Encoding::Utf16).unwrap();
        assert!(store.is_current(&again) && !store.is_current(&third));
    }

    #[test]
    fn a_snapshot_let_go_of_is_edited_in_place_and_no_longer_current() {
        let store = Store::default();
        let uri = lsp::Uri::from_str("file:///w/.factory/droids/a.md").unwrap();
        let mut text = String::with_capacity(64);
        text.push_str("one\n");
        let snap = store.open(uri.clone(), 1, text);
        let checked = Arc::downgrade(&snap);
        let text_at = snap.text.as_ptr();
        drop(snap);
        assert!(store.is_still_current(&uri, &checked));
        let next = store.change(&uri, 2, &[change(0, 3, 0, 3, "!")], Encoding::Utf16).unwrap();
        // Only a weak reference was left: the text moved with the snapshot instead of being copied.
        assert_eq!(next.text.as_ptr(), text_at);
        assert!(!store.is_still_current(&uri, &checked));
        assert!(store.is_still_current(&uri, &Arc::downgrade(&next)));
    }
}
