//! Server-wide state besides the documents: the client's flags, the workspace root, the resolved
//! settings and the cache of loaded policies. Locks are std locks held only for a lookup.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use super::capabilities::ClientFlags;
use super::config::Config;
use crate::analysis::Settings;
use crate::policy::{self, LoadedPolicy};

#[derive(Default)]
struct Policies {
    /// The policy discovered from each folder that holds an open document.
    by_folder: HashMap<PathBuf, Arc<LoadedPolicy>>,
    /// The policy named by the `policyPath` setting.
    explicit: Option<Arc<LoadedPolicy>>,
    /// Policy errors already shown to the user, so each is shown once per load.
    reported: HashSet<String>,
}

#[derive(Default)]
pub struct Session {
    flags: RwLock<ClientFlags>,
    root: RwLock<Option<PathBuf>>,
    config: RwLock<Config>,
    policies: Mutex<Policies>,
    /// Bumped whenever settings or policies change, so pull-diagnostic result ids change too.
    generation: AtomicU64,
}

/// True for a policy file, judged by its name.
pub fn is_policy_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == policy::FILE_NAME)
}

impl Session {
    pub fn flags(&self) -> ClientFlags {
        *self.flags.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_flags(&self, flags: ClientFlags) {
        *self.flags.write().unwrap_or_else(PoisonError::into_inner) = flags;
    }

    pub fn root(&self) -> Option<PathBuf> {
        self.root.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn set_root(&self, root: Option<PathBuf>) {
        *self.root.write().unwrap_or_else(PoisonError::into_inner) = root;
    }

    pub fn config(&self) -> Config {
        self.config.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the settings; cached policies are dropped because `policyPath` may have changed.
    pub fn set_config(&self, config: Config) {
        *self.config.write().unwrap_or_else(PoisonError::into_inner) = config;
        self.invalidate_policies();
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Forgets every loaded policy; the next check loads them again from disk.
    pub fn invalidate_policies(&self) {
        *self.policies.lock().unwrap_or_else(PoisonError::into_inner) = Policies::default();
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// True when `path` is a policy file the server uses or could discover.
    pub fn is_policy_path(&self, path: &Path) -> bool {
        is_policy_file(path) || self.config().policy_path.as_deref() == Some(path)
    }

    /// The analysis settings for a document at `path` (or an unsaved one), plus the message of a
    /// broken policy the user has not been told about yet.
    pub fn settings_for(&self, path: Option<&Path>) -> (Settings, Option<String>) {
        self.settings(path, true)
    }

    /// The settings for a file read by the workspace index: as [`Session::settings_for`], but a
    /// broken policy is left for the next document check to report.
    pub fn settings_quiet(&self, path: &Path) -> Settings {
        self.settings(Some(path), false).0
    }

    fn settings(&self, path: Option<&Path>, report: bool) -> (Settings, Option<String>) {
        let config = self.config();
        let (policy, news) = self.policy_for(path, &config, report);
        let settings = Settings { policy, dialect_override: config.dialect, extra_tools: config.extra_tools.clone() };
        (settings, news)
    }

    fn policy_for(&self, path: Option<&Path>, config: &Config, report: bool) -> (Arc<LoadedPolicy>, Option<String>) {
        let root = self.root();
        let folder = path.and_then(Path::parent).map(Path::to_path_buf).or_else(|| root.clone());
        let mut cache = self.policies.lock().unwrap_or_else(PoisonError::into_inner);
        let loaded = if let Some(explicit) = &config.policy_path {
            cache.explicit.get_or_insert_with(|| Arc::new(policy::load(explicit))).clone()
        } else if let Some(folder) = folder {
            cache
                .by_folder
                .entry(folder)
                .or_insert_with_key(|f| Arc::new(policy::discover_within(f, root.as_deref())))
                .clone()
        } else {
            return (Arc::new(LoadedPolicy::builtin()), None);
        };
        let news = loaded.error.as_ref().filter(|_| report).and_then(|e| {
            let file =
                e.path.as_deref().or(loaded.path.as_deref()).map_or_else(String::new, |p| p.display().to_string());
            let message = format!("policy {file} is invalid, using the built-in default: {}", e.message);
            cache.reported.insert(message.clone()).then_some(message)
        });
        (loaded, news)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_policy_is_reported_once_per_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(policy::FILE_NAME), "tools: [unclosed\n").unwrap();
        let file = dir.path().join("agent.md");
        let session = Session::default();
        let (settings, news) = session.settings_for(Some(&file));
        assert!(settings.policy.error.is_some());
        assert!(news.is_some_and(|m| m.contains("invalid")));
        assert!(session.settings_for(Some(&file)).1.is_none());
        session.invalidate_policies();
        assert!(session.settings_for(Some(&file)).1.is_some());
    }
}
