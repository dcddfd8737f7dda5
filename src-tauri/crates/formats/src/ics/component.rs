//! The BEGIN/END component tree, with each component's original text kept.
//!
//! Mismatched or missing END lines are problems, not failures: the component is closed where
//! the file makes it obvious and reading goes on.

use super::content::{parse_line, physical_lines, unfold_lines, ContentLine};
use super::Problem;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    /// Upper-cased, e.g. `VEVENT`.
    pub name: String,
    pub properties: Vec<ContentLine>,
    pub children: Vec<Component>,
    /// Line of the BEGIN.
    pub line: usize,
    /// The component exactly as written (physical lines, CRLF-joined), for lossless storage.
    /// Empty for a VCALENDAR (its text is the file).
    pub raw: String,
}

impl Component {
    pub fn property(&self, name: &str) -> Option<&ContentLine> {
        self.properties.iter().find(|p| p.name == name)
    }

    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a ContentLine> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }
}

struct Open {
    component: Component,
    first_physical: usize,
}

/// Reads every top-level component of `text` (normally one VCALENDAR).
pub fn parse_components(text: &str) -> (Vec<Component>, Vec<Problem>) {
    let physical = physical_lines(text);
    let logical = unfold_lines(&physical);
    let mut problems = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut roots = Vec::new();

    let raw_between = |first: usize, last: usize| -> String { physical[first - 1..last].join("\r\n") };
    // A VCALENDAR's own text is the whole file again: nothing uses it, so it is not copied.
    let raw_of = |c: &Component, first: usize, last: usize| -> String {
        if c.name == "VCALENDAR" {
            String::new()
        } else {
            raw_between(first, last)
        }
    };

    for (idx, (line_no, text)) in logical.iter().enumerate() {
        let last_physical = logical.get(idx + 1).map(|(n, _)| n - 1).unwrap_or(physical.len());
        let where_ = |stack: &[Open]| stack.last().map(|o| o.component.name.clone()).unwrap_or_else(|| "file".into());
        let line = match parse_line(*line_no, text) {
            Ok(l) => l,
            Err(message) => {
                problems.push(Problem { line: *line_no, component: where_(&stack), message });
                continue;
            }
        };
        match line.name.as_ref() {
            "BEGIN" => {
                let name = line.value.trim().to_ascii_uppercase();
                stack.push(Open {
                    component: Component {
                        name,
                        properties: vec![],
                        children: vec![],
                        line: *line_no,
                        raw: String::new(),
                    },
                    first_physical: *line_no,
                });
            }
            "END" => {
                let name = line.value.trim().to_ascii_uppercase();
                let Some(pos) = stack.iter().rposition(|o| o.component.name == name) else {
                    problems.push(Problem {
                        line: *line_no,
                        component: where_(&stack),
                        message: format!("END:{name} without a matching BEGIN"),
                    });
                    continue;
                };
                // Anything opened after the matching BEGIN was never closed: close it here.
                while stack.len() > pos + 1 {
                    let mut open = stack.pop().expect("checked length");
                    problems.push(Problem {
                        line: open.component.line,
                        component: open.component.name.clone(),
                        message: format!("BEGIN:{} is never closed", open.component.name),
                    });
                    open.component.raw = raw_of(&open.component, open.first_physical, last_physical);
                    attach(&mut stack, &mut roots, open.component);
                }
                let mut open = stack.pop().expect("position is in the stack");
                open.component.raw = raw_of(&open.component, open.first_physical, last_physical);
                attach(&mut stack, &mut roots, open.component);
            }
            _ => match stack.last_mut() {
                Some(open) => open.component.properties.push(line),
                None => problems.push(Problem {
                    line: *line_no,
                    component: "file".into(),
                    message: format!("{} outside any component", line.name),
                }),
            },
        }
    }
    while let Some(mut open) = stack.pop() {
        problems.push(Problem {
            line: open.component.line,
            component: open.component.name.clone(),
            message: format!("BEGIN:{} is never closed", open.component.name),
        });
        open.component.raw = raw_of(&open.component, open.first_physical, physical.len());
        attach(&mut stack, &mut roots, open.component);
    }
    (roots, problems)
}

fn attach(stack: &mut [Open], roots: &mut Vec<Component>, c: Component) {
    match stack.last_mut() {
        Some(parent) => parent.component.children.push(c),
        None => roots.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_nest_and_keep_their_original_text() {
        let text =
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Long\r\n  title\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let (roots, problems) = parse_components(text);
        assert!(problems.is_empty(), "{problems:?}");
        let ev = &roots[0].children[0];
        assert_eq!(ev.name, "VEVENT");
        assert_eq!(ev.line, 2);
        assert_eq!(ev.raw, "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Long\r\n  title\r\nEND:VEVENT");
        assert_eq!(ev.property("SUMMARY").unwrap().value, "Long title");
    }

    #[test]
    fn an_unclosed_component_is_reported_at_its_begin_line_and_the_rest_is_read() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nBEGIN:VEVENT\nUID:b\nEND:VEVENT\nEND:VCALENDAR\n";
        let (roots, problems) = parse_components(text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 2);
        // Both events survive: the unclosed one is closed at the calendar's end.
        let uids: Vec<&str> = roots[0]
            .children
            .iter()
            .flat_map(|c| std::iter::once(c).chain(c.children.iter()))
            .filter_map(|c| c.property("UID").map(|p| p.value.as_str()))
            .collect();
        assert_eq!(uids.len(), 2);
    }

    #[test]
    fn a_garbage_line_is_a_problem_with_its_line_number() {
        let (_, problems) = parse_components("BEGIN:VCALENDAR\n;;;\nEND:VCALENDAR\n");
        assert_eq!(problems[0].line, 2);
        assert_eq!(problems[0].component, "VCALENDAR");
    }
}
