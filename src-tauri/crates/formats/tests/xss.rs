//! The XSS corpus (tests/xss/vectors.txt) through the sanitiser: nothing that could run or load
//! survives. The same corpus is opened in the real webview by the end-to-end test, which
//! checks that nothing ran and nothing was fetched there either.

use tandem_formats::html::{sanitise, HtmlPolicy};

const VECTORS: &str = include_str!("xss/vectors.txt");
const URL: &str = "http://127.0.0.1:9/x";

fn vectors() -> Vec<String> {
    VECTORS.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(|l| l.replace("{URL}", URL)).collect()
}

/// Whether `needle` occurs inside a tag (between a `<` and its `>`) of `html`.
fn in_a_tag(html: &str, needle: &str) -> bool {
    html.match_indices(needle).any(|(i, _)| {
        let before = &html[..i];
        before.rfind('<').is_some_and(|lt| before.rfind('>').is_none_or(|gt| lt > gt))
    })
}

/// Whether a tag of `html` has an attribute whose name starts with `prefix` (" on" for any
/// event handler): the prefix inside a tag, followed by name characters and `=`.
fn has_attribute(html: &str, prefix: &str) -> bool {
    html.match_indices(prefix).any(|(i, _)| {
        let rest = &html[i + prefix.len()..];
        let name_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '-')).unwrap_or(rest.len());
        in_a_tag(&html[..i + 1], " ") && rest[name_end..].starts_with('=')
    })
}

#[test]
fn no_vector_of_the_corpus_survives_sanitising() {
    // The checks themselves can see what they look for.
    assert!(has_attribute("<img src=x onerror=y>", " on") && !has_attribute("<p>hover on me</p>", " on"));
    assert!(in_a_tag("<a href=\"javascript:x\">", "javascript") && !in_a_tag("<p>javascript</p>", "javascript"));
    let all = vectors();
    assert!(all.len() >= 40, "{} vectors", all.len());
    let mut blocked = 0;
    for v in &all {
        let safe = sanitise(v, &HtmlPolicy::default());
        let out = safe.html.to_ascii_lowercase();
        blocked += safe.blocked_remote;
        // Inert text may still mention them ("ipt>fetch(...)" left of a broken tag); what must
        // not survive is a reference inside a tag.
        assert!(!in_a_tag(&out, "127.0.0.1"), "a reference to the listener survived {v}: {out}");
        assert!(!in_a_tag(&out, "javascript"), "javascript survived {v}: {out}");
        assert!(!out.contains("<script") && !out.contains("<iframe") && !out.contains("<object"), "{v}: {out}");
        assert!(
            !out.contains("<style") && !out.contains("<meta") && !out.contains("<base") && !out.contains("<form"),
            "{v}: {out}"
        );
        for attr in [" on", " formaction", " srcset", " dynsrc", " lowsrc", " xlink:href"] {
            assert!(!has_attribute(&out, attr), "attribute {attr:?} survived {v}: {out}");
        }
    }
    assert!(blocked >= 5, "remote loads are counted for the bar: {blocked}");
}

#[test]
fn the_whole_corpus_as_one_document_is_contained_by_its_policy() {
    let html = vectors().join("\n");
    let safe = sanitise(&html, &HtmlPolicy::default());
    let doc = safe.document();
    assert!(doc.contains("default-src 'none'") && doc.contains("img-src data:;"));
    assert!(!in_a_tag(&doc.to_ascii_lowercase(), "127.0.0.1"));
}
