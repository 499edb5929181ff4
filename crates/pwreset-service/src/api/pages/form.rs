//! Reading a page's submitted form: `application/x-www-form-urlencoded`, as browsers send it, of at
//! most [`MAX_BODY_BYTES`].

use crate::model::http::{MAX_BODY_BYTES, Request};

/// Why a submission could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormError {
    /// The body is over the service's limit.
    TooLarge,
    /// Not `application/x-www-form-urlencoded`.
    NotAForm,
}

impl FormError {
    /// The answer's status: `413` for a body over the limit, `415` for one that is no form.
    pub fn status(self) -> u16 {
        match self {
            FormError::TooLarge => 413,
            FormError::NotAForm => 415,
        }
    }
}

/// The values of the fields `names` in a form body, in the same order: `None` for a field not
/// sent; of a repeated field the first value counts, as with query parameters. Other fields are
/// ignored.
pub fn read_fields<const N: usize>(
    req: &Request,
    names: [&str; N],
) -> Result<[Option<String>; N], FormError> {
    if req.body.len() > MAX_BODY_BYTES {
        return Err(FormError::TooLarge);
    }
    let is_form = req.header_value("content-type").is_some_and(|value| {
        value.split(';').next().is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    });
    if !is_form {
        return Err(FormError::NotAForm);
    }
    let mut values: [Option<String>; N] = std::array::from_fn(|_| None);
    for (name, value) in form_urlencoded::parse(&req.body) {
        let Some(i) = names.iter().position(|n| *n == name.as_ref()) else {
            continue;
        };
        if values[i].is_none() {
            values[i] = Some(value.into_owned());
        }
    }
    Ok(values)
}
