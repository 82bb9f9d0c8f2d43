//! Key applicability: which frontmatter keys a kind of file reads (agent, prompt, chat mode).

use crate::catalog::KeySpec;
use crate::dialect::FileKind;

/// The id of a file kind, as the catalogs' `kinds:` lists name it.
pub fn kind_id(k: FileKind) -> &'static str {
    k.id()
}

/// True when the key is read in this kind of file.
pub fn applies(spec: &KeySpec, kind: FileKind) -> bool {
    spec.kinds.is_empty() || spec.kinds.iter().any(|k| k == kind_id(kind))
}
