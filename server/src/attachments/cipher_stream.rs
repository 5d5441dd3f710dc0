//! Files encrypted in fixed chunks with AES-256-GCM, after the STREAM construction
//! (Hoang, Reyhanitabar, Rogaway, Vizár): each 64 KiB chunk is sealed on its own with
//! the nonce `random prefix (7 bytes) ‖ chunk counter (u32, big-endian) ‖ last flag`,
//! so a file is encrypted and decrypted in constant memory, while dropping, reordering
//! or appending chunks — or cutting the file at a chunk boundary — fails to open.
//!
//! Layout: `MAGIC ‖ prefix` then the sealed chunks, each `ciphertext ‖ tag`; every
//! chunk but the last holds exactly [`CHUNK`] bytes of plaintext.

use aes_gcm::{
    Aes256Gcm,
    aead::{Aead, KeyInit, Nonce, Payload},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::RngCore;

/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;
/// GCM's tag after each chunk's ciphertext.
pub const TAG: usize = 16;
/// A full sealed chunk on disk.
pub const SEALED_CHUNK: usize = CHUNK + TAG;
const MAGIC: &[u8; 5] = b"AKAT1";
const PREFIX: usize = 7;
pub const HEADER: usize = MAGIC.len() + PREFIX;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StreamError {
    #[error("not an attachment file, or cut short")]
    Malformed,
    #[error("chunk {0} failed authentication: wrong key, altered, reordered or truncated")]
    Unauthentic(u32),
    #[error("file too large for one key")]
    TooLong,
}

/// The random key of one file. Stored only wrapped by its contact's data key.
pub struct FileKey([u8; 32]);

impl FileKey {
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// Base64, for sealing with the contact's data key (which seals text).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    pub fn from_base64(encoded: &str) -> Result<Self, StreamError> {
        let raw = STANDARD
            .decode(encoded)
            .map_err(|_| StreamError::Malformed)?;
        <[u8; 32]>::try_from(raw.as_slice())
            .map(Self)
            .map_err(|_| StreamError::Malformed)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&self.0.into())
    }
}

fn nonce(prefix: &[u8; PREFIX], counter: u32, last: bool) -> Nonce<Aes256Gcm> {
    let mut nonce = [0u8; 12];
    nonce[..PREFIX].copy_from_slice(prefix);
    nonce[PREFIX..11].copy_from_slice(&counter.to_be_bytes());
    nonce[11] = u8::from(last);
    nonce.into()
}

/// Seals a file's chunks in order.
pub struct Sealer {
    cipher: Aes256Gcm,
    prefix: [u8; PREFIX],
    counter: u32,
    aad: Vec<u8>,
}

impl Sealer {
    /// `aad` binds every chunk to one file (its storage name), so a file copied over
    /// another row's does not open. Returns the header to write first.
    pub fn new(key: &FileKey, aad: &[u8]) -> (Self, [u8; HEADER]) {
        let mut prefix = [0u8; PREFIX];
        rand::rng().fill_bytes(&mut prefix);
        let mut header = [0u8; HEADER];
        header[..MAGIC.len()].copy_from_slice(MAGIC);
        header[MAGIC.len()..].copy_from_slice(&prefix);
        let sealer = Self {
            cipher: key.cipher(),
            prefix,
            counter: 0,
            aad: aad.to_vec(),
        };
        (sealer, header)
    }

    /// Seals the next chunk: [`CHUNK`] bytes unless it is the last.
    pub fn seal(&mut self, plain: &[u8], last: bool) -> Result<Vec<u8>, StreamError> {
        debug_assert!(plain.len() == CHUNK || last);
        let nonce = nonce(&self.prefix, self.counter, last);
        self.counter = self.counter.checked_add(1).ok_or(StreamError::TooLong)?;
        self.cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: &self.aad,
                },
            )
            .map_err(|_| StreamError::TooLong)
    }
}

/// Opens a file's chunks in order.
pub struct Opener {
    cipher: Aes256Gcm,
    prefix: [u8; PREFIX],
    counter: u32,
    aad: Vec<u8>,
}

impl Opener {
    pub fn new(key: &FileKey, aad: &[u8], header: &[u8]) -> Result<Self, StreamError> {
        let prefix = header
            .strip_prefix(MAGIC.as_slice())
            .and_then(|p| <[u8; PREFIX]>::try_from(p).ok())
            .ok_or(StreamError::Malformed)?;
        Ok(Self {
            cipher: key.cipher(),
            prefix,
            counter: 0,
            aad: aad.to_vec(),
        })
    }

    /// Opens the next sealed chunk; `last` says whether the file ends after it.
    pub fn open(&mut self, sealed: &[u8], last: bool) -> Result<Vec<u8>, StreamError> {
        // Only the last chunk may be short; a short one in the middle is a cut file.
        if sealed.len() < TAG || (!last && sealed.len() != SEALED_CHUNK) {
            return Err(StreamError::Malformed);
        }
        let index = self.counter;
        let nonce = nonce(&self.prefix, index, last);
        self.counter = index.checked_add(1).ok_or(StreamError::TooLong)?;
        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: &self.aad,
                },
            )
            .map_err(|_| StreamError::Unauthentic(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal_all(key: &FileKey, plain: &[u8]) -> Vec<u8> {
        let (mut sealer, header) = Sealer::new(key, b"name");
        let mut out = header.to_vec();
        let chunks: Vec<&[u8]> = plain.chunks(CHUNK).collect();
        for (i, chunk) in chunks.iter().enumerate() {
            out.extend(sealer.seal(chunk, i + 1 == chunks.len()).expect("seal"));
        }
        out
    }

    fn open_all(key: &FileKey, aad: &[u8], file: &[u8]) -> Result<Vec<u8>, StreamError> {
        let (header, body) = file.split_at(HEADER.min(file.len()));
        let mut opener = Opener::new(key, aad, header)?;
        let blocks: Vec<&[u8]> = body.chunks(SEALED_CHUNK).collect();
        if blocks.is_empty() {
            return Err(StreamError::Malformed);
        }
        let mut out = Vec::new();
        for (i, block) in blocks.iter().enumerate() {
            out.extend(opener.open(block, i + 1 == blocks.len())?);
        }
        Ok(out)
    }

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn files_of_every_chunk_shape_round_trip() {
        let key = FileKey::generate();
        for len in [1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            let plain = sample(len);
            let file = seal_all(&key, &plain);
            assert_eq!(
                open_all(&key, b"name", &file).expect("open"),
                plain,
                "{len}"
            );
        }
    }

    #[test]
    fn altered_cut_reordered_or_moved_files_do_not_open() {
        let key = FileKey::generate();
        let plain = sample(3 * CHUNK);
        let file = seal_all(&key, &plain);

        let mut flipped = file.clone();
        flipped[HEADER + CHUNK + 100] ^= 1;
        assert_eq!(
            open_all(&key, b"name", &flipped),
            Err(StreamError::Unauthentic(1))
        );
        // Cut at a chunk boundary: the new last chunk was not sealed as last.
        let cut = &file[..HEADER + 2 * SEALED_CHUNK];
        assert_eq!(
            open_all(&key, b"name", cut),
            Err(StreamError::Unauthentic(1))
        );
        let mut swapped = file[..HEADER].to_vec();
        swapped.extend(&file[HEADER + SEALED_CHUNK..HEADER + 2 * SEALED_CHUNK]);
        swapped.extend(&file[HEADER..HEADER + SEALED_CHUNK]);
        swapped.extend(&file[HEADER + 2 * SEALED_CHUNK..]);
        assert_eq!(
            open_all(&key, b"name", &swapped),
            Err(StreamError::Unauthentic(0))
        );
        assert_eq!(
            open_all(&key, b"other", &file),
            Err(StreamError::Unauthentic(0))
        );
        assert!(open_all(&FileKey::generate(), b"name", &file).is_err());
        assert_eq!(
            open_all(&key, b"name", &file[..HEADER]),
            Err(StreamError::Malformed)
        );
    }

    #[test]
    fn the_key_survives_its_text_form() {
        let key = FileKey::generate();
        let back = FileKey::from_base64(&key.to_base64()).expect("key");
        let file = seal_all(&key, b"%PDF-1.4");
        assert_eq!(open_all(&back, b"name", &file).expect("open"), b"%PDF-1.4");
        assert!(FileKey::from_base64("AAAA").is_err());
    }
}
