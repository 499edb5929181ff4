//! Recipients as logs and dead letters show them: enough to tell them apart, not enough to read.

/// Masks an e-mail address (`jane@example.com` → `j***@example.com`) or a phone number
/// (`+447700900456` → `+44********56`); anything else keeps only its first character.
pub fn mask_recipient(to: &str) -> String {
    if let Some((local, domain)) = to.rsplit_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    if let Some(digits) = to.strip_prefix('+')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        let len = digits.len();
        if len <= 4 {
            return format!("+{}", "*".repeat(len));
        }
        return format!(
            "+{}{}{}",
            &digits[..2],
            "*".repeat(len - 4),
            &digits[len - 2..]
        );
    }
    let first: String = to.chars().take(1).collect();
    format!("{first}***")
}
