//! Where uploaded files live: a directory on local disk by default, behind this small
//! interface so that an object store can replace it. Keys are generated here (never derived
//! from what the user sent); files are written under a temporary name and renamed when
//! complete, so an interrupted upload never leaves a half file under a real key.

use std::path::PathBuf;

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// Local-disk storage under one root directory.
#[derive(Debug, Clone)]
pub struct Storage {
    root: PathBuf,
}

/// A file being written: fed chunk by chunk, then committed or abandoned.
pub struct Upload {
    key: String,
    temp: PathBuf,
    file: tokio::fs::File,
    hasher: Sha256,
    pub size: u64,
    /// The first bytes, for recognising the file type.
    pub head: Vec<u8>,
}

impl Storage {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    /// Starts a new file under a fresh key.
    pub async fn begin(&self) -> std::io::Result<Upload> {
        let key = uuid::Uuid::new_v4().simple().to_string();
        let dir = self.root.join("tmp");
        tokio::fs::create_dir_all(&dir).await?;
        let temp = dir.join(&key);
        let file = tokio::fs::File::create(&temp).await?;
        Ok(Upload {
            key,
            temp,
            file,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
        })
    }

    /// Moves a complete upload to its key; returns the key and the SHA-256.
    pub async fn commit(&self, mut upload: Upload) -> std::io::Result<(String, String)> {
        upload.file.flush().await?;
        upload.file.sync_all().await?;
        drop(upload.file);
        tokio::fs::rename(&upload.temp, self.path(&upload.key)).await?;
        Ok((upload.key, hex::encode(upload.hasher.finalize())))
    }

    /// Throws an upload away.
    pub async fn abandon(&self, upload: Upload) {
        drop(upload.file);
        let _ = tokio::fs::remove_file(&upload.temp).await;
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
    /// Appends a chunk.
    pub async fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        if self.head.len() < 16 {
            let take = (16 - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        self.file.write_all(chunk).await
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
        std::fs::remove_dir_all(root).unwrap();
    }
}
