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

impl PlatformError {
    /// `what` could not be read as JSON: where and how, never the text itself (a serde error's
    /// own words may quote the values it met: an address, a hash).
    pub fn unreadable(what: &str, e: &serde_json::Error) -> Self {
        PlatformError(format!(
            "{what} unreadable ({:?} at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    }
}

/// The result of a platform call.
pub type PlatformResult<T> = Result<T, PlatformError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_answer_never_quotes_its_values() {
        let e = serde_json::from_str::<Vec<u64>>(r#"["jane@example.com"]"#).unwrap_err();
        assert!(e.to_string().contains("jane@example.com"));
        let error = PlatformError::unreadable("user directory answer", &e);
        assert!(!error.0.contains("jane"), "{error}");
        assert!(
            error
                .0
                .starts_with("user directory answer unreadable (Data at line 1")
        );
    }
}
