//! `rinse --completions SHELL` and `rinse --man`: both generated from the one clap definition
//! of the flags, so they cannot fall out of step with `--help`.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::flags::Args;

pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut Args::command(), "rinse", out);
}

pub fn write_man_page(out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(Args::command()).render(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_name_the_flags() {
        let mut out = Vec::new();
        write_completions(clap_complete::Shell::Bash, &mut out);
        let script = String::from_utf8(out).unwrap();
        assert!(script.contains("complete -F _rinse"), "{script}");
        for flag in [
            "--jsonl",
            "--on-bad-record",
            "--stats-format",
            "--no-config",
        ] {
            assert!(script.contains(flag), "{flag} missing");
        }
    }

    #[test]
    fn man_page_is_roff_with_every_section() {
        let mut out = Vec::new();
        write_man_page(&mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
        assert!(page.contains(".TH rinse 1"), "no title");
        assert!(page.contains("\\-\\-drop\\-empty"), "no --drop-empty");
    }
}
