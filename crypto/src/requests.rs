//! The machine's outgoing requests as the JSON objects of crypto.h
//! ({"id","kind","method","path","body"}), and the 2xx answers back into
//! the ruma response types mark_request_as_sent wants.
//!
//! Paths are built by hand from the spec's endpoints; every id in a path
//! is percent-encoded (all but the URI's unreserved characters), so a
//! to-device txn id or a room id with ':' and '!' is safe.

use matrix_sdk_crypto::types::requests::{
    AnyIncomingResponse, AnyOutgoingRequest, OutgoingRequest, ToDeviceRequest,
    UploadSigningKeysRequest,
};
use ruma::api::client::keys::upload_signatures::v3::Request as SignatureUploadRequest;
use ruma::api::IncomingResponse;
use serde_json::{json, Map, Value};

use crate::Res;

const V3: &str = "/_matrix/client/v3";

/// Percent-encode one path segment.
pub(crate) fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn to_value<T: serde::Serialize>(v: &T) -> Res<Value> {
    serde_json::to_value(v).map_err(|e| format!("encoding a request failed: {e}"))
}

fn req(id: &str, kind: &str, method: &str, path: String, body: Value) -> Value {
    json!({ "id": id, "kind": kind, "method": method, "path": path, "body": body })
}

/// A to-device request: PUT /sendToDevice/{type}/{txnId}, its id the txn id.
pub(crate) fn to_device_json(r: &ToDeviceRequest) -> Res<Value> {
    let path = format!("{V3}/sendToDevice/{}/{}", enc(&r.event_type.to_string()), enc(r.txn_id.as_str()));
    Ok(req(r.txn_id.as_str(), "to_device", "PUT", path, json!({ "messages": to_value(&r.messages)? })))
}

/// One request of the machine as crypto.h's JSON object.
pub(crate) fn outgoing_json(r: &OutgoingRequest) -> Res<Value> {
    let id = r.request_id().as_str();
    Ok(match r.request() {
        AnyOutgoingRequest::KeysUpload(u) => {
            let mut body = Map::new();
            if let Some(dk) = &u.device_keys {
                body.insert("device_keys".into(), to_value(dk)?);
            }
            if !u.one_time_keys.is_empty() {
                body.insert("one_time_keys".into(), to_value(&u.one_time_keys)?);
            }
            if !u.fallback_keys.is_empty() {
                body.insert("fallback_keys".into(), to_value(&u.fallback_keys)?);
            }
            req(id, "keys_upload", "POST", format!("{V3}/keys/upload"), Value::Object(body))
        }
        AnyOutgoingRequest::KeysQuery(q) => {
            let mut body = Map::new();
            body.insert("device_keys".into(), to_value(&q.device_keys)?);
            if let Some(t) = q.timeout {
                body.insert("timeout".into(), json!(t.as_millis() as u64));
            }
            req(id, "keys_query", "POST", format!("{V3}/keys/query"), Value::Object(body))
        }
        AnyOutgoingRequest::KeysClaim(c) => claim_json(id, c)?,
        AnyOutgoingRequest::ToDeviceRequest(t) => {
            let mut v = to_device_json(t)?;
            v["id"] = json!(id);
            v
        }
        AnyOutgoingRequest::SignatureUpload(s) => signatures_json(id, s)?,
        AnyOutgoingRequest::RoomMessage(m) => {
            use ruma::events::MessageLikeEventContent;
            let ty = m.content.event_type().to_string();
            let path = format!(
                "{V3}/rooms/{}/send/{}/{}",
                enc(m.room_id.as_str()),
                enc(&ty),
                enc(m.txn_id.as_str())
            );
            req(id, "room_message", "PUT", path, to_value(&m.content)?)
        }
    })
}

/// POST /keys/claim.
pub(crate) fn claim_json(
    id: &str,
    c: &ruma::api::client::keys::claim_keys::v3::Request,
) -> Res<Value> {
    let mut body = Map::new();
    body.insert("one_time_keys".into(), to_value(&c.one_time_keys)?);
    if let Some(t) = c.timeout {
        body.insert("timeout".into(), json!(t.as_millis() as u64));
    }
    Ok(req(id, "keys_claim", "POST", format!("{V3}/keys/claim"), Value::Object(body)))
}

/// POST /keys/signatures/upload (the body is the map itself).
pub(crate) fn signatures_json(id: &str, s: &SignatureUploadRequest) -> Res<Value> {
    Ok(req(id, "signature_upload", "POST", format!("{V3}/keys/signatures/upload"), to_value(&s.signed_keys)?))
}

/// POST /keys/device_signing/upload (sent with user-interactive auth).
pub(crate) fn signing_keys_json(id: &str, s: &UploadSigningKeysRequest) -> Res<Value> {
    let mut body = Map::new();
    if let Some(k) = &s.master_key {
        body.insert("master_key".into(), to_value(k)?);
    }
    if let Some(k) = &s.self_signing_key {
        body.insert("self_signing_key".into(), to_value(k)?);
    }
    if let Some(k) = &s.user_signing_key {
        body.insert("user_signing_key".into(), to_value(k)?);
    }
    Ok(req(id, "signing_keys_upload", "POST", format!("{V3}/keys/device_signing/upload"), Value::Object(body)))
}

/// A 2xx answer's body parsed as the response type of that kind.
fn parse<R: IncomingResponse>(body: &str) -> Res<R>
where
    R::EndpointError: std::fmt::Debug,
{
    let v: Value = serde_json::from_str(body).map_err(|e| format!("response_json is not valid JSON: {e}"))?;
    if !v.is_object() {
        return Err("response_json is not a JSON object".to_owned());
    }
    let resp = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(body.as_bytes())
        .map_err(|e| format!("building the response failed: {e}"))?;
    R::try_from_http_response(resp).map_err(|e| format!("response_json does not fit the request: {e}"))
}

/// The answers of each kind, owned, so mark_request_as_sent can borrow one.
pub(crate) enum Answer {
    KeysUpload(ruma::api::client::keys::upload_keys::v3::Response),
    KeysQuery(ruma::api::client::keys::get_keys::v3::Response),
    KeysClaim(ruma::api::client::keys::claim_keys::v3::Response),
    ToDevice(ruma::api::client::to_device::send_event_to_device::v3::Response),
    SignatureUpload(ruma::api::client::keys::upload_signatures::v3::Response),
    SigningKeysUpload(ruma::api::client::keys::upload_signing_keys::v3::Response),
    RoomMessage(ruma::api::client::message::send_message_event::v3::Response),
    KeysBackup(ruma::api::client::backup::add_backup_keys::v3::Response),
}

impl Answer {
    /// Parse the answer of a request of kind `kind`.
    pub(crate) fn parse(kind: &str, body: &str) -> Res<Answer> {
        Ok(match kind {
            "keys_upload" => Answer::KeysUpload(parse(body)?),
            "keys_query" => Answer::KeysQuery(parse(body)?),
            "keys_claim" => Answer::KeysClaim(parse(body)?),
            "to_device" => Answer::ToDevice(parse(body)?),
            "signature_upload" => Answer::SignatureUpload(parse(body)?),
            "signing_keys_upload" => Answer::SigningKeysUpload(parse(body)?),
            "room_message" => Answer::RoomMessage(parse(body)?),
            "keys_backup" => Answer::KeysBackup(parse(body)?),
            _ => return Err(format!("unknown request kind \"{kind}\"")),
        })
    }

    pub(crate) fn as_any(&self) -> AnyIncomingResponse<'_> {
        match self {
            Answer::KeysUpload(r) => AnyIncomingResponse::KeysUpload(r),
            Answer::KeysQuery(r) => AnyIncomingResponse::KeysQuery(r),
            Answer::KeysClaim(r) => AnyIncomingResponse::KeysClaim(r),
            Answer::ToDevice(r) => AnyIncomingResponse::ToDevice(r),
            Answer::SignatureUpload(r) => AnyIncomingResponse::SignatureUpload(r),
            Answer::SigningKeysUpload(r) => AnyIncomingResponse::SigningKeysUpload(r),
            Answer::RoomMessage(r) => AnyIncomingResponse::RoomMessage(r),
            Answer::KeysBackup(r) => AnyIncomingResponse::KeysBackup(r),
        }
    }
}
