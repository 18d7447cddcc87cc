//! `--report FILE`: every change, one JSON object per line (see `rinse::report`).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use rinse::Error;

/// The `--report` file. A write error is kept and reported at the end, so that the run and
/// its other outputs are not cut short by a full disk on the side.
pub struct ChangesFile {
    path: PathBuf,
    out: BufWriter<File>,
    error: Option<io::Error>,
}

impl ChangesFile {
    pub fn create(path: Option<&Path>) -> Result<Option<ChangesFile>, Error> {
        let Some(path) = path else { return Ok(None) };
        let file = File::create(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Some(ChangesFile {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            error: None,
        }))
    }

    pub fn write_line(&mut self, line: &str) {
        if self.error.is_none() {
            if let Err(err) = writeln!(self.out, "{line}") {
                self.error = Some(err);
            }
        }
    }

    pub fn finish(mut self) -> Result<(), Error> {
        match self.error.take().map_or_else(|| self.out.flush(), Err) {
            Ok(()) => Ok(()),
            Err(source) => Err(Error::Io {
                path: self.path.display().to_string(),
                source,
            }),
        }
    }
}
