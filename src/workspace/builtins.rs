//! The built-in agents and MCP servers of each product, from `data/workspace.yaml` (each list cites
//! its sources there).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::dialect::Dialect;

#[derive(Debug, Deserialize)]
struct Named {
    names: Vec<String>,
    #[allow(dead_code)]
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Data {
    builtin_agents: BTreeMap<String, Named>,
    builtin_mcp_servers: BTreeMap<String, Named>,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_yaml::from_str(include_str!("../../data/workspace.yaml")).expect("data/workspace.yaml is valid")
    })
}

fn names(m: &BTreeMap<String, Named>, d: Dialect) -> &[String] {
    m.get(d.id()).map_or(&[], |n| n.names.as_slice())
}

/// The agents `d` ships built in.
pub fn agents(d: Dialect) -> &'static [String] {
    names(&data().builtin_agents, d)
}

/// True when `name` is a built-in agent of `d`: exactly, as the loaders match names, except for
/// VS Code's built-in roles (`Agent`, `agent`).
pub fn is_agent(d: Dialect, name: &str) -> bool {
    agents(d).iter().any(|a| a == name || (d == Dialect::Copilot && a.eq_ignore_ascii_case(name)))
}

/// MCP servers `d` provides without configuration.
pub fn mcp_servers(d: Dialect) -> &'static [String] {
    names(&data().builtin_mcp_servers, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dialect_is_listed() {
        for d in Dialect::ALL {
            assert!(data().builtin_agents.contains_key(d.id()), "{d:?}");
            assert!(data().builtin_mcp_servers.contains_key(d.id()), "{d:?}");
        }
        assert!(is_agent(Dialect::Claude, "Explore"));
        assert!(is_agent(Dialect::Factory, "worker"));
        assert!(is_agent(Dialect::Opencode, "build"));
        for n in data().builtin_agents.values().chain(data().builtin_mcp_servers.values()) {
            assert!(n.names.is_empty() || !n.sources.is_empty(), "every list cites a source");
        }
    }
}
