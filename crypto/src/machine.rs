//! The handle: one OlmMachine over its SQLite store, and the current-thread
//! Tokio runtime every call blocks on (the store's SQLite work runs on that
//! runtime's blocking threads, so a call returns only when it is done).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;
use std::time::Duration;

use matrix_sdk_common::deserialized_responses::{ProcessedToDeviceEvent, VerificationState};
use matrix_sdk_crypto::store::CryptoStore;
use matrix_sdk_crypto::types::events::room::encrypted::EncryptedEvent;
use matrix_sdk_crypto::types::requests::AnyOutgoingRequest;
use matrix_sdk_crypto::types::EventEncryptionAlgorithm;
use matrix_sdk_crypto::{
    CollectStrategy, DecryptionSettings, EncryptionSettings, EncryptionSyncChanges, MegolmError,
    OlmMachine, TrustRequirement,
};
use matrix_sdk_sqlite::{SqliteCryptoStore, SqliteStoreConfig};
use ruma::api::client::sync::sync_events::DeviceLists;
use ruma::events::room::history_visibility::HistoryVisibility;
use ruma::events::{AnyMessageLikeEventContent, AnyToDeviceEvent};
use ruma::serde::Raw;
use ruma::{
    DeviceId, OneTimeKeyAlgorithm, OwnedUserId, RoomId, TransactionId,
    UInt, UserId,
};
use serde_json::{json, Value};
use tokio::runtime::Runtime;

use crate::requests::{self, Answer};
use crate::Res;

unsafe extern "C" {
    fn umask(mask: u32) -> u32;
}

/// The file mode mask 077 while it lives, the old one back when dropped
/// (also when the open fails or panics), so every file the store creates
/// is 0600 from its first byte.
struct UmaskGuard(u32);

impl UmaskGuard {
    fn tight() -> UmaskGuard {
        // SAFETY: umask only swaps the process's file mode mask.
        UmaskGuard(unsafe { umask(0o077) })
    }
}

impl Drop for UmaskGuard {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe { umask(self.0) };
    }
}

/// An open crypto store and its machine (crypto.h's struct wtc).
pub struct Wtc {
    machine: Option<OlmMachine>,
    rt: Runtime,
}

impl Drop for Wtc {
    fn drop(&mut self) {
        // The store's pool lives on the runtime: drop it inside it.
        let _g = self.rt.enter();
        self.machine.take();
    }
}

fn json_out(v: Value) -> Res<String> {
    serde_json::to_string(&v).map_err(|e| format!("encoding the result failed: {e}"))
}

fn from_value<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Res<T> {
    serde_json::from_value(v).map_err(|e| format!("{what} is malformed: {e}"))
}

fn raw<T>(v: &Value, what: &str) -> Res<Raw<T>> {
    let r = serde_json::value::to_raw_value(v).map_err(|e| format!("{what}: {e}"))?;
    Ok(Raw::from_json(r))
}

/// Make the store's directory 0700 and every file in it 0600.
fn tighten(dir: &Path) -> Res<()> {
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| format!("cannot set mode 0700 on {}: {e}", dir.display()))?;
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for ent in entries.flatten() {
        let p = ent.path();
        if ent.file_type().map(|t| t.is_file()).unwrap_or(false) {
            fs::set_permissions(&p, fs::Permissions::from_mode(0o600))
                .map_err(|e| format!("cannot set mode 0600 on {}: {e}", p.display()))?;
        }
    }
    Ok(())
}

/// The members JSON (an array of user ids) as user ids.
fn user_list(v: Value, what: &str) -> Res<Vec<OwnedUserId>> {
    if !v.is_array() {
        return Err(format!("{what} is not a JSON array of user ids"));
    }
    from_value(v, what)
}

impl Wtc {
    fn m(&self) -> &OlmMachine {
        self.machine.as_ref().expect("machine present until drop")
    }

    /// Open or create the store in dir for user's device; true when the
    /// device identity was created now.
    pub fn open(dir: &str, user: &str, device: &str, pass: Option<&str>) -> Res<(Wtc, bool)> {
        let user_id = UserId::parse(user).map_err(|e| format!("user_id \"{user}\" is invalid: {e}"))?;
        if device.is_empty() || device.len() > 255 || device.chars().any(|c| c.is_control()) {
            return Err(format!("device_id \"{device}\" is invalid"));
        }
        if dir.is_empty() {
            return Err("store_dir is empty".to_owned());
        }
        let device_id: &DeviceId = device.into();
        // Every call blocks the bot's loop until it is done, so the store
        // never needs more than one blocking thread at a time; kept alive
        // (parked, no wake-ups) rather than re-created after each idle 10 s
        // (tokio's default), which cost a thread and a malloc arena of its
        // own each time (make bench-mem).
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .max_blocking_threads(1)
            .thread_keep_alive(Duration::from_secs(24 * 3600))
            .build()
            .map_err(|e| format!("cannot start the crypto runtime: {e}"))?;
        let path = Path::new(dir);
        let mask = UmaskGuard::tight();
        let res = (|| {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(path)
                .map_err(|e| format!("cannot create the crypto store directory {dir}: {e}"))?;
            tighten(path)?;
            rt.block_on(async {
                // Two connections (one writer, one reader) instead of four
                // per core, and a page cache of 500 kB each instead of 2 MB:
                // the store of one device is small, and every call waits.
                let config = SqliteStoreConfig::new(path)
                    .passphrase(pass)
                    .pool_max_size(2)
                    .cache_size(500_000);
                let store = SqliteCryptoStore::open_with_config(&config)
                    .await
                    .map_err(|e| format!("cannot open the crypto store in {dir}: {e}"))?;
                let existing = store
                    .load_account()
                    .await
                    .map_err(|e| format!("cannot read the crypto store in {dir}: {e}"))?;
                if let Some(acc) = &existing {
                    if acc.user_id() != user_id || acc.device_id() != device_id {
                        return Err(format!(
                            "the crypto store in {dir} belongs to {} device {}, not to {} device {}; \
                             a new device must be a decision: move that store away to create one",
                            acc.user_id(),
                            acc.device_id(),
                            user_id,
                            device_id
                        ));
                    }
                }
                let m = OlmMachine::with_store(&user_id, device_id, store, None)
                    .await
                    .map_err(|e| format!("cannot load the device from the crypto store in {dir}: {e}"))?;
                Ok((m, existing.is_none()))
            })
        })();
        drop(mask);
        let (m, created) = res?;
        tighten(path)?;
        m.set_room_key_requests_enabled(true);
        Ok((Wtc { machine: Some(m), rt }, created))
    }

    pub fn identity(&mut self) -> Res<String> {
        let m = self.m();
        let keys = m.identity_keys();
        json_out(json!({
            "user_id": m.user_id().as_str(),
            "device_id": m.device_id().as_str(),
            "curve25519": keys.curve25519.to_base64(),
            "ed25519": keys.ed25519.to_base64(),
        }))
    }

    pub fn receive_sync(&mut self, v: Value) -> Res<String> {
        let Value::Object(mut o) = v else {
            return Err("sync_json is not a JSON object".to_owned());
        };
        let mut events: Vec<Raw<AnyToDeviceEvent>> = Vec::new();
        if let Some(td) = o.remove("to_device") {
            let list = td.get("events").cloned().unwrap_or(Value::Array(vec![]));
            let Value::Array(list) = list else {
                return Err("sync_json: to_device.events is not an array".to_owned());
            };
            for e in &list {
                if !e.is_object() {
                    return Err("sync_json: a to_device event is not an object".to_owned());
                }
                events.push(raw(e, "to_device event")?);
            }
        }
        let lists: DeviceLists = match o.remove("device_lists") {
            Some(d) => from_value(d, "sync_json: device_lists")?,
            None => DeviceLists::default(),
        };
        let counts: BTreeMap<OneTimeKeyAlgorithm, UInt> = match o.remove("device_one_time_keys_count") {
            Some(c) => from_value(c, "sync_json: device_one_time_keys_count")?,
            None => BTreeMap::new(),
        };
        let fallback: Option<Vec<OneTimeKeyAlgorithm>> = match o.remove("device_unused_fallback_key_types") {
            Some(f) => Some(from_value(f, "sync_json: device_unused_fallback_key_types")?),
            None => None,
        };
        let next_batch: Option<String> = match o.remove("next_batch") {
            Some(n) => Some(from_value(n, "sync_json: next_batch")?),
            None => None,
        };
        let settings = DecryptionSettings { sender_device_trust_requirement: TrustRequirement::Untrusted };
        let m = self.machine.as_ref().expect("machine");
        let (processed, keys) = self.rt.block_on(async {
            m.receive_sync_changes(
                EncryptionSyncChanges {
                    to_device_events: events,
                    changed_devices: &lists,
                    one_time_keys_counts: &counts,
                    unused_fallback_keys: fallback.as_deref(),
                    next_batch_token: next_batch,
                },
                &settings,
            )
            .await
            .map_err(|e| format!("processing the sync failed: {e}"))
        })?;
        let mut to_device = Vec::new();
        let mut undecryptable = Vec::new();
        for p in processed {
            // An encrypted message not read (its Olm session, or not even
            // parsed): a room key in it never arrives; who sent it, and why.
            let lost = match &p {
                ProcessedToDeviceEvent::Decrypted { raw, .. } => {
                    if let Ok(v) = serde_json::from_str::<Value>(raw.json().get()) {
                        to_device.push(v);
                    }
                    None
                }
                ProcessedToDeviceEvent::UnableToDecrypt { encrypted_event, utd_info } => {
                    Some((encrypted_event, format!("{:?}", utd_info.reason)))
                }
                ProcessedToDeviceEvent::Invalid(raw)
                    if raw.get_field::<String>("type").ok().flatten().as_deref()
                        == Some("m.room.encrypted") =>
                {
                    Some((raw, "invalid".to_owned()))
                }
                _ => None,
            };
            if let Some((raw, reason)) = lost {
                let sender = raw.get_field::<String>("sender").ok().flatten();
                undecryptable.push(json!({ "sender": sender.unwrap_or_default(), "reason": reason }));
            }
        }
        let room_keys: Vec<Value> = keys
            .iter()
            .map(|k| json!({ "room_id": k.room_id.as_str(), "session_id": k.session_id }))
            .collect();
        json_out(json!({ "room_keys": room_keys, "to_device": to_device,
                         "undecryptable": undecryptable }))
    }

    pub fn update_tracked_users(&mut self, v: Value) -> Res<()> {
        let users = user_list(v, "user_ids_json")?;
        let m = self.m();
        self.rt
            .block_on(m.update_tracked_users(users.iter().map(|u| u.as_ref())))
            .map_err(|e| format!("tracking the users failed: {e}"))
    }

    pub fn outgoing_requests(&mut self) -> Res<String> {
        let m = self.m();
        let reqs = self
            .rt
            .block_on(m.outgoing_requests())
            .map_err(|e| format!("reading the outgoing requests failed: {e}"))?;
        let list = reqs.iter().map(requests::outgoing_json).collect::<Res<Vec<_>>>()?;
        json_out(Value::Array(list))
    }

    pub fn mark_sent(&mut self, id: &str, kind: &str, body: &str) -> Res<()> {
        if id.is_empty() {
            return Err("id is empty".to_owned());
        }
        let answer = Answer::parse(kind, body)?;
        let txn: &TransactionId = id.into();
        let m = self.m();
        self.rt
            .block_on(m.mark_request_as_sent(txn, answer.as_any()))
            .map_err(|e| format!("marking request {id} ({kind}) as sent failed: {e}"))
    }

    /// Map crypto.h's settings object into the crate's EncryptionSettings.
    fn settings(v: Value) -> Res<EncryptionSettings> {
        let Value::Object(o) = v else {
            return Err("settings_json is not a JSON object".to_owned());
        };
        let mut s = EncryptionSettings { sharing_strategy: CollectStrategy::AllDevices, ..Default::default() };
        if let Some(a) = o.get("algorithm") {
            let a = a.as_str().ok_or("settings_json: algorithm is not a string")?;
            if a != "m.megolm.v1.aes-sha2" {
                return Err(format!("settings_json: algorithm \"{a}\" is not supported (only m.megolm.v1.aes-sha2)"));
            }
            s.algorithm = EventEncryptionAlgorithm::MegolmV1AesSha2;
        }
        if let Some(ms) = o.get("rotation_period_ms") {
            let ms = ms.as_u64().filter(|n| *n > 0).ok_or("settings_json: rotation_period_ms is not a positive integer")?;
            s.rotation_period = Duration::from_millis(ms);
        }
        if let Some(n) = o.get("rotation_period_msgs") {
            s.rotation_period_msgs =
                n.as_u64().filter(|n| *n > 0).ok_or("settings_json: rotation_period_msgs is not a positive integer")?;
        }
        if let Some(h) = o.get("history_visibility") {
            let h = h.as_str().ok_or("settings_json: history_visibility is not a string")?;
            s.history_visibility = match h {
                "shared" | "invited" | "joined" | "world_readable" => HistoryVisibility::from(h),
                _ => return Err(format!("settings_json: history_visibility \"{h}\" is unknown")),
            };
        }
        Ok(s)
    }

    pub fn prepare_room(&mut self, room: &str, members: Value, settings: Value) -> Res<String> {
        let room_id = RoomId::parse(room).map_err(|e| format!("room_id \"{room}\" is invalid: {e}"))?;
        let members = user_list(members, "members_json")?;
        let settings = Self::settings(settings)?;
        let wanted: BTreeSet<&UserId> = members.iter().map(|u| u.as_ref()).collect();
        let m = self.machine.as_ref().expect("machine");
        let list = self.rt.block_on(async {
            m.update_tracked_users(wanted.iter().copied())
                .await
                .map_err(|e| format!("tracking the members failed: {e}"))?;
            // 1. Device lists of the members still to be queried.
            let pending = m.outgoing_requests().await.map_err(|e| format!("reading the outgoing requests failed: {e}"))?;
            let mut out = Vec::new();
            for r in &pending {
                if let AnyOutgoingRequest::KeysQuery(q) = r.request() {
                    if q.device_keys.keys().any(|u| wanted.contains(&&**u)) {
                        out.push(requests::outgoing_json(r)?);
                    }
                }
            }
            if !out.is_empty() {
                return Ok(out);
            }
            // 2. Olm sessions still missing with their devices.
            let missing = m
                .get_missing_sessions(wanted.iter().copied())
                .await
                .map_err(|e| format!("finding the missing sessions failed: {e}"))?;
            if let Some((txn, claim)) = missing {
                return Ok(vec![requests::claim_json(txn.as_str(), &claim)?]);
            }
            // 3. The room key itself.
            let shares = m
                .share_room_key(&room_id, wanted.iter().copied(), settings)
                .await
                .map_err(|e| format!("sharing the room key failed: {e}"))?;
            shares.iter().map(|r| requests::to_device_json(r)).collect::<Res<Vec<_>>>()
        })?;
        json_out(Value::Array(list))
    }

    pub fn encrypt(&mut self, room: &str, ty: &str, content: Value) -> Res<String> {
        let room_id = RoomId::parse(room).map_err(|e| format!("room_id \"{room}\" is invalid: {e}"))?;
        if ty.is_empty() {
            return Err("event_type is empty".to_owned());
        }
        if !content.is_object() {
            return Err("content_json is not a JSON object".to_owned());
        }
        let content: Raw<AnyMessageLikeEventContent> = raw(&content, "content_json")?;
        let m = self.machine.as_ref().expect("machine");
        let out = self.rt.block_on(async {
            let session = m
                .store()
                .get_outbound_group_session(&room_id)
                .await
                .map_err(|e| format!("reading the room key failed: {e}"))?;
            match session {
                Some(s) if s.shared() && !s.expired() => {}
                _ => {
                    return Err(format!(
                        "the room key of {room} is not shared with the members yet: \
                         wtc_prepare_room must return [] first"
                    ))
                }
            }
            m.encrypt_room_event_raw(&room_id, ty, &content)
                .await
                .map_err(|e| format!("encrypting the event failed: {e}"))
        })?;
        Ok(out.content.json().get().to_owned())
    }

    pub fn decrypt(&mut self, room: &str, event: Value) -> Res<String> {
        let room_id = RoomId::parse(room).map_err(|e| format!("room_id \"{room}\" is invalid: {e}"))?;
        if !event.is_object() {
            return Err("event_json is not a JSON object".to_owned());
        }
        let session_id = event
            .pointer("/content/session_id")
            .and_then(|s| s.as_str())
            .map(str::to_owned);
        let ev: Raw<EncryptedEvent> = raw(&event, "event_json")?;
        let settings = DecryptionSettings { sender_device_trust_requirement: TrustRequirement::Untrusted };
        let m = self.machine.as_ref().expect("machine");
        let res = self.rt.block_on(m.decrypt_room_event(&ev, &room_id, &settings));
        let failed = |missing: bool, msg: String, withheld: Option<String>| {
            let mut v = json!({ "ok": false, "missing_key": missing, "session_id": session_id, "message": msg });
            if let Some(w) = withheld {
                v["withheld"] = json!(w);
            }
            json_out(v)
        };
        match res {
            Ok(d) => {
                let clear: Value = serde_json::from_str(d.event.json().get())
                    .map_err(|e| format!("reading the decrypted event failed: {e}"))?;
                let info = &d.encryption_info;
                json_out(json!({
                    "ok": true,
                    "event": clear,
                    "sender_device": info.sender_device.as_ref().map(|d| d.as_str()),
                    "verified": matches!(info.verification_state, VerificationState::Verified),
                }))
            }
            Err(MegolmError::MissingRoomKey(code)) => failed(
                true,
                "the room key of this message has not arrived (a key request is queued)".to_owned(),
                code.map(|c| c.as_str().to_owned()),
            ),
            Err(MegolmError::Decryption(e @ matrix_sdk_crypto::vodozemac::megolm::DecryptionError::UnknownMessageIndex(..))) => {
                failed(true, format!("the room key we hold starts after this message: {e}"), None)
            }
            Err(MegolmError::Store(e)) => Err(format!("reading the crypto store failed: {e}")),
            Err(e) => failed(false, format!("the message cannot be decrypted: {e}"), None),
        }
    }

    pub fn cross_signing_status(&mut self) -> Res<String> {
        let m = self.m();
        let s = self.rt.block_on(m.cross_signing_status());
        json_out(json!({
            "master": s.has_master,
            "self_signing": s.has_self_signing,
            "user_signing": s.has_user_signing,
        }))
    }

    pub fn bootstrap_cross_signing(&mut self) -> Res<String> {
        let m = self.m();
        let b = self
            .rt
            .block_on(m.bootstrap_cross_signing(false))
            .map_err(|e| format!("creating the cross-signing keys failed: {e}"))?;
        let mut list = Vec::new();
        if let Some(up) = &b.upload_keys_req {
            list.push(requests::outgoing_json(up)?);
        }
        let sk_id = TransactionId::new();
        list.push(requests::signing_keys_json(sk_id.as_str(), &b.upload_signing_keys_req)?);
        let sig_id = TransactionId::new();
        list.push(requests::signatures_json(sig_id.as_str(), &b.upload_signatures_req)?);
        json_out(Value::Array(list))
    }
}
