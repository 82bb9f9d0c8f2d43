//! The team policy file `.agentls.yaml`: denied and allowed tools, models, required and
//! recommended body sections, limits, rule severities and per-glob overrides. A built-in default
//! policy applies when there is none. The format is documented in `docs/policy.md` and has a
//! JSON Schema in `schemas/agentls-policy.schema.json`.
//!
//! This module is the facade; the parts live in submodules by concern:
//!
//! - `schema`: the serde types of the file.
//! - `load`: discovery, file I/O, the typed read and the built-in default.
//! - `validate`: checks serde cannot express, and the located [`PolicyError`].
//! - `merge`: the policy as it applies to one file, overrides layered by typed [`Written`] flags.
//! - `glob`: the name globs and the file globs, and why they differ.
//! - `tree`: a YAML tree with spans, to locate errors and refuse alias bombs.

mod glob;
mod load;
mod merge;
mod schema;
mod tree;
mod validate;

pub use glob::glob_any;
pub use load::{
    builtin_default, discover, discover_within, find, find_within, load, parse, parse_all, FILE_NAME, MAX_POLICY_BYTES,
};
pub use merge::{
    DescriptionWritten, EffectivePolicy, ListsWritten, LoadedPolicy, NameWritten, SectionsWritten, Written,
};
pub use schema::{
    DescriptionPolicy, ExtraModel, ExtraTool, ModelsPolicy, NamePolicy, Override, Policy, RuleLevel, SectionSpec,
    SectionsPolicy, ToolsPolicy,
};
pub use validate::PolicyError;
