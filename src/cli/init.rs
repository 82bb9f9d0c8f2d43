//! `agentls init`: writes a starter `.agentls.yaml` into the current folder. The starter names
//! the policy's JSON Schema on its first line (the schema's `$id`) and sets nothing but sections
//! at hint level, so checking a repository with it fails exactly when checking without it does.

use std::path::Path;

use super::{EXIT_OK, EXIT_USAGE};

/// The file `init` writes.
pub const STARTER: &str = include_str!("starter.agentls.yaml");

/// Writes `.agentls.yaml` into `dir`; refuses to replace an existing one unless `force`.
pub fn init(dir: &Path, force: bool) -> i32 {
    let path = dir.join(".agentls.yaml");
    if path.exists() && !force {
        eprintln!("agentls: error: .agentls.yaml already exists here; `agentls init --force` replaces it");
        return EXIT_USAGE;
    }
    match std::fs::write(&path, STARTER) {
        Ok(()) => {
            println!("wrote .agentls.yaml (sections at hint level only; see `agentls check --hints`)");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("agentls: error: cannot write .agentls.yaml: {e}");
            EXIT_USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::STARTER;

    #[test]
    fn starter_is_a_valid_policy_without_errors() {
        let (policy, problems) = crate::policy::parse_all(STARTER, None);
        assert!(policy.is_some() && problems.is_empty(), "{problems:?}");
    }

    /// The first line names the schema by its `$id`, so editors find it from the file itself.
    #[test]
    fn starter_names_the_schema_id() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schemas/agentls-policy.schema.json")).unwrap();
        let id = schema["$id"].as_str().unwrap();
        assert_eq!(STARTER.lines().next().unwrap(), format!("# yaml-language-server: $schema={id}"));
    }
}
