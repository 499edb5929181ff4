//! The system's CSPRNG (getrandom: the OS natively, `crypto.getRandomValues` in JavaScript hosts).

/// The random number generator could not be read; no secret can be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the system random number generator is unavailable")]
pub struct RandomUnavailable;

/// `N` bytes from the system's CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], RandomUnavailable> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| RandomUnavailable)?;
    Ok(bytes)
}
