//! The OpenAPI 3.1 document of every route, kept in the repository (`docs/openapi.json`) and
//! served at `GET /openapi.json`; and a structural check of JSON against its schemas, with which the
//! tests hold the answer and request structs ([`shapes`](super::shapes)) and the real answers to
//! the document.

use serde_json::Value;

use crate::model::http::Response;

/// The document, as committed.
pub const DOCUMENT: &str = include_str!("../../../../docs/openapi.json");

/// `GET /openapi.json`.
pub fn serve() -> Response {
    let mut response = Response::json(200, &serde_json::Value::Null);
    response.body = DOCUMENT.as_bytes().to_vec();
    response
}

/// The document, parsed (`None` only if the committed file were not JSON).
pub fn document() -> Option<Value> {
    serde_json::from_str(DOCUMENT).ok()
}

/// `schema` with its `$ref`s (`#/components/…`) followed.
pub fn resolve<'d>(document: &'d Value, mut schema: &'d Value) -> &'d Value {
    while let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| document.pointer(pointer))
    {
        schema = target;
    }
    schema
}

/// The operation of `method` (`"post"`) on `path`, as the document writes them.
fn operation<'d>(document: &'d Value, path: &str, method: &str) -> Option<&'d Value> {
    document.get("paths")?.get(path)?.get(method)
}

/// The statuses for which the document gives `method` on `path` an `application/json` answer.
pub fn json_statuses(document: &Value, path: &str, method: &str) -> Vec<u16> {
    let Some(responses) = operation(document, path, method)
        .and_then(|op| op.get("responses"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    responses
        .iter()
        .filter(|(_, answer)| {
            resolve(document, answer)
                .pointer("/content/application~1json/schema")
                .is_some()
        })
        .filter_map(|(status, _)| status.parse().ok())
        .collect()
}

/// The schema of the `application/json` answer the document gives `method` on `path` with
/// `status`.
pub fn answer_schema<'d>(
    document: &'d Value,
    path: &str,
    method: &str,
    status: u16,
) -> Option<&'d Value> {
    let answer = operation(document, path, method)?
        .get("responses")?
        .get(status.to_string())?;
    resolve(document, answer).pointer("/content/application~1json/schema")
}

/// The schema of the `application/json` body the document gives `method` on `path`.
pub fn request_schema<'d>(document: &'d Value, path: &str, method: &str) -> Option<&'d Value> {
    let body = operation(document, path, method)?.get("requestBody")?;
    resolve(document, body).pointer("/content/application~1json/schema")
}

/// How fully a value must fill the objects of its schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// As the schema allows: every required property, and none the schema does not name where
    /// it allows no others.
    Valid,
    /// Valid, with every property the schema names: an example with every optional field set.
    Every,
    /// Valid, with only the required properties: an example with no optional field set.
    Required,
}

/// Checks `value` against `schema` (of `document`): `$ref`, `oneOf` (exactly one variant fits),
/// `const`, `enum`, `type`, an object's `properties`, `required` and `additionalProperties:
/// false`, an array's `items`, `minItems` and `maxItems`, a string's `minLength` and `maxLength`,
/// a number's `minimum` and `maximum`; `fill` says how fully objects must be filled. Formats and
/// patterns are not checked. The error names where the value went wrong.
pub fn check(document: &Value, schema: &Value, value: &Value, fill: Fill) -> Result<(), String> {
    check_at(document, schema, value, fill, "$")
}

fn check_at(
    document: &Value,
    schema: &Value,
    value: &Value,
    fill: Fill,
    at: &str,
) -> Result<(), String> {
    let schema = resolve(document, schema);
    if let Some(variants) = schema.get("oneOf").and_then(Value::as_array) {
        let fits = variants
            .iter()
            .filter(|variant| check_at(document, variant, value, fill, at).is_ok())
            .count();
        if fits != 1 {
            return Err(format!(
                "{at}: fits {fits} of the oneOf's variants: {value}"
            ));
        }
        return Ok(());
    }
    if let Some(constant) = schema.get("const")
        && value != constant
    {
        return Err(format!("{at}: {value} is not the constant {constant}"));
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
            other => other.as_str().into_iter().collect(),
        };
        if !types.iter().any(|t| is_of_type(value, t)) {
            return Err(format!("{at}: {value} is not of type {types:?}"));
        }
    }
    let bound = |name: &str| schema.get(name).and_then(Value::as_u64);
    let out_of = |length: u64, low: &str, high: &str| {
        bound(low).is_some_and(|min| length < min) || bound(high).is_some_and(|max| length > max)
    };
    match value {
        Value::Object(object) => {
            let empty = serde_json::Map::new();
            let properties = schema
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(missing) = required.iter().find(|name| !object.contains_key(**name)) {
                return Err(format!("{at}: the required {missing} is missing"));
            }
            if schema.get("additionalProperties") == Some(&Value::Bool(false))
                && let Some(unnamed) = object.keys().find(|key| !properties.contains_key(*key))
            {
                return Err(format!("{at}: {unnamed} is not in the schema"));
            }
            match fill {
                Fill::Valid => {}
                Fill::Every => {
                    if let Some(absent) = properties.keys().find(|key| !object.contains_key(*key)) {
                        return Err(format!("{at}: the property {absent} is not filled"));
                    }
                }
                Fill::Required => {
                    if let Some(optional) =
                        object.keys().find(|key| !required.contains(&key.as_str()))
                    {
                        return Err(format!("{at}: the optional {optional} is filled"));
                    }
                }
            }
            for (key, item) in object {
                if let Some(property) = properties.get(key) {
                    check_at(document, property, item, fill, &format!("{at}.{key}"))?;
                }
            }
        }
        Value::Array(items) => {
            if out_of(items.len() as u64, "minItems", "maxItems") {
                return Err(format!("{at}: {} items are out of bounds", items.len()));
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check_at(document, item_schema, item, fill, &format!("{at}[{i}]"))?;
                }
            }
        }
        Value::String(text) => {
            if out_of(text.chars().count() as u64, "minLength", "maxLength") {
                return Err(format!("{at}: the length of {value} is out of bounds"));
            }
        }
        Value::Number(number) => {
            let number = number.as_f64().unwrap_or(f64::NAN);
            let low = schema.get("minimum").and_then(Value::as_f64);
            let high = schema.get("maximum").and_then(Value::as_f64);
            if low.is_some_and(|min| number < min) || high.is_some_and(|max| number > max) {
                return Err(format!("{at}: {value} is out of bounds"));
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
    Ok(())
}

fn is_of_type(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_check_finds_each_kind_of_difference() {
        let document = json!({ "components": { "schemas": {
            "Item": { "type": "object", "required": ["a"], "additionalProperties": false,
                      "properties": { "a": { "const": 1 }, "b": { "type": ["string", "null"], "maxLength": 2 } } },
            "List": { "type": "array", "minItems": 1, "items": { "$ref": "#/components/schemas/Item" } },
        } } });
        let list = json!({ "$ref": "#/components/schemas/List" });
        let ok = |value: Value, fill| check(&document, &list, &value, fill);
        assert_eq!(ok(json!([{ "a": 1 }]), Fill::Valid), Ok(()));
        assert_eq!(ok(json!([{ "a": 1 }]), Fill::Required), Ok(()));
        assert_eq!(ok(json!([{ "a": 1, "b": null }]), Fill::Every), Ok(()));
        for (wrong, fill) in [
            (json!([]), Fill::Valid),
            (json!({}), Fill::Valid),
            (json!([{}]), Fill::Valid),
            (json!([{ "a": 2 }]), Fill::Valid),
            (json!([{ "a": 1, "c": 1 }]), Fill::Valid),
            (json!([{ "a": 1, "b": 3 }]), Fill::Valid),
            (json!([{ "a": 1, "b": "xyz" }]), Fill::Valid),
            (json!([{ "a": 1 }]), Fill::Every),
            (json!([{ "a": 1, "b": "x" }]), Fill::Required),
        ] {
            assert!(ok(wrong.clone(), fill).is_err(), "{wrong} {fill:?}");
        }
    }
}
