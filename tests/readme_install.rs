//! The README's install lines (one per editor, one for CI) are each tied to the CI step that runs
//! them: `.ci/run` for the cargo install and the action, `editors/check.sh` and the editor suites
//! for the editors. A line that no longer matches what CI runs, or a place without a line, fails.

use std::path::Path;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `(place, line)` for every `- **Place**: `line`` item of the README's `## Install` section.
fn install_lines() -> Vec<(String, String)> {
    let readme = read("README.md");
    let start = readme.find("\n## Install\n").expect("README has an ## Install section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut lines = Vec::new();
    for item in section.lines().filter(|l| l.starts_with("- **")) {
        let (place, rest) =
            item[4..].split_once("**: `").unwrap_or_else(|| panic!("install item without a `line`: {item}"));
        let line = rest.split_once('`').unwrap_or_else(|| panic!("unclosed `line` in: {item}")).0;
        lines.push((place.to_string(), line.to_string()));
    }
    lines
}

fn line_for(place: &str) -> String {
    let lines = install_lines();
    lines
        .iter()
        .find(|(p, _)| p == place)
        .unwrap_or_else(|| panic!("the README's Install section has no line for {place}: {lines:?}"))
        .1
        .clone()
}

/// The repository URL of Cargo.toml's [package], which every line that names the repository uses.
fn repository() -> String {
    let manifest = read("Cargo.toml");
    let line = manifest.lines().find(|l| l.starts_with("repository = ")).expect("Cargo.toml has a repository");
    line.trim_start_matches("repository = ").trim_matches('"').to_string()
}

#[test]
fn every_install_line_has_a_check_and_every_check_a_line() {
    let places: Vec<String> = install_lines().into_iter().map(|(p, _)| p).collect();
    assert_eq!(places, ["Command line", "VS Code", "Neovim 0.11+", "Helix", "CI (GitHub Actions)"]);
}

#[test]
fn command_line_is_the_cargo_install_that_ci_runs() {
    let line = line_for("Command line");
    assert_eq!(line, format!("cargo install --locked --git {} agentls", repository()));
    // .ci/run installs the same way from the local clone: same flags and package, plus a revision and
    // a temporary --root.
    let ci = read(".ci/run");
    let cmd = ci.lines().map(str::trim).find(|l| l.starts_with("cargo install ")).expect(".ci/run runs cargo install");
    assert!(cmd.starts_with("cargo install --locked --git \"file://$PWD\" "), "{cmd}");
    assert!(cmd.ends_with(" agentls"), "{cmd}");
    assert!(cmd.contains("--root \"$ROOT\""), "{cmd}");
    assert!(ci.contains("\"$ROOT/bin/agentls\" --version"), ".ci/run runs the installed binary");
}

#[test]
fn vscode_line_installs_the_vsix_that_check_sh_packages_and_tests() {
    let line = line_for("VS Code");
    let file = line.strip_prefix("code --install-extension ").expect("a code --install-extension line");
    let platform = file
        .strip_prefix("agentls-vscode-")
        .and_then(|f| f.strip_suffix(".vsix"))
        .expect("agentls-vscode-<platform>.vsix");
    let script = read("editors/vscode/scripts/package-target.sh");
    assert!(
        script.contains("vsix=agentls-vscode-$platform.vsix"),
        "package-target.sh names the file as the README does"
    );
    assert!(
        script.contains(&format!("x86_64-unknown-linux-gnu) platform={platform} ;;")),
        "the README's platform is the Linux x86_64 one"
    );
    // Every platform the README lists is one the script maps a release target to.
    let readme = read("README.md");
    for p in ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"] {
        assert!(script.contains(&format!("platform={p} ;;")), "{p}");
        assert!(readme.contains(&format!("`{p}`")), "{p}");
    }
    let check = read("editors/check.sh");
    assert!(check.contains("scripts/package-target.sh \"$host\" \"$SERVER\""), "check.sh packages the host's .vsix");
    assert!(check.contains("unpack-vsix.py"), "check.sh unpacks it as VS Code installs it");
    assert!(check.contains("AGENTLS_EXPECT_SOURCE=bundled"), "check.sh tests the bundled server");
    assert!(read(".github/workflows/release.yml").contains("editors/vscode/scripts/package-target.sh \"$TARGET\""));
    assert!(read(".ci/run").contains("editors/check.sh \"$BIN\""), ".ci/run runs the editor suites");
}

#[test]
fn neovim_line_is_what_the_neovim_suite_enables() {
    let line = line_for("Neovim 0.11+");
    assert_eq!(line, "vim.lsp.enable('agentls')");
    assert!(read("editors/neovim/test/test.lua").contains(&line), "test.lua enables the config the same way");
    let run = read("editors/neovim/test/run.sh");
    assert!(
        run.contains("for config_dir in \"$NVIM_DIR\" \"$NVIM_DIR/lspconfig\""),
        "both lsp/agentls.lua files are tested"
    );
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/neovim/lsp/agentls.lua").is_file());
}

#[test]
fn helix_line_is_in_the_languages_toml_the_helix_suite_uses() {
    let line = line_for("Helix");
    let toml = read("editors/helix/languages.toml");
    assert!(toml.lines().any(|l| l == line), "editors/helix/languages.toml has the line `{line}`");
    let run = read("editors/helix/test/run.sh");
    assert!(
        run.contains("cp \"$HELIX_DIR/languages.toml\" \"$W/config/helix/languages.toml\""),
        "the suite uses the file verbatim"
    );
    assert!(run.contains("languages-marksman.toml"), "the marksman variant is checked too");
}

#[test]
fn ci_line_uses_this_repositorys_action_whose_scripts_ci_runs() {
    let line = line_for("CI (GitHub Actions)");
    let slug = repository().trim_start_matches("https://github.com/").to_string();
    assert_eq!(line, format!("- uses: {slug}@main"));
    let action = read("action.yml");
    assert!(action.contains("using: composite"));
    let ci = read(".ci/run");
    for script in [".github/action/install.sh", ".github/action/check.sh"] {
        assert!(action.contains(&format!("$GITHUB_ACTION_PATH/{script}")), "action.yml runs {script}");
        assert!(ci.contains(script), ".ci/run runs {script}");
    }
    // The README's CI example is the one documented below the line.
    assert!(read("README.md").contains(&format!("  {line}   # inputs:")));
}
