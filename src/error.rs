//! The errors rinse reports. Each message says what went wrong and, where there is one, what to
//! do next; `main` prints them once as `rinse: …` and maps them to an exit code.

use std::fmt;
use std::io;

#[derive(Debug)]
pub enum Error {
    /// A bad option, config file or pattern. Exit code 2.
    Config(String),
    /// Reading or writing `path` failed. Exit code 3.
    Io { path: String, source: io::Error },
}

impl Error {
    /// The exit code documented in `rinse --help`.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) => 2,
            Error::Io { .. } => 3,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => f.write_str(message),
            Error::Io { path, source } => write!(f, "{path}: {}", describe_io_error(source)),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Config(_) => None,
            Error::Io { source, .. } => Some(source),
        }
    }
}

/// An I/O error in words a user can act on.
fn describe_io_error(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::StorageFull => {
            "no space left on device; free some space and run again".to_string()
        }
        io::ErrorKind::IsADirectory => "is a directory; pass the files inside it".to_string(),
        io::ErrorKind::FileTooLarge => {
            "file too large for the file-size limit (ulimit -f) or the file system".to_string()
        }
        _ => err.to_string(),
    }
}
