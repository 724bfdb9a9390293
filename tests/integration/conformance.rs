//! Whether an answer of the API is what its OpenAPI document says: the JSON Schema keywords
//! the document uses (`$ref`, `allOf`, `oneOf`, `anyOf`, `type`, `enum`, `required`,
//! `properties`, `items`), and no property the document does not name (a field added to an
//! answer must be added to its type's schema too, which the document is generated from).

use serde_json::Value;
use std::collections::BTreeSet;

/// The schema a `$ref` points at, or the schema itself.
fn resolve<'d>(doc: &'d Value, schema: &'d Value) -> Result<&'d Value, String> {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            let target = &doc["components"]["schemas"][name];
            if target.is_null() {
                return Err(format!("dangling reference {r}"));
            }
            resolve(doc, target)
        }
        None => Ok(schema),
    }
}

/// The property names an object schema names (following `$ref` and `allOf`); None when it
/// leaves them open (no `properties`, or `additionalProperties`).
fn named(doc: &Value, schema: &Value) -> Result<Option<BTreeSet<String>>, String> {
    let schema = resolve(doc, schema)?;
    if schema.get("additionalProperties").is_some() {
        return Ok(None);
    }
    let mut out = BTreeSet::new();
    let mut closed = false;
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        out.extend(p.keys().cloned());
        closed = true;
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match named(doc, part)? {
            Some(names) => {
                out.extend(names);
                closed = true;
            }
            None => return Ok(None),
        }
    }
    Ok(closed.then_some(out))
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

/// Checks `v` against `schema`; the first mismatch, located by its path in the answer.
pub fn check(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema).map_err(|e| format!("{at}: {e}"))?;
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check_open(doc, part, v, at)?;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array)
            && !options.iter().any(|s| check(doc, s, v, at).is_ok())
        {
            return Err(format!(
                "{at}: {v} is none of {}",
                Value::from(options.clone())
            ));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.iter().any(|t| has_type(v, t)) {
            return Err(format!("{at}: {v} is not of type {t}"));
        }
    }
    if let Some(words) = schema.get("enum").and_then(Value::as_array)
        && !words.contains(v)
    {
        return Err(format!(
            "{at}: {v} is not one of {}",
            Value::from(words.clone())
        ));
    }
    if let Some(obj) = v.as_object() {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !obj.contains_key(r) {
                return Err(format!("{at}: required {r:?} is missing"));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, x) in obj {
                if let Some(s) = props.get(k) {
                    check(doc, s, x, &format!("{at}.{k}"))?;
                }
            }
        }
        if let Some(names) = named(doc, schema).map_err(|e| format!("{at}: {e}"))?
            && let Some(k) = obj.keys().find(|k| !names.contains(*k))
        {
            return Err(format!("{at}: {k:?} is not in the document"));
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// [`check`] of one part of an `allOf`: its own properties and types, the names of the
/// other parts allowed (the whole is checked for names it does not know).
fn check_open(doc: &Value, part: &Value, v: &Value, at: &str) -> Result<(), String> {
    let part = resolve(doc, part).map_err(|e| format!("{at}: {e}"))?;
    let mut open = part.clone();
    if let Some(o) = open.as_object_mut() {
        o.insert("additionalProperties".into(), Value::Bool(true));
    }
    check(doc, &open, v, at)
}

#[test]
fn the_checker_finds_what_does_not_match() {
    let doc = serde_json::json!({ "components": { "schemas": {
        "T": { "type": "object", "required": ["a"], "properties": {
            "a": { "type": "string" }, "b": { "oneOf": [ { "type": "null" }, { "type": "integer" } ] },
            "c": { "type": "array", "items": { "type": "string", "enum": ["x", "y"] } } } },
        "U": { "allOf": [ { "$ref": "#/components/schemas/T" },
            { "type": "object", "properties": { "d": { "type": "boolean" } } } ] } } } });
    let t = serde_json::json!({ "$ref": "#/components/schemas/T" });
    let u = serde_json::json!({ "$ref": "#/components/schemas/U" });
    let ok = serde_json::json!({ "a": "s", "b": null, "c": ["x"] });
    assert_eq!(check(&doc, &t, &ok, "$"), Ok(()));
    assert_eq!(
        check(&doc, &u, &serde_json::json!({ "a": "s", "d": true }), "$"),
        Ok(())
    );
    for (bad, why) in [
        (serde_json::json!({ "b": 1 }), "required \"a\""),
        (serde_json::json!({ "a": 1 }), "$.a: 1 is not of type"),
        (
            serde_json::json!({ "a": "s", "b": "2" }),
            "$.b: \"2\" is none of",
        ),
        (
            serde_json::json!({ "a": "s", "c": ["z"] }),
            "$.c[0]: \"z\" is not one of",
        ),
        (
            serde_json::json!({ "a": "s", "e": 1 }),
            "\"e\" is not in the document",
        ),
    ] {
        let e = check(&doc, &t, &bad, "$").expect_err("a mismatch");
        assert!(e.contains(why), "{e} (wanted {why})");
    }
    let e = check(&doc, &u, &serde_json::json!({ "a": "s", "d": 1 }), "$").expect_err("d");
    assert!(e.contains("$.d: 1 is not of type"), "{e}");
    let e = check(&doc, &u, &serde_json::json!({ "a": "s", "f": 1 }), "$").expect_err("f");
    assert!(e.contains("\"f\" is not in the document"), "{e}");
}
