//! Encrypted files under `ANKHANG_DATA_DIR/attachments/`: written chunk by chunk to a
//! temporary file that only a successful upload renames into place, read back chunk by
//! chunk, and overwritten before being unlinked.

use std::{
    io::ErrorKind,
    path::{Path, PathBuf},
};

use bytes::Bytes;
use futures_util::Stream;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::{
    fs::{self, File, OpenOptions},
    io::{AsyncReadExt, AsyncWriteExt},
};

use super::cipher_stream::{CHUNK, FileKey, HEADER, Opener, SEALED_CHUNK, Sealer, StreamError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Stream(#[from] StreamError),
    #[error("plaintext does not match the stored checksum")]
    Checksum,
}

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("attachments")
}

/// A random name that says nothing about the file or its owner.
pub fn new_storage_name() -> String {
    let mut raw = [0u8; 24];
    rand::rng().fill_bytes(&mut raw);
    hex::encode(raw)
}

/// Where a stored file lives; `None` for a name that is not ours (never a path).
pub fn path_of(data_dir: &Path, storage_name: &str) -> Option<PathBuf> {
    let ours = storage_name.len() == 48 && storage_name.bytes().all(|b| b.is_ascii_hexdigit());
    ours.then(|| dir(data_dir).join(storage_name))
}

/// An upload being encrypted to `<name>.part`. Dropped before [`Upload::persist`] — a
/// refused type, a limit, a broken connection, a failed transaction — it removes the
/// partial file, so nothing of a failed upload stays on disk.
pub struct Upload {
    file: Option<File>,
    part: PathBuf,
    sealer: Sealer,
    pending: Vec<u8>,
    hasher: Sha256,
    size: u64,
}

/// What a finished upload measured of the plaintext.
pub struct Written {
    pub size: u64,
    pub sha256: String,
}

impl Upload {
    pub async fn create(
        data_dir: &Path,
        storage_name: &str,
        key: &FileKey,
    ) -> Result<Self, StoreError> {
        let dir = dir(data_dir);
        fs::create_dir_all(&dir).await?;
        let part = dir.join(format!("{storage_name}.part"));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options.open(&part).await?;
        let (sealer, header) = Sealer::new(key, storage_name.as_bytes());
        file.write_all(&header).await?;
        Ok(Self {
            file: Some(file),
            part,
            sealer,
            pending: Vec::with_capacity(CHUNK),
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// Plaintext bytes so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub async fn write(&mut self, mut data: &[u8]) -> Result<(), StoreError> {
        self.hasher.update(data);
        self.size += data.len() as u64;
        while !data.is_empty() {
            // A full chunk is sealed only once more data follows: the last chunk must
            // be sealed as last, and only the end of the upload tells which one it is.
            if self.pending.len() == CHUNK {
                let sealed = self.sealer.seal(&self.pending, false)?;
                self.file_mut()?.write_all(&sealed).await?;
                self.pending.clear();
            }
            let take = (CHUNK - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(())
    }

    /// Seals the last chunk and makes the file durable (still under its `.part` name).
    pub async fn finish(&mut self) -> Result<Written, StoreError> {
        let sealed = self.sealer.seal(&self.pending, true)?;
        self.pending.clear();
        let file = self.file_mut()?;
        file.write_all(&sealed).await?;
        file.sync_all().await?;
        Ok(Written {
            size: self.size,
            sha256: hex::encode(self.hasher.clone().finalize()),
        })
    }

    fn file_mut(&mut self) -> Result<&mut File, StoreError> {
        self.file
            .as_mut()
            .ok_or_else(|| StoreError::Io(std::io::Error::other("upload already closed")))
    }

    /// Renames the finished file into place (atomic: same directory).
    pub async fn persist(mut self, data_dir: &Path, storage_name: &str) -> Result<(), StoreError> {
        self.file = None;
        let target = path_of(data_dir, storage_name)
            .ok_or_else(|| StoreError::Io(std::io::Error::other("bad storage name")))?;
        fs::rename(&self.part, target).await?;
        // Renamed: nothing left for Drop to clean up.
        self.part = PathBuf::new();
        Ok(())
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if !self.part.as_os_str().is_empty() {
            self.file = None;
            if let Err(err) = std::fs::remove_file(&self.part)
                && err.kind() != ErrorKind::NotFound
            {
                tracing::error!(path = %self.part.display(), %err, "cannot remove a failed upload");
            }
        }
    }
}

/// Reads a stored file's plaintext chunk by chunk, one sealed chunk ahead so it knows
/// which chunk is the last.
pub struct Reader {
    file: File,
    opener: Opener,
    next: Option<Vec<u8>>,
}

impl Reader {
    pub async fn open(path: &Path, key: &FileKey, storage_name: &str) -> Result<Self, StoreError> {
        let mut file = File::open(path).await?;
        let header = read_up_to(&mut file, HEADER).await?;
        let opener = Opener::new(key, storage_name.as_bytes(), &header)?;
        let first = read_up_to(&mut file, SEALED_CHUNK).await?;
        if first.is_empty() {
            return Err(StreamError::Malformed.into());
        }
        Ok(Self {
            file,
            opener,
            next: Some(first),
        })
    }

    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(block) = self.next.take() else {
            return Ok(None);
        };
        let following = read_up_to(&mut self.file, SEALED_CHUNK).await?;
        let last = following.is_empty();
        if !last {
            self.next = Some(following);
        }
        Ok(Some(self.opener.open(&block, last)?))
    }

    /// The plaintext as a body stream; an unauthentic chunk ends it with an error
    /// (the connection is cut) instead of passing on anything unverified.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, StoreError>> + Send {
        futures_util::stream::try_unfold(self, |mut reader| async move {
            Ok(reader
                .next_chunk()
                .await?
                .map(|chunk| (Bytes::from(chunk), reader)))
        })
    }
}

/// Decrypts the whole file once, without keeping it, and checks size and checksum:
/// run before a download answers, so a damaged or tampered file fails with an error
/// status instead of a truncated body.
pub async fn verify(
    path: &Path,
    key: &FileKey,
    storage_name: &str,
    size: u64,
    sha256: &str,
) -> Result<(), StoreError> {
    let mut reader = Reader::open(path, key, storage_name).await?;
    let mut hasher = Sha256::new();
    let mut seen = 0u64;
    while let Some(chunk) = reader.next_chunk().await? {
        seen += chunk.len() as u64;
        hasher.update(&chunk);
    }
    if seen == size && hex::encode(hasher.finalize()) == sha256 {
        Ok(())
    } else {
        Err(StoreError::Checksum)
    }
}

async fn read_up_to(file: &mut File, len: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        let n = file.read(&mut buf[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(buf)
}

/// Overwrites a stored file with zeros, flushes, then unlinks it. On SSDs and
/// copy-on-write file systems the old blocks may survive the overwrite; what makes
/// them unreadable for good is that the file's key died with its database row.
pub async fn shred(data_dir: &Path, storage_name: &str) -> std::io::Result<()> {
    let Some(path) = path_of(data_dir, storage_name) else {
        return Ok(());
    };
    let mut file = match OpenOptions::new().write(true).open(&path).await {
        Ok(file) => file,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    let mut left = file.metadata().await?.len();
    let zeros = vec![0u8; SEALED_CHUNK];
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n]).await?;
        left -= n as u64;
    }
    file.sync_all().await?;
    drop(file);
    fs::remove_file(&path).await
}

/// Shreds several files after their rows are gone; failures are logged, not returned,
/// because the files are already unreadable (their keys were deleted with the rows).
pub async fn shred_all(data_dir: &Path, storage_names: &[String]) {
    for name in storage_names {
        if let Err(err) = shred(data_dir, name).await {
            tracing::error!(storage_name = %name, %err, "cannot shred an attachment file");
        }
    }
}
