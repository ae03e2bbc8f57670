//! Encrypted attachments (the spec's EncryptedFile: AES-256-CTR with a
//! fresh key and iv per file, SHA-256 over the ciphertext), through the
//! crate's AttachmentEncryptor / AttachmentDecryptor.

use std::io::{Cursor, Read};

use matrix_sdk_crypto::{AttachmentDecryptor, AttachmentEncryptor, MediaEncryptionInfo};

use crate::Res;

/// Encrypt a file: the ciphertext and the EncryptedFile JSON without "url".
pub(crate) fn encrypt(data: &[u8]) -> Res<(Vec<u8>, String)> {
    let mut cursor = Cursor::new(data);
    let mut enc = AttachmentEncryptor::new(&mut cursor);
    let mut cipher = Vec::with_capacity(data.len());
    enc.read_to_end(&mut cipher).map_err(|e| format!("encrypting the file failed: {e}"))?;
    let info = enc.finish();
    let json = serde_json::to_string(&info).map_err(|e| format!("encoding the file's keys: {e}"))?;
    Ok((cipher, json))
}

/// Decrypt a file given its EncryptedFile JSON; the hash must match.
pub(crate) fn decrypt(data: &[u8], file: serde_json::Value) -> Res<Vec<u8>> {
    if !file.is_object() {
        return Err("file_json is not a JSON object".to_owned());
    }
    let info: MediaEncryptionInfo = serde_json::from_value(file)
        .map_err(|e| format!("file_json is not an EncryptedFile object: {e}"))?;
    let mut cursor = Cursor::new(data);
    let mut dec = AttachmentDecryptor::new(&mut cursor, info)
        .map_err(|e| format!("the file's keys are unusable: {e}"))?;
    let mut plain = Vec::with_capacity(data.len());
    dec.read_to_end(&mut plain).map_err(|e| {
        format!("the file does not match its hash (changed or wrong key): {e}")
    })?;
    Ok(plain)
}
