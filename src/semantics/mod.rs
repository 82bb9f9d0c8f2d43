//! What a parsed file means, worked out once for the rules and the editor features alike: the
//! facts both read (how section headings match the policy's sections, ...). It sits above
//! `syntax`, `catalog` and `policy` and below `rules` and `ide`; neither of those imports the other.

pub mod conditions;
pub mod keys;
pub mod links;
pub mod mentions;
pub mod patterns;
pub mod sections;
pub mod tools;
