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

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
