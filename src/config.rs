//! What a [`Cleaner`](crate::Cleaner) does, as one value: which rules run and how.
//!
//! The command line and the config file both end up here. The file is TOML:
//!
//! ```toml
//! [rules]
//! entities = false        # switch a rule off (every rule is on by default)
//!
//! [punct]
//! style = "cjk"           # "cjk" (by context, the default), "ascii" or "keep"
//!
//! [glyphs]
//! script = "auto"         # "auto" (the default), "simplified" or "keep"
//!
//! [boilerplate]
//! drop = ['^本文由.{1,20}整理$']    # drop whole lines matching these patterns
//! cut_after = ['^延伸阅读$']         # a line matching these starts a trailing section
//! keep = ['^参考资料：见附录']        # never drop a line matching these
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::Error;
use crate::rules::{RuleId, RuleSet};

/// How the `punct` rule treats punctuation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PunctStyle {
    /// Punctuation that fits its context: Chinese forms inside Chinese text, ASCII inside Latin
    /// text.
    #[default]
    Cjk,
    /// ASCII punctuation everywhere.
    Ascii,
    /// Leave punctuation alone (the same as skipping the rule).
    Keep,
}

impl PunctStyle {
    pub fn from_name(name: &str) -> Option<PunctStyle> {
        match name {
            "cjk" => Some(PunctStyle::Cjk),
            "ascii" => Some(PunctStyle::Ascii),
            "keep" => Some(PunctStyle::Keep),
            _ => None,
        }
    }
}

/// How the `glyphs` rule treats traditional characters (`--script`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScriptMode {
    /// Repair a few traditional characters inside simplified paragraphs; leave paragraphs
    /// written in traditional characters alone.
    #[default]
    Auto,
    /// Convert every traditional character to simplified, phrase by phrase (乾隆 stays,
    /// 乾淨 becomes 干净).
    Simplified,
    /// Leave the script alone; only look-alike substitutions are repaired.
    Keep,
}

impl ScriptMode {
    pub fn from_name(name: &str) -> Option<ScriptMode> {
        match name {
            "auto" => Some(ScriptMode::Auto),
            "simplified" => Some(ScriptMode::Simplified),
            "keep" => Some(ScriptMode::Keep),
            _ => None,
        }
    }
}

/// Boilerplate rules of the user's own, as regular expressions (Rust `regex` syntax), added to
/// the built-in list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoilerplatePatterns {
    /// A line matching one of these is dropped.
    #[serde(default)]
    pub drop: Vec<String>,
    /// A line matching one of these starts a trailing section (like 参考资料) that is dropped
    /// when what follows it to the end of the document is short or link-like.
    #[serde(default)]
    pub cut_after: Vec<String>,
    /// A line matching one of these is never dropped, whatever else matches it.
    #[serde(default)]
    pub keep: Vec<String>,
}

/// Everything a [`Cleaner`](crate::Cleaner) needs to know.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub rules: RuleSet,
    pub punct: PunctStyle,
    pub script: ScriptMode,
    pub boilerplate: BoilerplatePatterns,
}

impl Config {
    /// Reads a TOML config file on top of `self` (file settings override defaults; the command
    /// line, applied afterwards by the caller, overrides the file).
    pub fn merge_file(&mut self, path: &Path) -> Result<(), Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        self.merge_toml(&text)
            .map_err(|message| Error::Config(format!("{}: {message}", path.display())))
    }

    /// Like [`Config::merge_file`], on the text of the file.
    pub fn merge_toml(&mut self, text: &str) -> Result<(), String> {
        let file: ConfigFile =
            toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
        for (name, on) in file.rules {
            let rule = RuleId::from_name(&name).ok_or_else(|| unknown_rule_message(&name))?;
            if on {
                self.rules.insert(rule);
            } else {
                self.rules.remove(rule);
            }
        }
        if let Some(punct) = file.punct {
            self.punct = punct.style;
        }
        if let Some(glyphs) = file.glyphs {
            self.script = glyphs.script;
        }
        if let Some(patterns) = file.boilerplate {
            self.boilerplate.drop.extend(patterns.drop);
            self.boilerplate.cut_after.extend(patterns.cut_after);
            self.boilerplate.keep.extend(patterns.keep);
        }
        Ok(())
    }
}

/// The name of the config file rinse looks for.
pub const CONFIG_FILE_NAME: &str = "rinse.toml";

/// The config file to read when none is named: `./rinse.toml`, else `rinse/rinse.toml` in the
/// user config directory (`$XDG_CONFIG_HOME`, or `$HOME/.config` when that is unset or
/// empty). A project's own settings win over the user's, as with `.editorconfig` and most
/// linters; the two are not merged, so what a run does can be read from one file.
pub fn discover_config_file() -> Option<std::path::PathBuf> {
    discover_in(
        Path::new("."),
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
}

fn discover_in(
    dir: &Path,
    xdg_config_home: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> Option<std::path::PathBuf> {
    let local = dir.join(CONFIG_FILE_NAME);
    if local.is_file() {
        return Some(local);
    }
    // The XDG spec says a relative $XDG_CONFIG_HOME is invalid and to be ignored.
    let user_dir = match xdg_config_home.map(std::path::PathBuf::from) {
        Some(xdg) if xdg.is_absolute() => xdg,
        _ => std::path::PathBuf::from(home.filter(|h| !h.is_empty())?).join(".config"),
    };
    let user = user_dir.join("rinse").join(CONFIG_FILE_NAME);
    user.is_file().then_some(user)
}

/// The message for a rule name that does not exist, listing the ones that do.
pub fn unknown_rule_message(name: &str) -> String {
    let names: Vec<&str> = RuleId::ALL.iter().map(|rule| rule.name()).collect();
    format!("unknown rule '{name}'; the rules are: {}", names.join(", "))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    rules: BTreeMap<String, bool>,
    punct: Option<PunctSection>,
    glyphs: Option<GlyphsSection>,
    boilerplate: Option<BoilerplatePatterns>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlyphsSection {
    script: ScriptMode,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PunctSection {
    style: PunctStyle,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_section() {
        let mut config = Config::default();
        config
            .merge_toml(
                "[rules]\nentities = false\n[punct]\nstyle = \"ascii\"\n[glyphs]\nscript = \"keep\"\n[boilerplate]\ndrop = ['^x$']\n",
            )
            .unwrap();
        assert!(!config.rules.contains(RuleId::Entities));
        assert!(config.rules.contains(RuleId::Punct));
        assert_eq!(config.punct, PunctStyle::Ascii);
        assert_eq!(config.script, ScriptMode::Keep);
        assert_eq!(config.boilerplate.drop, vec!["^x$".to_string()]);
    }

    #[test]
    fn unknown_rule_is_an_error_that_lists_the_rules() {
        let err = Config::default()
            .merge_toml("[rules]\npunctuation = false\n")
            .unwrap_err();
        assert!(err.contains("unknown rule 'punctuation'"), "{err}");
        assert!(err.contains("punct"), "{err}");
    }

    #[test]
    fn discovery_prefers_the_local_file_then_xdg_then_home() {
        let root = tempfile::tempdir().unwrap();
        let (project, xdg, home) = (
            root.path().join("p"),
            root.path().join("xdg"),
            root.path().join("home"),
        );
        for dir in [&project, &xdg.join("rinse"), &home.join(".config/rinse")] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let find = || {
            discover_in(
                &project,
                Some(xdg.clone().into()),
                Some(home.clone().into()),
            )
        };
        assert_eq!(find(), None);
        std::fs::write(home.join(".config/rinse/rinse.toml"), "").unwrap();
        // $XDG_CONFIG_HOME is set, so ~/.config is not looked at.
        assert_eq!(find(), None);
        assert_eq!(
            discover_in(&project, None, Some(home.clone().into())),
            Some(home.join(".config/rinse/rinse.toml"))
        );
        assert_eq!(
            discover_in(&project, Some("relative".into()), Some(home.clone().into())),
            Some(home.join(".config/rinse/rinse.toml"))
        );
        std::fs::write(xdg.join("rinse/rinse.toml"), "").unwrap();
        assert_eq!(find(), Some(xdg.join("rinse/rinse.toml")));
        std::fs::write(project.join("rinse.toml"), "").unwrap();
        assert_eq!(find(), Some(project.join("rinse.toml")));
        assert_eq!(discover_in(root.path(), None, None), None);
    }

    #[test]
    fn unknown_key_and_bad_value_are_errors() {
        assert!(Config::default()
            .merge_toml("[punct]\nstyle = \"fancy\"\n")
            .is_err());
        assert!(Config::default().merge_toml("[colour]\nx = 1\n").is_err());
        assert!(Config::default()
            .merge_toml("[rules]\nunicode = \"yes\"\n")
            .is_err());
    }
}
