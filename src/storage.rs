//! Where uploaded files live: a directory on local disk by default, behind this small
//! interface so that an object store can replace it. Keys are generated here (never derived
//! from what the user sent); files are written under a temporary name and renamed when
//! complete, so an interrupted upload never leaves a half file under a real key.
//!
//! Uploads are written with `O_DIRECT` where the file system allows it: a citizen's scan is
//! written once and read rarely, so copying it through the page cache only costs CPU (on this
//! project's 2-core test machine, 4 ms of kernel time per fresh megabyte, a third of a
//! submission's cost) and pushes out the pages PostgreSQL reads. Data goes to the disk in
//! blocks of [`BLOCK`] bytes from a 4 KiB-aligned buffer; the last block is padded to the
//! alignment and the file cut back to its size, then synced. Where `O_DIRECT` is refused
//! (tmpfs before Linux 6.6, some network file systems) the same code writes through the page
//! cache.

use std::io::Write;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// Alignment of direct I/O: the buffer's address, each write's length and file offset.
const ALIGN: usize = 4096;
/// How much of an upload is buffered before it is written.
const BLOCK: usize = 1 << 20;

/// How many upload buffers are kept for reuse (a megabyte each).
const KEPT_BUFFERS: usize = 16;

/// Local-disk storage under one root directory.
#[derive(Debug, Clone)]
pub struct Storage {
    root: PathBuf,
    buffers: Buffers,
}

/// The buffers of finished uploads, kept for the next ones: a fresh megabyte is zeroed and
/// faulted in page by page on every upload.
#[derive(Clone, Default)]
struct Buffers(std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>);

impl std::fmt::Debug for Buffers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.0.lock().map_or(0, |b| b.len());
        write!(f, "Buffers({kept} kept)")
    }
}

impl Buffers {
    /// A buffer of `BLOCK + ALIGN` bytes (its contents are not cleared: only what an upload
    /// writes into it, and zeroed padding, ever reaches a file).
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut kept| kept.pop())
            .unwrap_or_else(|| vec![0; BLOCK + ALIGN])
    }

    fn give_back(&self, buf: Vec<u8>) {
        if buf.len() != BLOCK + ALIGN {
            return;
        }
        if let Ok(mut kept) = self.0.lock()
            && kept.len() < KEPT_BUFFERS
        {
            kept.push(buf);
        }
    }
}

/// A file being written: fed chunk by chunk, then committed or abandoned.
pub struct Upload {
    key: String,
    temp: PathBuf,
    /// The temporary file once opened (at the first full block, or at the commit: a file of
    /// one block or less costs one blocking task), and whether it is written directly.
    file: Option<(std::fs::File, bool)>,
    /// Whether the file may exist on disk (an open was tried).
    touched: bool,
    /// Whether the buffer's data start is aligned for direct I/O.
    aligned: bool,
    /// `BLOCK + ALIGN` bytes; the data sits at `offset..offset + filled`, `offset` aligned
    buf: Vec<u8>,
    offset: usize,
    filled: usize,
    hasher: Sha256,
    pub size: u64,
    /// The first bytes, for recognising the file type.
    pub head: Vec<u8>,
}

/// Opens a new temporary file, for direct I/O when `direct` and the file system allows it;
/// says whether it is.
fn open_temp(temp: &std::path::Path, direct: bool) -> std::io::Result<(std::fs::File, bool)> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(target_os = "linux")]
    if direct {
        let mut direct = options.clone();
        direct.custom_flags(libc::O_DIRECT);
        match direct.open(temp) {
            Ok(file) => return Ok((file, true)),
            // the file is created before O_DIRECT is refused: remove it, then open it plainly
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                let _ = std::fs::remove_file(temp);
            }
            Err(e) => return Err(e),
        }
    }
    Ok((options.open(temp)?, false))
}

/// The upload's file `temp`, opened (its directory made first) unless it is already.
fn opened(
    file: Option<(std::fs::File, bool)>,
    temp: &std::path::Path,
    aligned: bool,
) -> std::io::Result<(std::fs::File, bool)> {
    if let Some(open) = file {
        return Ok(open);
    }
    if let Some(dir) = temp.parent() {
        std::fs::create_dir_all(dir)?;
    }
    open_temp(temp, aligned)
}

fn blocking_error(e: tokio::task::JoinError) -> std::io::Error {
    std::io::Error::other(e)
}

impl Storage {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            buffers: Buffers::default(),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    /// Starts a new file under a fresh key.
    pub async fn begin(&self) -> std::io::Result<Upload> {
        let key = uuid::Uuid::new_v4().simple().to_string();
        let temp = self.root.join("tmp").join(&key);
        let buf = self.buffers.take();
        // an aligned start within the buffer's first ALIGN bytes (always found for bytes; if
        // not, the file is written through the page cache from the buffer's start)
        let aligned = buf.as_ptr().align_offset(ALIGN);
        let offset = if aligned < ALIGN { aligned } else { 0 };
        Ok(Upload {
            key,
            temp,
            file: None,
            touched: false,
            aligned: aligned < ALIGN,
            buf,
            offset,
            filled: 0,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
        })
    }

    /// Writes what is buffered, syncs the file and moves it to its key; returns the key and
    /// the SHA-256.
    pub async fn commit(&self, mut upload: Upload) -> std::io::Result<(String, String)> {
        let file = upload.file.take();
        upload.touched = true;
        let (offset, filled, size, aligned) =
            (upload.offset, upload.filled, upload.size, upload.aligned);
        let mut buf = std::mem::take(&mut upload.buf);
        let temp = upload.temp.clone();
        let path = self.path(&upload.key);
        let (written, buf) = tokio::task::spawn_blocking(move || {
            let write = |buf: &mut [u8]| {
                let (mut file, direct) = opened(file, &temp, aligned)?;
                // direct I/O writes whole aligned blocks: pad, then cut back to the size
                let padded = if direct {
                    filled.div_ceil(ALIGN) * ALIGN
                } else {
                    filled
                };
                buf[offset + filled..offset + padded].fill(0);
                file.write_all(&buf[offset..offset + padded])?;
                if padded != filled {
                    file.set_len(size)?;
                }
                file.sync_all()?;
                drop(file);
                std::fs::rename(&temp, &path)?;
                // the new name is durable too before the database refers to it
                match path.parent() {
                    Some(dir) => std::fs::File::open(dir)?.sync_all(),
                    None => Ok(()),
                }
            };
            (write(&mut buf), buf)
        })
        .await
        .map_err(blocking_error)?;
        self.buffers.give_back(buf);
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&upload.temp).await;
            return Err(e);
        }
        Ok((
            std::mem::take(&mut upload.key),
            hex::encode(std::mem::take(&mut upload.hasher).finalize()),
        ))
    }

    /// Throws an upload away.
    pub async fn abandon(&self, mut upload: Upload) {
        drop(upload.file.take());
        self.buffers.give_back(std::mem::take(&mut upload.buf));
        if upload.touched {
            let _ = tokio::fs::remove_file(&upload.temp).await;
        }
    }

    pub async fn read(&self, key: &str) -> std::io::Result<Vec<u8>> {
        if !is_key(key) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "bad key",
            ));
        }
        tokio::fs::read(self.path(key)).await
    }

    pub async fn delete(&self, key: &str) -> std::io::Result<()> {
        if !is_key(key) {
            return Ok(());
        }
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Files under `tmp/` older than `age`: uploads that never finished. Deleted.
    pub async fn clean_temporary(&self, age: std::time::Duration) -> std::io::Result<u64> {
        let mut removed = 0;
        let Ok(mut entries) = tokio::fs::read_dir(self.root.join("tmp")).await else {
            return Ok(0);
        };
        while let Some(entry) = entries.next_entry().await? {
            let old = entry
                .metadata()
                .await?
                .modified()?
                .elapsed()
                .is_ok_and(|e| e > age);
            if old {
                tokio::fs::remove_file(entry.path()).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl Storage {
    /// Keys of stored files older than `age` (candidates for the orphan clean-up).
    pub async fn keys_older_than(&self, age: std::time::Duration) -> std::io::Result<Vec<String>> {
        let mut keys = Vec::new();
        let Ok(mut entries) = tokio::fs::read_dir(&self.root).await else {
            return Ok(keys);
        };
        while let Some(entry) = entries.next_entry().await? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_key(&name) {
                continue;
            }
            let old = entry
                .metadata()
                .await?
                .modified()?
                .elapsed()
                .is_ok_and(|e| e > age);
            if old {
                keys.push(name);
            }
        }
        Ok(keys)
    }
}

impl Upload {
    /// Appends a chunk: buffered, and written a block at a time.
    pub async fn write(&mut self, mut chunk: &[u8]) -> std::io::Result<()> {
        if self.head.len() < 16 {
            let take = (16 - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        while !chunk.is_empty() {
            // a full buffer is written when more comes, not before: the last block goes with
            // the commit
            if self.filled == BLOCK {
                self.flush_block().await?;
            }
            let n = (BLOCK - self.filled).min(chunk.len());
            let at = self.offset + self.filled;
            self.buf[at..at + n].copy_from_slice(&chunk[..n]);
            self.filled += n;
            chunk = &chunk[n..];
        }
        Ok(())
    }

    /// Writes the full buffer (one aligned block) to the file, opening it first if needed.
    async fn flush_block(&mut self) -> std::io::Result<()> {
        let file = self.file.take();
        self.touched = true;
        let buf = std::mem::take(&mut self.buf);
        let (offset, aligned, temp) = (self.offset, self.aligned, self.temp.clone());
        let (file, buf, written) =
            tokio::task::spawn_blocking(move || match opened(file, &temp, aligned) {
                Ok((mut file, direct)) => {
                    let written = file.write_all(&buf[offset..offset + BLOCK]);
                    (Some((file, direct)), buf, written)
                }
                Err(e) => (None, buf, Err(e)),
            })
            .await
            .map_err(blocking_error)?;
        self.file = file;
        self.buf = buf;
        self.filled = 0;
        written
    }
}

/// Keys are 32 lower-case hex characters: nothing else ever reaches the file system.
fn is_key(key: &str) -> bool {
    key.len() == 32
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `len` bytes in pieces of `piece` and checks what reads back, its size and hash.
    async fn round_trip(storage: &Storage, len: usize, piece: usize) {
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut upload = storage.begin().await.unwrap();
        for chunk in data.chunks(piece) {
            upload.write(chunk).await.unwrap();
        }
        assert_eq!(upload.size, data.len() as u64);
        let (key, sha) = storage.commit(upload).await.unwrap();
        assert_eq!(storage.read(&key).await.unwrap(), data);
        assert_eq!(sha, hex::encode(Sha256::digest(&data)));
    }

    #[tokio::test]
    async fn a_committed_upload_reads_back_and_an_abandoned_one_leaves_nothing() {
        let root = std::env::temp_dir().join(format!("motcua-storage-{}", uuid::Uuid::new_v4()));
        let storage = Storage::new(&root);
        let mut upload = storage.begin().await.unwrap();
        upload.write(b"%PDF-1.4 hello").await.unwrap();
        assert_eq!(upload.head, b"%PDF-1.4 hello");
        let (key, sha) = storage.commit(upload).await.unwrap();
        assert_eq!(storage.read(&key).await.unwrap(), b"%PDF-1.4 hello");
        assert_eq!(sha, hex::encode(Sha256::digest(b"%PDF-1.4 hello")));
        let mut dropped = storage.begin().await.unwrap();
        dropped.write(b"partial").await.unwrap();
        storage.abandon(dropped).await;
        assert_eq!(std::fs::read_dir(root.join("tmp")).unwrap().count(), 0);
        assert!(storage.read("../etc/passwd").await.is_err());
        // across blocks, with a tail that is not a multiple of the alignment
        round_trip(&storage, BLOCK * 2 + 12_345, 100_000).await;
        // exactly one block (written at the commit) and exactly two
        round_trip(&storage, BLOCK, BLOCK).await;
        round_trip(&storage, BLOCK * 2, 4096).await;
        // abandoned after a block reached the disk: its file goes too
        let mut dropped = storage.begin().await.unwrap();
        dropped.write(&vec![7; BLOCK + 1]).await.unwrap();
        assert!(dropped.touched);
        storage.abandon(dropped).await;
        assert_eq!(std::fs::read_dir(root.join("tmp")).unwrap().count(), 0);
        // a buffer kept from a longer upload gives nothing of it to a shorter one
        let mut long = storage.begin().await.unwrap();
        long.write(&[0xff; 9000]).await.unwrap();
        storage.commit(long).await.unwrap();
        let mut short = storage.begin().await.unwrap();
        short.write(b"%PDF").await.unwrap();
        let (key, _) = storage.commit(short).await.unwrap();
        assert_eq!(storage.read(&key).await.unwrap(), b"%PDF");
        std::fs::remove_dir_all(root).unwrap();
    }

    /// tmpfs refused O_DIRECT before Linux 6.6 (then the page cache is used): the round trip
    /// holds either way.
    #[tokio::test]
    async fn uploads_to_tmpfs_read_back() {
        let shm = std::path::Path::new("/dev/shm");
        if !shm.is_dir() {
            return;
        }
        let root = shm.join(format!("motcua-storage-{}", uuid::Uuid::new_v4()));
        let storage = Storage::new(&root);
        round_trip(&storage, BLOCK + 777, BLOCK + 777).await;
        // asked for the page cache, a file gets it
        let (_, direct) = open_temp(&root.join("tmp").join("plain"), false).unwrap();
        assert!(!direct);
        std::fs::remove_dir_all(root).unwrap();
    }
}
