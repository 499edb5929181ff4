//! Errors of the platform's calls.

/// A platform operation failed (storage, queue, binding). The text is for the log and carries no
/// secret; the caller answers `503`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformError(pub String);

impl std::fmt::Display for PlatformError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlatformError {}

/// The result of a platform call.
pub type PlatformResult<T> = Result<T, PlatformError>;
