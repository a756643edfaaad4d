//! The HTTP edge: from a request (the `http` crate's types) to a verified event and a status code.

use std::time::SystemTime;

use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, Request, StatusCode};

use crate::{Action, AnyEvent, Decoder, Error, ErrorKind, Format, Limits, TokenStore, Validation};

/// The `Content-Type` of a request: `None` when there is none, or more than one, or it is not text.
fn content_type(headers: &HeaderMap) -> Result<Option<&str>, Error> {
    let mut values = headers.get_all(CONTENT_TYPE).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        // Two Content-Types: which one the sender meant is anyone's guess.
        return Err(ErrorKind::UnsupportedMediaType { media_type: "(several Content-Type headers)".into() }.into());
    }
    match value.to_str() {
        Ok(text) => Ok(Some(text)),
        Err(_) => Err(ErrorKind::UnsupportedMediaType { media_type: "(not visible ASCII)".into() }.into()),
    }
}

/// Refuses a request whose `Content-Length` announces more than [`Limits::max_body_bytes`], with
/// [`ErrorKind::BodyTooLarge`] (413), before the body is read. Call it in your server before
/// buffering the body (or cap the read at the limit, for example with your framework's body
/// limit): the functions that take the body as bytes can only check it once it is in memory.
/// A missing or unparsable `Content-Length` passes; the body itself is checked later.
pub fn check_content_length(headers: &HeaderMap, limits: &Limits) -> Result<(), Error> {
    let announced =
        headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<usize>().ok());
    match announced {
        Some(size) if size > limits.max_body_bytes => {
            Err(ErrorKind::BodyTooLarge { size, limit: limits.max_body_bytes }.into())
        }
        _ => Ok(()),
    }
}

/// Decodes an event from a request's headers and body: the `Content-Type` chooses form or JSON
/// (a missing or other media type is [`ErrorKind::UnsupportedMediaType`], 415; see
/// [`Format::from_content_type`]), then the decoder's [`Limits`] apply (413) and the body is
/// decoded (400 when malformed). Nothing is verified yet: see [`receive`].
pub fn decode_parts(headers: &HeaderMap, body: &[u8], decoder: &Decoder) -> Result<AnyEvent, Error> {
    let format = Format::from_content_type(content_type(headers)?)?;
    decoder.decode(format, body)
}

/// [`decode_parts`] for an `http::Request` whose body is bytes (`Vec<u8>`, `Bytes`, `String`,
/// `&[u8]`). The method and URI are not looked at: routing is your server's job.
pub fn decode_request<B: AsRef<[u8]>>(req: &Request<B>, decoder: &Decoder) -> Result<AnyEvent, Error> {
    decode_parts(req.headers(), req.body().as_ref(), decoder)
}

/// Everything an event handler endpoint does before handling an event: [`decode_parts`], then
/// [`Validation::receive`] against `store` (verify the application_token, check the age, store the
/// portal on install or update, forget it on uninstall).
///
/// On error, answer with [`Error::status_code`] and, if you like, the error's text: it never
/// contains a token or any other value from the body.
///
/// ```
/// use std::time::SystemTime;
/// use bitrix24_events::{Action, Decoder, MemoryTokenStore, Validation};
/// use http::{header::CONTENT_TYPE, HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
/// let (decoder, validation, store) = (Decoder::default(), Validation::new(), MemoryTokenStore::new());
/// let install = b"event=ONAPPINSTALL&data%5BVERSION%5D=1&ts=1770374945\
///     &auth%5Bdomain%5D=x.bitrix24.com&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=t1";
/// let (_, action) = bitrix24_events::receive(&headers, install, &decoder, &validation, &store, SystemTime::now())?;
/// assert_eq!(action, Action::Stored { member_id: "m1".into() });
///
/// let forged = b"event=ONAPPUNINSTALL&data%5BCLEAN%5D=1&ts=1770374945\
///     &auth%5Bdomain%5D=x.bitrix24.com&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=t2";
/// let error = bitrix24_events::receive(&headers, forged, &decoder, &validation, &store, SystemTime::now()).unwrap_err();
/// assert_eq!(error.status_code(), http::StatusCode::UNAUTHORIZED);
/// assert!(!error.to_string().contains("t2"));
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
pub fn receive(
    headers: &HeaderMap,
    body: &[u8],
    decoder: &Decoder,
    validation: &Validation,
    store: &dyn TokenStore,
    now: SystemTime,
) -> Result<(AnyEvent, Action), Error> {
    let event = decode_parts(headers, body, decoder)?;
    let action = validation.receive(&event, store, now)?;
    Ok((event, action))
}

/// [`receive`] for an `http::Request` whose body is bytes.
pub fn receive_request<B: AsRef<[u8]>>(
    req: &Request<B>,
    decoder: &Decoder,
    validation: &Validation,
    store: &dyn TokenStore,
    now: SystemTime,
) -> Result<(AnyEvent, Action), Error> {
    receive(req.headers(), req.body().as_ref(), decoder, validation, store, now)
}

impl Error {
    /// The HTTP status to answer with:
    ///
    /// | status | errors |
    /// |---|---|
    /// | 400 Bad Request | a malformed body: [`Json`](ErrorKind::Json), [`NulByte`](ErrorKind::NulByte), [`InvalidUtf8`](ErrorKind::InvalidUtf8), [`TooDeep`](ErrorKind::TooDeep), [`Missing`](ErrorKind::Missing), [`InvalidValue`](ErrorKind::InvalidValue) |
    /// | 401 Unauthorized | the event is not proven to come from a known portal: [`TokenMismatch`](ErrorKind::TokenMismatch), [`MissingApplicationToken`](ErrorKind::MissingApplicationToken), [`UnknownPortal`](ErrorKind::UnknownPortal), and [`Stale`](ErrorKind::Stale) (a replay-window check is part of authenticating the request) |
    /// | 403 Forbidden | the install policy refuses a portal whatever it proves: [`InstallRefused`](ErrorKind::InstallRefused) |
    /// | 413 Content Too Large | [`BodyTooLarge`](ErrorKind::BodyTooLarge), [`TooManyPairs`](ErrorKind::TooManyPairs) |
    /// | 415 Unsupported Media Type | [`UnsupportedMediaType`](ErrorKind::UnsupportedMediaType) |
    /// | 422 Unprocessable Content | [`MissingTokens`](ErrorKind::MissingTokens): the event is well-formed and authentic, but carries no OAuth tokens and the handler needs them; sending it again cannot help, and it is not the sender's malformed request (400) nor its credentials (401) |
    /// | 500 Internal Server Error | [`EmptyToken`](ErrorKind::EmptyToken): an empty expected token is this server's configuration error |
    ///
    /// 401 rather than 403 for a wrong token: the request's credential (its application_token) is
    /// what failed. Bitrix24 does not retry whatever the status, so the codes are for your logs,
    /// proxies and monitoring.
    pub fn status_code(&self) -> StatusCode {
        // Exhaustive on purpose: a new error kind must choose its status here.
        match self.kind() {
            ErrorKind::Json { .. }
            | ErrorKind::NulByte { .. }
            | ErrorKind::InvalidUtf8 { .. }
            | ErrorKind::TooDeep { .. }
            | ErrorKind::Missing { .. }
            | ErrorKind::InvalidValue { .. } => StatusCode::BAD_REQUEST,
            ErrorKind::TokenMismatch
            | ErrorKind::MissingApplicationToken
            | ErrorKind::UnknownPortal { .. }
            | ErrorKind::Stale { .. } => StatusCode::UNAUTHORIZED,
            ErrorKind::InstallRefused { .. } => StatusCode::FORBIDDEN,
            ErrorKind::BodyTooLarge { .. } | ErrorKind::TooManyPairs { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::MissingTokens => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::EmptyToken => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}
