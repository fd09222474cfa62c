//! Keys written twice in one object of a scenario file. JSON parsers keep the last and drop
//! the first without a word, so a file edited by hand (two `"rps"` in one client, the second
//! forgotten from an earlier try) would run with a value its author may not be looking at.
//! [`crate::validate::parse`] reports each one as a problem instead.

use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Most repeated keys reported: past a few, the file is better fixed from the first ones.
const MOST_REPORTED: usize = 20;

/// Each key found twice in one object of `text`, as `(where, key)`: where is the path of the
/// object, `nodes[0].params` or `""` for the top level. Empty when there is none, or when the
/// text is not JSON (its syntax error is reported instead).
pub fn repeated_keys(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let walk = Walk {
        path: &mut path,
        found: &mut found,
    };
    if walk.deserialize(&mut de).is_err() {
        return Vec::new();
    }
    found
}

/// One step of the path to a value: a key of an object, or a place in a list.
enum Step {
    Key(String),
    Index(usize),
}

/// `nodes[0].params`: the path written out, only when a repeat is found (written out for
/// every value, a file of a million list items took 50 s).
fn written(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Walks one JSON value at `path`, noting repeated keys in every object inside it.
struct Walk<'a> {
    path: &'a mut Vec<Step>,
    found: &'a mut Vec<(String, String)>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            self.path.push(Step::Index(i));
            let item = Walk {
                path: &mut *self.path,
                found: &mut *self.found,
            };
            let more = seq.next_element_seed(item)?.is_some();
            self.path.pop();
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                if self.found.len() < MOST_REPORTED {
                    self.found.push((written(self.path), key.clone()));
                }
            } else {
                seen.insert(key.clone());
            }
            self.path.push(Step::Key(key));
            map.next_value_seed(Walk {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::repeated_keys;

    #[test]
    fn finds_each_key_repeated_in_its_own_object() {
        let text = r#"{"version": 1, "seed": 1, "seed": 2,
            "nodes": [{"id": "u", "params": {"rps": 5, "mix": {"read": 1}, "rps": 50}},
                      {"id": "v", "params": {"rps": 5}}]}"#;
        assert_eq!(
            repeated_keys(text),
            vec![
                (String::new(), "seed".to_string()),
                ("nodes[0].params".to_string(), "rps".to_string())
            ]
        );
    }

    #[test]
    fn the_same_key_in_different_objects_is_not_repeated() {
        let text = r#"{"nodes": [{"id": "a", "params": {"id": 1}}, {"id": "b"}],
                       "edges": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}]}"#;
        assert!(repeated_keys(text).is_empty());
    }

    #[test]
    fn text_that_is_not_json_has_none() {
        assert!(repeated_keys(r#"{"a": 1, "a": "#).is_empty());
        assert!(repeated_keys("[1, 2").is_empty());
    }
}
