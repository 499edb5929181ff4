//! The Worker's rate-limiting bindings in wrangler.toml are the service's rules: one binding per
//! [`LimitRule`], named by [`LimitRule::binding`], whose period is the rule's `Retry-After`, in the
//! development configuration and in production's.

use pwreset_service::ports::LimitRule;

/// The `[[ratelimits]]` (or `[[env.production.ratelimits]]`) tables: each binding's name and
/// period, read line by line (the file is written with one key per line).
fn ratelimits(toml: &str, header: &str) -> Vec<(String, u64)> {
    let mut found = Vec::new();
    let mut in_table = false;
    let mut name = None;
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == header;
            continue;
        }
        if !in_table {
            continue;
        }
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_owned());
        }
        if let Some(limits) = line.strip_prefix("simple = ") {
            let period = limits
                .split("period = ")
                .nth(1)
                .and_then(|rest| rest.trim_end_matches([' ', '}']).parse().ok())
                .expect("a period");
            found.push((name.take().expect("name before simple"), period));
        }
    }
    found
}

#[test]
fn every_limit_rule_has_its_binding_with_its_period_in_each_environment() {
    let toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../wrangler.toml"))
        .unwrap();
    for header in ["[[ratelimits]]", "[[env.production.ratelimits]]"] {
        let mut bindings = ratelimits(&toml, header);
        bindings.sort();
        let mut expected: Vec<(String, u64)> = LimitRule::ALL
            .iter()
            .map(|rule| (rule.binding().to_owned(), rule.period_seconds()))
            .collect();
        expected.sort();
        assert_eq!(bindings, expected, "{header}");
    }
}
