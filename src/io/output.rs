//! Writing files so that they are never left half-written.
//!
//! Output to a regular file (`-o FILE`, `--in-place`) goes to a temporary file in the same
//! directory, which replaces the target by a rename only once everything was written and
//! flushed. On any error the temporary file is removed and the target is as it was.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A file being written in the target's directory, renamed over the target by [`commit`].
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    target: PathBuf,
    temp: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `target`. Its permissions and owner, if it exists, are given to the new
    /// file; a new file gets the permissions a plain create would give it (the umask's). A
    /// symbolic link is followed: the file it points to is replaced, the link stays.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let target = &match fs::canonicalize(target) {
            Ok(real) => real,
            Err(_) => target.to_path_buf(),
        };
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".rinse-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let metadata = match fs::metadata(target) {
            Ok(metadata) => metadata,
            // Create the target empty to learn the umask's permissions for it; the rename
            // replaces it.
            Err(_) => fs::File::options()
                .write(true)
                .create_new(true)
                .open(target)?
                .metadata()?,
        };
        temp.as_file().set_permissions(metadata.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Keep the owner when root rewrites someone else's file; a user who may not give
            // the file away keeps their own ownership, which is all they could have.
            let _ = std::os::unix::fs::fchown(
                temp.as_file(),
                Some(metadata.uid()),
                Some(metadata.gid()),
            );
        }
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp: BufWriter::with_capacity(1 << 16, temp),
        })
    }

    /// Whether `path` should be written through an [`AtomicFile`]: a regular file or a name
    /// that does not exist yet. Devices and pipes (`/dev/stdout`, a FIFO) are written directly.
    pub fn suits(path: &Path) -> bool {
        match fs::metadata(path) {
            Ok(metadata) => metadata.is_file(),
            Err(_) => true,
        }
    }

    /// Flushes, syncs and renames the file over the target.
    pub fn commit(self) -> io::Result<()> {
        let temp = self.temp.into_inner().map_err(|e| e.into_error())?;
        temp.as_file().sync_all()?;
        temp.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.temp.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

/// Writes whole lines, each ended by "\n", to `out` with the same writes to the writer beneath
/// as writing each line's text and then its "\n" with `write_all` would make. Where standard
/// output and standard error go to the same file, what is printed on standard error between
/// two lines then lands where it did, however the lines were grouped. Only where the buffer
/// fills up are the lines looked at one by one.
pub fn write_lines_buffered<W: Write>(out: &mut BufWriter<W>, mut lines: &[u8]) -> io::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    loop {
        let room = out.capacity() - out.buffer().len();
        if lines.len() < room {
            return out.write_all(lines);
        }
        if lines.len() == room {
            // Every piece fits, the last one just so; a single write as large as the buffer
            // would go straight through instead.
            let (most, last) = lines.split_at(lines.len() - 1);
            out.write_all(most)?;
            return out.write_all(last);
        }
        // One piece (a text or its "\n") at a time, every piece that ends within `room` would
        // be copied into the buffer, and the next one would flush it first.
        let fits = match memchr::memrchr(b'\n', &lines[..=room]) {
            // The text that ends at `room` fits, not its "\n".
            Some(at) if at == room => room,
            Some(at) => at + 1,
            None => 0,
        };
        out.write_all(&lines[..fits])?;
        let rest = &lines[fits..];
        let piece = match rest.first() {
            Some(b'\n') => 1,
            _ => memchr::memchr(b'\n', rest).unwrap_or(rest.len()),
        };
        out.write_all(&rest[..piece])?;
        lines = &rest[piece..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that keeps each write it is given apart.
    #[derive(Default)]
    struct Writes(Vec<Vec<u8>>);

    impl Write for Writes {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_written_at_once_make_the_writes_of_lines_written_one_by_one() {
        let texts = [
            "",
            "a",
            "bb",
            "ccc",
            "dddddd",
            "e",
            "",
            "",
            "ffffffffffff",
            "gg",
        ];
        for capacity in 1..40 {
            for skip in 0..texts.len() {
                for already in 0..capacity.min(5) {
                    let lines: Vec<&str> =
                        texts.iter().cycle().skip(skip).take(13).copied().collect();
                    let mut one_by_one = BufWriter::with_capacity(capacity, Writes::default());
                    let mut at_once = BufWriter::with_capacity(capacity, Writes::default());
                    one_by_one.write_all(&b"x".repeat(already)).unwrap();
                    at_once.write_all(&b"x".repeat(already)).unwrap();
                    let mut run = String::new();
                    for text in &lines {
                        one_by_one.write_all(text.as_bytes()).unwrap();
                        one_by_one.write_all(b"\n").unwrap();
                        run.push_str(text);
                        run.push('\n');
                    }
                    write_lines_buffered(&mut at_once, run.as_bytes()).unwrap();
                    assert_eq!(one_by_one.buffer(), at_once.buffer(), "capacity {capacity}");
                    assert_eq!(
                        one_by_one.get_ref().0,
                        at_once.get_ref().0,
                        "capacity {capacity}, {already} bytes buffered, lines {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn replaces_target_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.txt");
        fs::write(&target, "old").unwrap();
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        file.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn dropping_without_commit_leaves_target_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.txt");
        fs::write(&target, "old").unwrap();
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn follows_symlinks_and_gives_new_files_plain_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut file = AtomicFile::create(&link).unwrap();
        file.write_all(b"new").unwrap();
        file.commit().unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");

        let fresh = dir.path().join("fresh.txt");
        AtomicFile::create(&fresh).unwrap().commit().unwrap();
        let plain = dir.path().join("plain.txt");
        fs::File::create(&plain).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&fresh), mode(&plain));
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.sh");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o754)).unwrap();
        let file = AtomicFile::create(&target).unwrap();
        file.commit().unwrap();
        assert_eq!(
            fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o754
        );
    }
}
