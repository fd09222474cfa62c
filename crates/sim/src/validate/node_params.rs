//! A node's `params`: typed by its kind, each bad field named with what it takes and the
//! rule it broke.

use serde_json::Value;

use super::syntax::in_words;
use super::truncate;
use crate::error::shown;
use crate::params::{self, Params, Reliability};
use crate::scenario::Kind;

/// Typed params of one node, or `(field, message)` for each bad field.
pub fn check_params(
    kind: Kind,
    raw: &serde_json::Map<String, Value>,
) -> Result<(Params, Reliability), Vec<(String, String)>> {
    let allowed = params::param_names(kind);
    let mut bad = Vec::new();
    let mut own = serde_json::Map::new();
    let mut common = serde_json::Map::new();
    for (k, v) in raw {
        if allowed.contains(&k.as_str()) {
            match problems_inside(kind, k, v) {
                None => {
                    own.insert(k.clone(), v.clone());
                }
                // Left out of the typing, so that the other params are checked at once with
                // this one at its default.
                Some(inside) => bad.extend(inside),
            }
        } else if params::COMMON_PARAMS.contains(&k.as_str()) {
            common.insert(k.clone(), v.clone());
        } else {
            bad.push((
                k.clone(),
                format!(
                    "unknown param \"{}\" for a {}{}: use {}, mtbf_s or mttr_s",
                    truncate(k),
                    kind.as_str(),
                    crate::suggest::hint(
                        k,
                        allowed.iter().chain(params::COMMON_PARAMS.iter()).copied()
                    ),
                    allowed.join(", ")
                ),
            ));
        }
    }
    // Null means "use the default" (an omitted limit is unbounded), so drop nulls before
    // typing; except where null says something of its own (a cache's `"ttl_s": null`, never
    // expires, whose default is 300 s: dropped, the null read as 300 s).
    own.retain(|k, v| !v.is_null() || params::NULL_IS_A_VALUE.contains(&k.as_str()));
    own.values_mut().for_each(whole_floats_as_integers);
    let parsed = params::parse(kind, &Value::Object(own.clone()));
    let params = match parsed {
        Ok(p) => Some(p),
        Err(_) => {
            // Find each field that fails on its own, to name them all.
            let mut fine = own.clone();
            for (k, v) in &own {
                let mut one = serde_json::Map::new();
                one.insert(k.clone(), v.clone());
                if let Err(e) = params::parse(kind, &Value::Object(one)) {
                    let message = too_large(kind, k, v)
                        .or_else(|| not_whole(kind, k, v))
                        .unwrap_or_else(|| param_message(k, v, &e));
                    bad.push((k.clone(), message));
                    fine.remove(k);
                }
            }
            // The fields that do parse still get their values checked now, with the bad
            // ones at their defaults, rather than after the bad ones are fixed; but not a rule
            // about a bad one, which would judge a default the user never wrote
            // ("instances (1) must lie between autoscale.min (3)…" for "instances": "3").
            if let Ok(p) = params::parse(kind, &Value::Object(fine)) {
                let unread: Vec<String> = bad.iter().map(|(f, _)| f.clone()).collect();
                let about_unread = |field: &str| {
                    unread.iter().any(|b| {
                        field == b
                            || field
                                .strip_prefix(b.as_str())
                                .is_some_and(|r| r.starts_with('.'))
                    })
                };
                bad.extend(
                    params::check_values(&p)
                        .into_iter()
                        .filter(|(f, _)| !about_unread(f)),
                );
            }
            None
        }
    };
    let reliability: Option<Reliability> = match serde_json::from_value(Value::Object(common)) {
        Ok(r) => Some(r),
        Err(e) => {
            bad.push((
                "mtbf_s".into(),
                format!("mtbf_s/mttr_s: {}", describe_serde(&e)),
            ));
            None
        }
    };
    if let Some(r) = &reliability {
        for (name, v) in [("mtbf_s", r.mtbf_s), ("mttr_s", r.mttr_s)] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    bad.push((
                        name.into(),
                        format!("{name} must be a number > 0, got {}", shown(v)),
                    ));
                }
            }
        }
        if r.mtbf_s.is_some() != r.mttr_s.is_some() {
            bad.push((
                "mtbf_s".into(),
                "give both mtbf_s and mttr_s, or neither".into(),
            ));
        }
    }
    if let Some(p) = &params {
        bad.extend(params::check_values(p));
    }
    match (params, reliability) {
        (Some(p), Some(r)) if bad.is_empty() => Ok((p, r)),
        _ => Err(bad),
    }
}

/// Params that decide where a node's requests go, not only how many or how fast: with one
/// of them bad, the paths drawn are not judged (the default in its place is not the user's).
const ROUTING_PARAMS: [&str; 5] = ["mix", "hit_ratio", "geo", "algorithm", "strategy"];

/// The params `raw` of a `kind` node without the `bad` ones (named as `check_params` names
/// them: `mix.read` is `mix`), typed, if the rest are valid; and whether a bad one is among
/// the [`ROUTING_PARAMS`].
pub(super) fn without_bad_params(
    kind: Kind,
    raw: &serde_json::Map<String, Value>,
    bad: &[String],
) -> (Option<(Params, Reliability)>, bool) {
    let key = |field: &str| {
        let end = field.find(['.', '[']).unwrap_or(field.len());
        field[..end].to_string()
    };
    let mut keys: Vec<String> = bad.iter().map(|f| key(f)).collect();
    // The two go together: one left alone would be a new problem.
    if keys
        .iter()
        .any(|k| params::COMMON_PARAMS.contains(&k.as_str()))
    {
        keys.extend(params::COMMON_PARAMS.iter().map(|k| k.to_string()));
    }
    let routing = keys.iter().any(|k| ROUTING_PARAMS.contains(&k.as_str()));
    let mut rest = raw.clone();
    rest.retain(|k, _| !keys.contains(k));
    (check_params(kind, &rest).ok(), routing)
}

/// The message for param `k`, whose value `v` does not parse alone (`e`). A list is named as
/// one, with what to give instead (no param takes a list): serde's "must be a whole number, got
/// a list" reads as if something in the list were wrong.
fn param_message(k: &str, v: &Value, e: &serde_json::Error) -> String {
    let said = describe_serde(e);
    let want = said
        .strip_prefix("must be ")
        .and_then(|rest| rest.split_once(", got "))
        .map(|(want, _)| want);
    // "missing field `dist`" with what to add: the field, and what it takes.
    let missing = said
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
        .and_then(|field| {
            let object = v.as_object().cloned().unwrap_or_default();
            part(k, field, &object).map(|p| (field, p.takes))
        });
    match (want, missing) {
        (Some(want), _) if v.is_array() => format!("{k} is a list: give {want}"),
        (_, Some((field, takes))) => {
            format!("{k}: missing field \"{field}\": add it, {takes}")
        }
        _ => format!("{k}: {said}"),
    }
}

/// A field inside the object of a param (`mix.read`, `autoscale.min`, a distribution's
/// `mean`), for the messages about a null or a list there.
struct Part {
    /// What it takes: "a share from 0 to 1, such as 0.2".
    takes: String,
    /// What leaving it out means (`None`: it cannot be left out here).
    left_out: Option<String>,
    /// Whether serde reads a null there as the field left out, as it does a distribution's
    /// optional fields: such a null is fine wherever leaving the field out is.
    null_is_left_out: bool,
}

/// Field `field` of the object of param `param`, which is `object`; `None` for a field it does
/// not have (serde names that as unknown).
fn part(param: &str, field: &str, object: &serde_json::Map<String, Value>) -> Option<Part> {
    let part = |takes: &str, left_out: Option<String>, null_is_left_out| Part {
        takes: takes.to_string(),
        left_out,
        null_is_left_out,
    };
    if param == "mix" {
        return ["read", "write", "static", "async"]
            .contains(&field)
            .then(|| {
                // A share left out of a given mix is 0.
                part(
                    "a share from 0 to 1, such as 0.2",
                    Some("a share of 0".into()),
                    false,
                )
            });
    }
    if param == "autoscale" {
        let d = params::Autoscale::default();
        let (takes, default) = match field {
            "min" => ("a whole number of instances, such as 2", f64::from(d.min)),
            "max" => ("a whole number of instances, such as 10", f64::from(d.max)),
            "target_utilization" => (
                "a share of busy time above 0, at most 1, such as 0.6",
                d.target_utilization,
            ),
            "target_depth" => (
                "a number of waiting messages per instance above 0, such as 10",
                d.target_depth,
            ),
            "cooldown_s" => ("a number of seconds above 0, such as 30", d.cooldown_s),
            "boot_s" => ("a number of seconds, such as 10", d.boot_s),
            _ => return None,
        };
        return Some(part(
            takes,
            Some(format!("the default, {}", shown(default))),
            false,
        ));
    }
    if !params::DISTRIBUTION_PARAMS.contains(&param) {
        return None;
    }
    // A distribution's optional fields are read as left out when null: a null `cv` is
    // lognormal's default, as in files that load today. Its mean and bounds are needed by the
    // distributions that use them, and have no default there.
    let uniform = object.get("dist").and_then(Value::as_str) == Some("uniform");
    let unused_when = |unused: bool| unused.then(|| "none".to_string());
    Some(match field {
        "dist" => part(r#""exp", "const", "lognormal" or "uniform""#, None, false),
        "mean" => part("the mean in ms, such as 12", unused_when(uniform), true),
        "cv" => part(
            "a number above 0, such as 0.5",
            Some("a cv of 1".into()),
            true,
        ),
        "min" => part("a number of ms, such as 5", unused_when(!uniform), true),
        "max" => part("a number of ms, such as 20", unused_when(!uniform), true),
        _ => return None,
    })
}

/// The fields the object of param `param` may have, for params that take an object of fixed
/// fields ([`part`] knows each of them).
fn fields_of(param: &str) -> Option<&'static [&'static str]> {
    match param {
        "mix" => Some(&["read", "write", "static", "async"]),
        "autoscale" => Some(&params::AUTOSCALE_KEYS),
        p if params::DISTRIBUTION_PARAMS.contains(&p) => {
            Some(&["dist", "mean", "cv", "min", "max"])
        }
        _ => None,
    }
}

/// The problems of the fields inside the object of param `k` of a node of `kind`, named by
/// their path (`mix.read`) with what to write: a null, which unlike a param's own null is not
/// its default (serde said "mix: must be a number, got null", naming neither the share nor
/// whether it may be left out), or a list, which no such field takes. Then what else is wrong
/// with the object, as for a param, less what those fields make (a `dist` missing because it
/// was null). `None` when no field inside is null or a list.
fn problems_inside(kind: Kind, k: &str, v: &Value) -> Option<Vec<(String, String)>> {
    let Value::Object(object) = v else {
        return None;
    };
    let mut problems = Vec::new();
    // The object without the fields named here.
    let mut rest = object.clone();
    for (field, x) in object {
        let Some(part) = part(k, field, object) else {
            // Named here, each of them: serde names only the first it meets (`maxx` of
            // `{"mn": 2, "maxx": 3}`, in the map's order), and `mn` was news after the fix.
            if let Some(fields) = fields_of(k) {
                // In serde's words, which name the first alone; on the param's own field,
                // where the app shows it.
                let expected: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                let message = format!(
                    "{k}: unknown field `{}`, expected one of {}",
                    truncate(field),
                    expected.join(", ")
                );
                problems.push((k.to_string(), message));
                rest.remove(field);
            }
            continue;
        };
        let path = format!("{k}.{field}");
        let message = match (x, &part.left_out) {
            (Value::Array(_), _) => format!("{path} is a list: give {}", part.takes),
            (Value::Null, Some(_)) if part.null_is_left_out => continue,
            (Value::Null, Some(default)) => format!(
                "{path} is null: leave it out for {default}, or give {}",
                part.takes
            ),
            (Value::Null, None) => {
                format!("{path} is null: give {} (it has no default)", part.takes)
            }
            _ => continue,
        };
        problems.push((path, message));
        rest.remove(field);
    }
    if problems.is_empty() {
        return None;
    }
    let mut rest = Value::Object(rest);
    whole_floats_as_integers(&mut rest);
    let one = serde_json::Map::from_iter([(k.to_string(), rest.clone())]);
    match params::parse(kind, &Value::Object(one)) {
        Err(e) => {
            let message = e.to_string();
            let named = object
                .keys()
                .filter(|field| rest.get(field.as_str()).is_none())
                .any(|field| message.starts_with(&format!("missing field `{field}`")));
            if !named {
                problems.push((k.to_string(), param_message(k, &rest, &e)));
            }
        }
        // The fields left are checked now too (`autoscale.min` of 0 beside an unknown field),
        // each on its own: not a rule of the whole object (a mix's sum), which the fields
        // named above would change.
        Ok(p) => {
            let inside = format!("{k}.");
            problems.extend(
                params::check_values(&p)
                    .into_iter()
                    .filter(|(field, _)| field.starts_with(&inside)),
            );
        }
    }
    Some(problems)
}

/// The message for a whole number too large for param `key` to hold at all (serde can only say
/// "too large"): the param's own limit, found by checking the largest value it can hold.
fn too_large(kind: Kind, key: &str, got: &Value) -> Option<String> {
    let x = got.as_f64().filter(|x| *x >= 0.0 && x.fract() == 0.0)?;
    let rule = [Value::from(u32::MAX), Value::from(u64::MAX)]
        .into_iter()
        .find_map(|most| stated_rule(kind, key, most))?;
    let got = got.as_u64().map_or_else(|| shown(x), |n| n.to_string());
    if let Some(rule) = rule {
        return Some(format!("{rule}, got {got}"));
    }
    // No limit of its own: an optional bound (`queue`), whose absence means none.
    let null = serde_json::Map::from_iter([(key.to_string(), Value::Null)]);
    let advice = if params::parse(kind, &Value::Object(null)).is_ok() {
        "leave it out for no limit"
    } else {
        "give a smaller number"
    };
    Some(format!("{key} is too large, got {got}: {advice}"))
}

/// The message for a count (`workers`) given a negative or fractional number: its own rule,
/// as `check_values` states it ("must be a whole number from 1 to 100000"), with what it got.
/// Alone, the parser's words contradicted that rule: -3 was told "a whole number >= 0", 0
/// then "from 1 to 100000", and 2.5 "got floating point 2.5".
fn not_whole(kind: Kind, key: &str, got: &Value) -> Option<String> {
    let x = got.as_f64().filter(|x| *x < 0.0 || x.fract() != 0.0)?;
    let rule = [
        Value::from(0u32),
        Value::from(u32::MAX),
        Value::from(u64::MAX),
    ]
    .into_iter()
    .find_map(|probe| stated_rule(kind, key, probe).flatten())?;
    Some(format!("{rule}, got {}", shown(x)))
}

/// What `check_values` says param `key` of a `kind` node must be ("workers must be a whole
/// number from 1 to 100000"), learnt by giving it `probe`: `None` when the probe does not
/// parse, `Some(None)` when it parses and breaks no rule.
fn stated_rule(kind: Kind, key: &str, probe: Value) -> Option<Option<String>> {
    let one = serde_json::Map::from_iter([(key.to_string(), probe)]);
    let held = params::parse(kind, &Value::Object(one)).ok()?;
    Some(
        params::check_values(&held)
            .into_iter()
            .find(|(field, _)| field == key)
            .and_then(|(_, m)| m.split_once(", got ").map(|(rule, _)| rule.to_string())),
    )
}

/// `8.0` as `8`: JSON has one kind of number, and a whole one written with a decimal point
/// (as some tools write every number) is a fine count of workers.
pub(super) fn whole_floats_as_integers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|_| n.is_f64()) {
                // Below 2^53 every whole f64 is exact as an integer.
                if x.fract() == 0.0 && x.abs() < 9.0e15 {
                    *v = if x < 0.0 {
                        Value::from(x as i64)
                    } else {
                        Value::from(x as u64)
                    };
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_floats_as_integers),
        _ => {}
    }
}

fn describe_serde(e: &serde_json::Error) -> String {
    let s = e.to_string();
    // serde_json appends " at line 0 column 0" for values; it means nothing to a user here.
    let s = s.split(" at line ").next().unwrap_or(&s);
    // Say in words what serde says in Rust types.
    let whole = s.ends_with("expected u32") || s.ends_with("expected u64");
    if let Some(got) = s.strip_prefix("invalid value: integer ") {
        let got = got
            .split(", expected")
            .next()
            .unwrap_or(got)
            .trim_matches('`');
        if whole && got.starts_with('-') {
            return format!("must be a whole number >= 0, got {got}");
        }
        if whole {
            return format!("is too large, got {got}");
        }
    }
    if let Some(got) = s.strip_prefix("invalid type: ") {
        let got = match got.split(", expected").next().unwrap_or(got) {
            "sequence" => "a list".to_string(),
            got => got.replace('`', ""),
        };
        let want = if whole {
            "a whole number"
        } else if s.ends_with("expected f64") {
            "a number"
        } else if s.ends_with("expected a boolean") {
            "true or false"
        } else if s.ends_with("expected string or map") || s.ends_with("expected a string") {
            "a name in quotes"
        } else if s.ends_with("expected struct Mix") {
            "an object of shares such as {\"read\": 0.9, \"write\": 0.1}"
        } else if s.ends_with("expected struct Autoscale") {
            "an object such as {\"min\": 1, \"max\": 10}, or null for none"
        } else {
            return in_words(s);
        };
        return format!("must be {want}, got {got}");
    }
    in_words(s)
}
