//! werktafel-crypto: the C ABI of bot/crypto.h over matrix-sdk-crypto.
//!
//! Every `extern "C"` function here is a thin shell: it checks its
//! pointers, turns C strings into Rust ones, runs the real work (in
//! `machine`, `requests` and `attach`) inside `catch_unwind`, and turns
//! the result into an owned buffer or an int. A failure is never a panic
//! across the line: its message goes to a thread-local that
//! `wtc_last_error` hands out.
//!
//! Memory: every string and buffer returned to C comes from `out_alloc`,
//! which puts a 16-byte header (a magic word and the payload's size) in
//! front of the payload, so the one `wtc_free` frees both kinds; a pointer
//! without the header is refused (left alone) instead of freed.

use std::alloc::{alloc, dealloc, Layout};
use std::cell::RefCell;
use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

mod attach;
mod machine;
mod requests;

pub use machine::Wtc;

/// The largest JSON text any call accepts (a /sync's crypto part is far
/// smaller; this bounds what a broken caller can make us parse).
pub(crate) const MAX_JSON: usize = 32 * 1024 * 1024;
/// The largest file wtc_encrypt_attachment / wtc_decrypt_attachment take.
pub(crate) const MAX_ATTACHMENT: usize = 256 * 1024 * 1024;

const HDR: usize = 16;
const MAGIC: u64 = 0x7774_635f_6275_6631; // "wtc_buf1"

/// The result type of the work behind every call: a message on failure.
pub(crate) type Res<T> = Result<T, String>;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_error(msg: &str) {
    let clean: String = msg.chars().map(|c| if c == '\0' { ' ' } else { c }).collect();
    let c = CString::new(clean).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = c);
}

fn clear_error() {
    LAST_ERROR.with(|e| *e.borrow_mut() = CString::default());
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Run one call's work: clear the last error, catch any panic, and turn a
/// failure into `fail` with its message stored for wtc_last_error.
fn guard<T>(fail: T, f: impl FnOnce() -> Res<T>) -> T {
    clear_error();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(msg)) => {
            set_error(&msg);
            fail
        }
        Err(p) => {
            set_error(&format!("internal error in the crypto library: {}", panic_message(&*p)));
            fail
        }
    }
}

/// Copy bytes into a fresh header-carrying buffer (plus a NUL when `nul`).
fn out_alloc(bytes: &[u8], nul: bool) -> Res<*mut u8> {
    let n = bytes.len() + usize::from(nul);
    let layout = Layout::from_size_align(n + HDR, HDR).map_err(|_| "result too large".to_owned())?;
    // SAFETY: layout has a non-zero size (HDR > 0).
    let base = unsafe { alloc(layout) };
    if base.is_null() {
        return Err(format!("out of memory for a result of {n} bytes"));
    }
    // SAFETY: base points at n + HDR writable bytes, aligned to 16.
    unsafe {
        (base as *mut u64).write(MAGIC);
        (base.add(8) as *mut u64).write(n as u64);
        ptr::copy_nonoverlapping(bytes.as_ptr(), base.add(HDR), bytes.len());
        if nul {
            *base.add(HDR + bytes.len()) = 0;
        }
        Ok(base.add(HDR))
    }
}

/// A returned string (JSON), NUL-terminated.
pub(crate) fn out_string(s: String) -> Res<*mut c_char> {
    out_alloc(s.as_bytes(), true).map(|p| p as *mut c_char)
}

/// A borrowed C string as UTF-8, refused when NULL, too long or not UTF-8.
pub(crate) fn in_str<'a>(p: *const c_char, what: &str) -> Res<&'a str> {
    if p.is_null() {
        return Err(format!("{what} is NULL"));
    }
    // SAFETY: the caller promises a NUL-terminated string (crypto.h).
    let c = unsafe { CStr::from_ptr(p) };
    let b = c.to_bytes();
    if b.len() > MAX_JSON {
        return Err(format!("{what} is too large ({} bytes, at most {MAX_JSON})", b.len()));
    }
    std::str::from_utf8(b).map_err(|e| format!("{what} is not UTF-8: {e}"))
}

/// An optional C string: NULL and "" are None.
pub(crate) fn in_opt_str<'a>(p: *const c_char, what: &str) -> Res<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    let s = in_str(p, what)?;
    Ok(if s.is_empty() { None } else { Some(s) })
}

/// A JSON text from C, parsed.
pub(crate) fn in_json(p: *const c_char, what: &str) -> Res<serde_json::Value> {
    let s = in_str(p, what)?;
    serde_json::from_str(s).map_err(|e| format!("{what} is not valid JSON: {e}"))
}

/// The handle behind a pointer from wtc_open.
fn handle<'a>(c: *mut Wtc) -> Res<&'a mut Wtc> {
    if c.is_null() {
        return Err("the crypto handle is NULL".to_owned());
    }
    // SAFETY: a non-NULL handle comes from wtc_open and is not yet closed.
    Ok(unsafe { &mut *c })
}

/// Free a string or buffer returned by any wtc_ function (NULL is fine).
#[no_mangle]
pub extern "C" fn wtc_free(p: *mut std::ffi::c_void) {
    if p.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: p came from out_alloc, so HDR bytes before it are ours.
        unsafe {
            let base = (p as *mut u8).sub(HDR);
            if (base as *const u64).read() != MAGIC {
                set_error("wtc_free: not a buffer of the crypto library (left alone)");
                return;
            }
            let n = (base.add(8) as *const u64).read() as usize;
            (base as *mut u64).write(0);
            dealloc(base, Layout::from_size_align_unchecked(n + HDR, HDR));
        }
    });
}

/// The message of the last failure on this thread ("" when none).
#[no_mangle]
pub extern "C" fn wtc_last_error() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// Open (or create) the crypto store and the device's machine.
#[no_mangle]
pub extern "C" fn wtc_open(
    store_dir: *const c_char,
    user_id: *const c_char,
    device_id: *const c_char,
    passphrase: *const c_char,
    created: *mut c_int,
) -> *mut Wtc {
    if !created.is_null() {
        // SAFETY: the caller's int.
        unsafe { *created = 0 };
    }
    guard(ptr::null_mut(), || {
        let dir = in_str(store_dir, "store_dir")?;
        let user = in_str(user_id, "user_id")?;
        let device = in_str(device_id, "device_id")?;
        let pass = in_opt_str(passphrase, "passphrase")?;
        let (w, was_created) = Wtc::open(dir, user, device, pass)?;
        if !created.is_null() {
            // SAFETY: the caller's int.
            unsafe { *created = c_int::from(was_created) };
        }
        Ok(Box::into_raw(Box::new(w)))
    })
}

/// Close a handle (NULL is fine); the store keeps everything.
#[no_mangle]
pub extern "C" fn wtc_close(c: *mut Wtc) {
    if c.is_null() {
        return;
    }
    guard((), || {
        // SAFETY: c came from wtc_open (Box::into_raw) and is closed once.
        drop(unsafe { Box::from_raw(c) });
        Ok(())
    })
}

/// Run a JSON-returning method on a handle.
fn json_call(c: *mut Wtc, f: impl FnOnce(&mut Wtc) -> Res<String>) -> *mut c_char {
    guard(ptr::null_mut(), || out_string(f(handle(c)?)?))
}

/// Run an int-returning method on a handle.
fn int_call(c: *mut Wtc, f: impl FnOnce(&mut Wtc) -> Res<()>) -> c_int {
    guard(-1, || f(handle(c)?).map(|_| 0))
}

#[no_mangle]
pub extern "C" fn wtc_identity(c: *mut Wtc) -> *mut c_char {
    json_call(c, |w| w.identity())
}

#[no_mangle]
pub extern "C" fn wtc_receive_sync(c: *mut Wtc, sync_json: *const c_char) -> *mut c_char {
    json_call(c, |w| w.receive_sync(in_json(sync_json, "sync_json")?))
}

#[no_mangle]
pub extern "C" fn wtc_update_tracked_users(c: *mut Wtc, user_ids_json: *const c_char) -> c_int {
    int_call(c, |w| w.update_tracked_users(in_json(user_ids_json, "user_ids_json")?))
}

#[no_mangle]
pub extern "C" fn wtc_outgoing_requests(c: *mut Wtc) -> *mut c_char {
    json_call(c, |w| w.outgoing_requests())
}

#[no_mangle]
pub extern "C" fn wtc_mark_sent(
    c: *mut Wtc,
    id: *const c_char,
    kind: *const c_char,
    response_json: *const c_char,
) -> c_int {
    int_call(c, |w| {
        let id = in_str(id, "id")?;
        let kind = in_str(kind, "kind")?;
        let body = in_str(response_json, "response_json")?;
        w.mark_sent(id, kind, body)
    })
}

#[no_mangle]
pub extern "C" fn wtc_prepare_room(
    c: *mut Wtc,
    room_id: *const c_char,
    members_json: *const c_char,
    settings_json: *const c_char,
) -> *mut c_char {
    json_call(c, |w| {
        let room = in_str(room_id, "room_id")?;
        let members = in_json(members_json, "members_json")?;
        let settings = in_json(settings_json, "settings_json")?;
        w.prepare_room(room, members, settings)
    })
}

#[no_mangle]
pub extern "C" fn wtc_encrypt(
    c: *mut Wtc,
    room_id: *const c_char,
    event_type: *const c_char,
    content_json: *const c_char,
) -> *mut c_char {
    json_call(c, |w| {
        let room = in_str(room_id, "room_id")?;
        let ty = in_str(event_type, "event_type")?;
        let content = in_json(content_json, "content_json")?;
        w.encrypt(room, ty, content)
    })
}

#[no_mangle]
pub extern "C" fn wtc_decrypt(
    c: *mut Wtc,
    room_id: *const c_char,
    event_json: *const c_char,
) -> *mut c_char {
    json_call(c, |w| {
        let room = in_str(room_id, "room_id")?;
        let event = in_json(event_json, "event_json")?;
        w.decrypt(room, event)
    })
}

#[no_mangle]
pub extern "C" fn wtc_cross_signing_status(c: *mut Wtc) -> *mut c_char {
    json_call(c, |w| w.cross_signing_status())
}

#[no_mangle]
pub extern "C" fn wtc_bootstrap_cross_signing(c: *mut Wtc) -> *mut c_char {
    json_call(c, |w| w.bootstrap_cross_signing())
}

/// A borrowed byte buffer from C, refused when NULL (with len > 0) or huge.
fn in_bytes<'a>(data: *const u8, len: usize, what: &str) -> Res<&'a [u8]> {
    if len > MAX_ATTACHMENT {
        return Err(format!("{what} is too large ({len} bytes, at most {MAX_ATTACHMENT})"));
    }
    if data.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(format!("{what} is NULL"));
    }
    // SAFETY: the caller promises len readable bytes at data.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

#[no_mangle]
pub extern "C" fn wtc_encrypt_attachment(
    data: *const u8,
    len: usize,
    out: *mut *mut u8,
) -> *mut c_char {
    guard(ptr::null_mut(), || {
        if out.is_null() {
            return Err("out is NULL".to_owned());
        }
        // SAFETY: the caller's pointer.
        unsafe { *out = ptr::null_mut() };
        let input = in_bytes(data, len, "data")?;
        let (cipher, info) = attach::encrypt(input)?;
        let info = out_string(info)?;
        match out_alloc(&cipher, false) {
            Ok(b) => {
                // SAFETY: the caller's pointer.
                unsafe { *out = b };
                Ok(info)
            }
            Err(e) => {
                wtc_free(info as *mut _);
                Err(e)
            }
        }
    })
}

#[no_mangle]
pub extern "C" fn wtc_decrypt_attachment(
    data: *const u8,
    len: usize,
    file_json: *const c_char,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> c_int {
    guard(-1, || {
        if out.is_null() || out_len.is_null() {
            return Err("out or out_len is NULL".to_owned());
        }
        // SAFETY: the caller's pointers.
        unsafe {
            *out = ptr::null_mut();
            *out_len = 0;
        }
        let input = in_bytes(data, len, "data")?;
        let file = in_json(file_json, "file_json")?;
        let plain = attach::decrypt(input, file)?;
        let b = out_alloc(&plain, false)?;
        // SAFETY: the caller's pointers.
        unsafe {
            *out = b;
            *out_len = plain.len();
        }
        Ok(0)
    })
}
