//! What both bench binaries decode: the seed bodies, the plain baseline struct and the generated
//! large and deep bodies. Included by `benches/decode.rs` and `benches/allocs.rs` with `#[path]`.
#![allow(dead_code)]

use serde::Deserialize;

pub const SEED_FORM: &[u8] = include_bytes!("../../examples/data/member-status-changed.form");
pub const SEED_JSON: &[u8] = include_bytes!("../../examples/data/member-status-changed.json");

/// The seed event as a plain struct: strings only, derived `Deserialize`, no custom visitors. What
/// serde_json and serde_qs decode as the baselines.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainEvent {
    pub event: String,
    pub event_handler_id: String,
    pub data: PlainData,
    pub ts: String,
    pub auth: PlainAuth,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainData {
    #[serde(rename = "memberUid")]
    pub member_uid: String,
    #[serde(rename = "documentUid")]
    pub document_uid: String,
    #[serde(rename = "statusCode")]
    pub status_code: String,
    #[serde(rename = "statusName")]
    pub status_name: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainAuth {
    pub access_token: String,
    pub expires_in: String,
    pub scope: String,
    pub domain: String,
    pub server_endpoint: String,
    pub status: String,
    pub client_endpoint: String,
    pub member_id: String,
    pub refresh_token: String,
    pub application_token: String,
}

/// serde_qs as a form decoder: form encoding on (`%5B`/`%5D` are brackets, `+` is a space).
pub fn serde_qs_config() -> serde_qs::Config {
    serde_qs::Config::new().max_depth(5).use_form_encoding(true)
}

/// Pairs in a form body (what `Limits::max_pairs` counts).
pub fn pairs(body: &[u8]) -> usize {
    body.split(|&b| b == b'&').filter(|s| !s.is_empty()).count()
}

/// An unknown event (kept as a tree) whose body has exactly `n` pairs, each about as long as the
/// seed's: the envelope, then `data[FIELDS][UF_CRM_<i>]=...` fields.
pub fn wide_body(n: usize) -> Vec<u8> {
    let mut body = String::from(
        "event=ONCRMDEALUPDATE&event_handler_id=77&ts=1770374945&auth%5Bdomain%5D=some-domain.bitrix24.com\
         &auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585&auth%5Bapplication_token%5D=81905784dd6e05280c9a2015e0e61e68",
    );
    for i in 0..n.saturating_sub(pairs(body.as_bytes())) {
        body.push_str(&format!("&data%5BFIELDS%5D%5BUF_CRM_{i}%5D=value+{i}+of+the+deal+field"));
    }
    body.into_bytes()
}

/// An unknown event whose `data` nests `depth` bracket levels below `data` (the default limit is 64
/// levels in all, `data` included).
pub fn deep_body(depth: usize) -> Vec<u8> {
    let mut key = String::from("data");
    for i in 0..depth - 1 {
        key.push_str(&format!("%5Blevel{i}%5D"));
    }
    format!(
        "event=ONCRMDEALUPDATE&ts=1770374945&auth%5Bdomain%5D=some-domain.bitrix24.com\
         &auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585&{key}=x&{key}%5Bsibling%5D=y"
    )
    .into_bytes()
}
