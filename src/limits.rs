//! Limits on what a body may cost to decode.

/// Limits applied while decoding a body. The defaults are safe for Bitrix24 events and match PHP's
/// own defaults where PHP has one; exceeding any limit is an error, never a silent truncation.
///
/// ```
/// let mut limits = bitrix24_events::Limits::default();
/// limits.max_pairs = 5_000;
/// assert_eq!(limits.max_depth, 64);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest body accepted, in bytes (form or JSON). Default 64 KiB: a real event is 1-2 KiB.
    pub max_body_bytes: usize,
    /// Most `&`-separated pairs in a form body. Default 1000, PHP's `max_input_vars`.
    pub max_pairs: usize,
    /// Most bracket levels in one form key. Default 64, PHP's `max_input_nesting_level`.
    pub max_depth: usize,
}

impl Limits {
    /// Default body size limit: 64 KiB.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
    /// Default pair limit: 1000, as PHP's `max_input_vars`.
    pub const DEFAULT_MAX_PAIRS: usize = 1000;
    /// Default nesting limit: 64, as PHP's `max_input_nesting_level`.
    pub const DEFAULT_MAX_DEPTH: usize = 64;

    /// The defaults.
    pub const fn new() -> Self {
        Limits {
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            max_pairs: Self::DEFAULT_MAX_PAIRS,
            max_depth: Self::DEFAULT_MAX_DEPTH,
        }
    }

    /// Checks the body size.
    pub(crate) fn check_body(&self, body: &[u8]) -> Result<(), crate::Error> {
        if body.len() > self.max_body_bytes {
            return Err(crate::ErrorKind::BodyTooLarge { size: body.len(), limit: self.max_body_bytes }.into());
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new()
    }
}
