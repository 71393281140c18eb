//! Parsing the export into its JSON tree, each object and array allocated at its final size.
//!
//! `serde_json::Value`'s own parser grows every object as its members arrive, so a bot's
//! many small objects end up with room for up to twice their members; this one collects the
//! members first and allocates each object once. The tree is the same, member order included.
//! A key written twice in one object is refused, at its second place: which of the two a
//! reader takes differs from tool to tool, and a save would silently drop one.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses `text` as one JSON value.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Tree.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// A seed that parses one value into its tree.
pub(crate) struct Tree;

impl<'de> DeserializeSeed<'de> for Tree {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Tree.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Tree)? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members: Vec<(String, Value)> = Vec::new();
        let mut hashes = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if is_duplicate(&members, &mut hashes, &key) {
                return Err(de::Error::custom(duplicate_key(&key)));
            }
            let value = map.next_value_seed(Tree)?;
            members.push((key, value));
        }
        let mut object = Map::with_capacity(members.len());
        for (key, value) in members {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Whether `key` is among the keys read so far: a scan for the small objects of a bot; past
/// 32 members, a set of the keys' hashes (filled then) keeps a large object linear.
fn is_duplicate(
    members: &[(String, Value)],
    hashes: &mut std::collections::HashSet<u64>,
    key: &str,
) -> bool {
    let hash = |k: &str| {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        BuildHasherDefault::<DefaultHasher>::default().hash_one(k)
    };
    if members.len() < 32 {
        return members.iter().any(|(k, _)| k == key);
    }
    if hashes.is_empty() {
        hashes.extend(members.iter().map(|(k, _)| hash(k)));
    }
    !hashes.insert(hash(key)) && members.iter().any(|(k, _)| k == key)
}

/// The error for a key written twice in one object.
pub(crate) fn duplicate_key(key: &str) -> String {
    format!(
        "the key \"{}\" is written twice in one object; keep one of them",
        key.escape_debug()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_is_the_one_serde_json_builds() {
        let texts = [
            r#"{"b": 1, "a": [1, -2, 3.5, 1e300, 18446744073709551615, -9223372036854775808], "c": null}"#,
            r#"{"k": 1, "z": {"k": [true, false, {}], "y": "again"}}"#,
            r#"[[], {}, "\u00e9\ud83d\ude00", "\\\"", 0.1, 1.0000000000000002, -0.0]"#,
            "  \"just a string\"  ",
        ];
        for text in texts {
            let theirs: Value = serde_json::from_str(text).expect("valid JSON");
            let ours = parse(text).expect("valid JSON");
            assert_eq!(ours, theirs, "{text}");
            // Same member order too, which `==` on objects does not look at.
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&theirs).unwrap()
            );
        }
    }

    #[test]
    fn a_key_written_twice_is_refused_at_its_second_place() {
        for (text, at) in [
            ("{\"a\": 1,\n \"a\": 2}", (2, 4)),
            ("[{\"x\": {\"k\": 1, \"k\": [1]}}]", (1, 19)),
        ] {
            let err = parse(text).expect_err("refused");
            assert!(err.to_string().contains("written twice"), "{err}");
            assert_eq!((err.line(), err.column()), at, "{text}: {err}");
        }
        let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let mut text = format!("{{{}}}", many.join(", "));
        parse(&text).expect("100 different keys");
        text.insert_str(text.len() - 1, ", \"k7\": 0");
        assert!(parse(&text).is_err(), "a duplicate past the 32nd key");
    }

    #[test]
    fn errors_are_the_ones_serde_json_reports() {
        for text in [
            "{\"a\": }",
            "[1, 2",
            "{\"a\": 1} x",
            "",
            "{\"a\" 1}",
            "[1e999999x]",
            "[1e400]",
        ] {
            let theirs = serde_json::from_str::<Value>(text).expect_err("invalid");
            let ours = parse(text).expect_err("invalid");
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
            assert_eq!(
                (ours.line(), ours.column()),
                (theirs.line(), theirs.column())
            );
        }
    }
}
