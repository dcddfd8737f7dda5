//! HTML mail made safe to show.
//!
//! Two layers, because either alone has failed in real mail clients:
//! 1. **Sanitising** with ammonia (an allow-list over html5ever's parse, the same algorithm as
//!    the browser's): scripts, event handlers, forms, frames, `<style>` and `javascript:` URLs
//!    are gone, and every remote reference (images, `background`, CSS `url(...)`) is dropped
//!    unless the EP allowed remote content for the sender. Images the message carries itself
//!    (`cid:`) become `data:` URLs.
//! 2. **Containing** the result: [`SafeHtml::document`] wraps it with a Content-Security-Policy
//!    that allows no script and no remote load (unless allowed), for a sandboxed iframe
//!    (no `allow-scripts`) in the UI. If the sanitiser ever missed something, the frame still
//!    runs nothing and fetches nothing.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// What may be shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlPolicy {
    /// Remote images and styles load (the EP allowed them for this sender).
    pub remote_allowed: bool,
    /// The message's own parts by Content-ID (without brackets), as `data:` URLs.
    pub inline: HashMap<String, String>,
}

/// Sanitised HTML and what was held back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafeHtml {
    /// A fragment: no scripts, no handlers, no remote loads unless allowed.
    pub html: String,
    /// Remote references dropped (images, backgrounds, CSS urls): the "load remote content"
    /// bar shows when this is not zero.
    pub blocked_remote: usize,
    pub remote_allowed: bool,
}

impl SafeHtml {
    /// A whole document for an iframe's `srcdoc`, under a CSP that allows no script, no
    /// frame, no form and no remote load (images over https only when remote content is
    /// allowed), with a base style so that plain HTML reads like the app.
    pub fn document(&self) -> String {
        let img = if self.remote_allowed { "data: https: http:" } else { "data:" };
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src {img}; style-src 'unsafe-inline'; font-src data:; form-action 'none'; frame-src 'none'; base-uri 'none'\">\
<style>body{{margin:8px;font:13px/1.45 system-ui,sans-serif;color:#1d1d1f;background:#fff;overflow-wrap:anywhere}}img{{max-width:100%;height:auto}}</style>\
</head><body>{}</body></html>",
            self.html
        )
    }
}

/// Sanitises an HTML body under `policy`.
pub fn sanitise(html: &str, policy: &HtmlPolicy) -> SafeHtml {
    let blocked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&blocked);
    let remote_allowed = policy.remote_allowed;
    let inline = policy.inline.clone();
    let mut builder = ammonia::Builder::default();
    builder
        // Layout attributes real newsletters use; `style` is kept (CSS cannot run script in
        // the engine, and the CSP blocks its remote loads) but `<style>` elements are not:
        // ammonia 4.2.5 panics on them with CSS filtering (DESIGN.md).
        .add_generic_attributes(["style", "align", "valign", "bgcolor", "width", "height", "border", "color"])
        .add_tag_attributes("table", ["cellpadding", "cellspacing", "background"])
        .add_tag_attributes("td", ["background", "colspan", "rowspan", "nowrap"])
        .add_tag_attributes("font", ["face", "size"])
        .add_tags(["font", "center"])
        .add_url_schemes(["cid", "data"])
        .link_rel(Some("noopener noreferrer"))
        // A mail has no base to resolve a relative URL against; one can only be a trick.
        .url_relative(ammonia::UrlRelative::Deny)
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            let lower = value.trim().to_ascii_lowercase();
            let remote = lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//");
            match (element, attribute) {
                (_, "src") | (_, "background") => {
                    if lower.starts_with("cid:") {
                        let key = value.trim()[4..].trim_matches(['<', '>']);
                        return inline.get(key).map(|uri| Cow::Owned(uri.clone()));
                    }
                    if lower.starts_with("data:") {
                        // Only raster images may be data: (never data:text/html; not SVG, which
                        // carries markup and handlers even if an <img> would not run them).
                        let raster = lower.starts_with("data:image/") && !lower.starts_with("data:image/svg");
                        return raster.then_some(Cow::Borrowed(value));
                    }
                    if remote && !remote_allowed {
                        counter.fetch_add(1, Ordering::Relaxed);
                        return None;
                    }
                    Some(Cow::Borrowed(value))
                }
                (_, "href") => {
                    // A link goes to the web or to mail; never to data: or cid:.
                    (!lower.starts_with("data:") && !lower.starts_with("cid:")).then_some(Cow::Borrowed(value))
                }
                (_, "style") if !remote_allowed && (lower.contains("url(") || lower.contains("@import")) => {
                    counter.fetch_add(1, Ordering::Relaxed);
                    None
                }
                (_, "style") if lower.contains("expression(") || lower.contains("javascript:") => None,
                _ => Some(Cow::Borrowed(value)),
            }
        });
    let html = builder.clean(html).to_string();
    SafeHtml { html, blocked_remote: blocked.load(Ordering::Relaxed), remote_allowed }
}

/// A `data:` URL for inline content.
pub fn data_url(content_type: &str, bytes: &[u8]) -> String {
    use base64::Engine;
    format!("data:{content_type};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> SafeHtml {
        sanitise(html, &HtmlPolicy::default())
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let s = clean(
            "<p onclick=\"alert(1)\">Hi<script>alert(2)</script></p><a href=\"javascript:alert(3)\">x</a>\
<img src=x onerror=alert(4)><svg onload=alert(5)></svg><iframe src=\"https://evil.example\"></iframe>\
<form action=\"https://evil.example\"><input name=p></form><style>body{}</style>",
        );
        for bad in
            ["script", "onclick", "onerror", "onload", "javascript", "iframe", "form", "<input", "<style", "alert(2)"]
        {
            assert!(!s.html.to_ascii_lowercase().contains(bad), "{bad} survived: {}", s.html);
        }
        assert!(s.html.contains("<p>Hi</p>"));
    }

    #[test]
    fn remote_images_and_css_urls_are_blocked_and_counted_until_allowed() {
        let html = "<img src=\"https://t.example/p.gif\"><table><tr><td background=\"http://x.example/bg.png\">a</td></tr></table>\
<div style=\"background:url(https://x.example/a.png)\">b</div><img src=\"//cdn.example/c.png\">";
        let s = clean(html);
        // The scheme-relative `//cdn...` is dropped as a relative URL (mail has no base).
        assert_eq!(s.blocked_remote, 3, "{}", s.html);
        assert!(!s.html.contains("example/"), "{}", s.html);
        let allowed = sanitise(html, &HtmlPolicy { remote_allowed: true, ..Default::default() });
        assert_eq!(allowed.blocked_remote, 0);
        assert!(allowed.html.contains("https://t.example/p.gif"));
        assert!(allowed.document().contains("img-src data: https: http:"));
        assert!(s.document().contains("img-src data:;"));
    }

    #[test]
    fn inline_images_become_data_urls_and_data_links_are_dropped() {
        let mut inline = HashMap::new();
        inline.insert("logo@x".to_string(), data_url("image/png", b"png"));
        let s = sanitise(
            "<img src=\"cid:logo@x\"><img src=\"cid:missing\"><a href=\"data:text/html,<script>alert(1)</script>\">x</a>\
<img src=\"data:text/html;base64,PHNjcmlwdD4=\">",
            &HtmlPolicy { remote_allowed: false, inline },
        );
        assert!(s.html.contains("src=\"data:image/png;base64,cG5n\""), "{}", s.html);
        assert_eq!(s.html.matches("<img").count(), 3);
        assert!(!s.html.contains("data:text"), "{}", s.html);
        assert_eq!(s.blocked_remote, 0);
    }

    #[test]
    fn links_open_nothing_of_ours() {
        let s = clean("<a href=\"https://robotics.example/read\" target=\"_top\">Read</a>");
        assert!(s.html.contains("rel=\"noopener noreferrer\""));
        assert!(s.html.contains("https://robotics.example/read"));
    }

    #[test]
    fn the_document_forbids_scripts_and_remote_loads() {
        let d = clean("<p>x</p>").document();
        assert!(d.contains("default-src 'none'"));
        assert!(!d.contains("script-src"), "no script source is allowed at all");
    }
}
