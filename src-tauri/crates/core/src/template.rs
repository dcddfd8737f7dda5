//! Mail templates: the EP's stock replies, forwards and delegation notes, with variables the
//! message and the people fill in (`{sender.first}`, `{executive.name}`, `{note}`...).
//!
//! A templates document is TOML, `[[template]]` tables like the rules documents, and is
//! checked when saved: a variable that does not exist is refused, naming the template and the
//! field, so a typo never reaches a recipient as "{sendr.first}". `{{` and `}}` write a brace.
//!
//! The substitution is written here rather than taken from a template engine: the syntax is
//! one token, there are no loops or conditions to support, and what matters is the error that
//! names the template and the unknown variable (engines report a position in a string).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::rules::{rule_tables, RulesError};

/// Every variable a template may use, with what it stands for.
pub const VARIABLES: &[(&str, &str)] = &[
    ("sender.name", "who wrote the message (their name, else their address)"),
    ("sender.first", "their first name"),
    ("sender.address", "their address"),
    ("executive.name", "the executive's name"),
    ("executive.first", "the executive's first name"),
    ("ep.name", "the EP's name"),
    ("ep.first", "the EP's first name"),
    ("subject", "the message's subject, without Re:/Fwd:"),
    ("date", "when the message was sent, on the executive's clock"),
    ("delegate.name", "whom a delegation goes to"),
    ("delegate.first", "their first name"),
    ("note", "the EP's note, typed when using the template"),
];

/// What a template is for: it is offered for that action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateUse {
    #[default]
    Reply,
    Forward,
    Delegate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    #[serde(default, rename = "for")]
    pub used_for: TemplateUse,
    /// The subject, when the template sets one (else "Re: …" / "Fwd: …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub body: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Templates {
    #[serde(default, rename = "template")]
    pub templates: Vec<Template>,
}

/// The templates a new executive starts with (the EP edits them in Settings).
pub const DEFAULT_TEMPLATES: &str = r#"# Stock replies. Variables: {sender.first}, {sender.name}, {executive.first},
# {executive.name}, {ep.first}, {ep.name}, {subject}, {date}, {delegate.first}, {note}.

[[template]]
name = "Acknowledge"
body = """
Hi {sender.first},

Thank you: {executive.first} has your note and will come back to you. {note}

Best regards,
{ep.name}
on behalf of {executive.name}
"""

[[template]]
name = "Schedule a meeting"
body = """
Hi {sender.first},

I look after {executive.first}'s diary. I will find a time that works and send you an invitation. {note}

Best regards,
{ep.name}
"""

[[template]]
name = "Decline politely"
body = """
Hi {sender.first},

Thank you for thinking of {executive.first}. Unfortunately {executive.first} is not able to take this on at the moment. {note}

With best wishes,
{ep.name}
on behalf of {executive.name}
"""

[[template]]
name = "For your information"
for = "forward"
body = """
{note}

{ep.name}
"""

[[template]]
name = "Delegate"
for = "delegate"
body = """
Hi {delegate.first},

{executive.first} would like you to take this one. {note}

Could you reply to {sender.name} directly and copy me, so I can close it on our side?

Thanks,
{ep.name}
"""
"#;

impl Templates {
    /// Reads and checks a templates document.
    pub fn from_toml(text: &str) -> Result<Self, RulesError> {
        let templates: Vec<Template> = rule_tables(text, "template")?;
        let mut seen = std::collections::HashSet::new();
        for (i, t) in templates.iter().enumerate() {
            let invalid = |field: &str, reason: String| RulesError::Invalid {
                index: i + 1,
                name: Some(t.name.clone()),
                field: field.into(),
                reason,
            };
            if t.name.trim().is_empty() {
                return Err(invalid("name", "must not be empty".into()));
            }
            if !seen.insert(t.name.to_lowercase()) {
                return Err(invalid("name", "another template has this name".into()));
            }
            check(&t.body).map_err(|e| invalid("body", e))?;
            if let Some(s) = &t.subject {
                check(s).map_err(|e| invalid("subject", e))?;
            }
        }
        Ok(Templates { templates })
    }

    pub fn defaults() -> Self {
        Self::from_toml(DEFAULT_TEMPLATES).expect("the default templates are valid")
    }

    pub fn named(&self, name: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.name.eq_ignore_ascii_case(name.trim()))
    }
}

/// One piece of a template: text, or a variable.
enum Piece<'a> {
    Text(&'a str),
    Brace(char),
    Var(&'a str),
}

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push(Piece::Text(&rest[..i]));
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push(Piece::Brace(tail.as_bytes()[0] as char));
            rest = &tail[2..];
        } else if tail.starts_with('}') {
            return Err("a lone '}' (write '}}' for a brace)".into());
        } else {
            let end = tail.find('}').ok_or("a '{' is never closed (write '{{' for a brace)")?;
            out.push(Piece::Var(tail[1..end].trim()));
            rest = &tail[end + 1..];
        }
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// Checks that `text` uses only known variables.
pub fn check(text: &str) -> Result<(), String> {
    for p in pieces(text)? {
        if let Piece::Var(v) = p {
            if !VARIABLES.iter().any(|(k, _)| *k == v) {
                let known: Vec<&str> = VARIABLES.iter().map(|(k, _)| *k).collect();
                return Err(format!("unknown variable {{{v}}}; the variables are {}", known.join(", ")));
            }
        }
    }
    Ok(())
}

/// Fills in `text`. A variable with no value (no delegate, no note) becomes empty, and the
/// blank it leaves at a line's end is trimmed.
pub fn render(text: &str, values: &BTreeMap<&str, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 64);
    for p in pieces(text)? {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Brace(c) => out.push(c),
            Piece::Var(v) => {
                if !VARIABLES.iter().any(|(k, _)| *k == v) {
                    return Err(format!("unknown variable {{{v}}}"));
                }
                out.push_str(values.get(v).map(String::as_str).unwrap_or_default());
            }
        }
    }
    let lines: Vec<&str> = out.trim_matches('\n').lines().map(str::trim_end).collect();
    Ok(lines.join("\n") + "\n")
}

/// The first name in a display name ("Eleanor Vance" → "Eleanor"; "Vance, Eleanor" → "Eleanor").
pub fn first_name(name: &str) -> String {
    let name = name.trim();
    match name.split_once(',') {
        Some((_, first)) => first.split_whitespace().next().unwrap_or(name).to_string(),
        None => name.split_whitespace().next().unwrap_or(name).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> BTreeMap<&'static str, String> {
        BTreeMap::from([("sender.first", "Eleanor".to_string()), ("executive.first", "Dana".to_string())])
    }

    #[test]
    fn variables_are_filled_in_and_a_missing_value_leaves_no_trailing_blank() {
        let out = render("Hi {sender.first},\n\n{executive.first} agrees. {note}\n", &values()).unwrap();
        assert_eq!(out, "Hi Eleanor,\n\nDana agrees.\n");
    }

    #[test]
    fn doubled_braces_write_a_brace_and_an_unknown_variable_is_named() {
        assert_eq!(render("{{x}} {sender.first}", &values()).unwrap(), "{x} Eleanor\n");
        let err = check("Hi {sendr.first}").unwrap_err();
        assert!(err.starts_with("unknown variable {sendr.first}"), "{err}");
        assert!(check("an { open").is_err() && check("a } lone").is_err());
    }

    #[test]
    fn a_templates_document_names_the_template_and_field_that_is_wrong() {
        let err = Templates::from_toml("[[template]]\nname = \"Thanks\"\nbody = \"Hi {who}\"\n").unwrap_err();
        assert_eq!(err.to_string().split(';').next().unwrap(), "rule 1 'Thanks': `body`: unknown variable {who}");
        let twice = "[[template]]\nname = \"A\"\nbody = \"x\"\n[[template]]\nname = \"a\"\nbody = \"y\"\n";
        assert!(Templates::from_toml(twice).unwrap_err().to_string().contains("another template has this name"));
        let unknown = "[[template]]\nname = \"A\"\nbody = \"x\"\ncolour = \"red\"\n";
        assert!(Templates::from_toml(unknown).unwrap_err().to_string().contains("colour"));
    }

    #[test]
    fn the_default_templates_are_valid_and_cover_reply_forward_and_delegate() {
        let t = Templates::defaults();
        for used in [TemplateUse::Reply, TemplateUse::Forward, TemplateUse::Delegate] {
            assert!(t.templates.iter().any(|x| x.used_for == used), "{used:?}");
        }
    }

    #[test]
    fn a_first_name_is_read_from_either_order() {
        assert_eq!(first_name("Eleanor Vance"), "Eleanor");
        assert_eq!(first_name("Vance, Eleanor"), "Eleanor");
        assert_eq!(first_name("eleanor@x.example"), "eleanor@x.example");
    }
}
