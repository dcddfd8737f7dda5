//! The briefing as a PDF, for printing and for the executive's tablet: A4, the same calm type
//! as the HTML (DejaVu Serif to read, DejaVu Sans for times and labels), fonts embedded and
//! subset by krilla so it looks the same everywhere and its text can be searched. Lines are
//! wrapped here, measured with the font's own advances (skrifa): krilla draws text, it does
//! not lay it out.

use std::sync::{Arc, LazyLock};

use krilla::color::rgb;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use tandem_core::briefing::{Briefing, BriefingMeeting, SectionBody};

static SERIF: &[u8] = include_bytes!("../fonts/DejaVuSerif.ttf");
static SERIF_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSerif-Bold.ttf");
static SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// A4 in points, and the margins.
const PAGE: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;
/// Where a meeting's title and details start (the time sits left of it).
const INDENT: f32 = 136.0;
/// A list line's text starts this far right of its bullet, and so do its wrapped lines.
const BULLET: f32 = 11.0;

#[derive(Clone, Copy)]
enum Face {
    Serif,
    SerifBold,
    Sans,
}

impl Face {
    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Serif => SERIF,
            Face::SerifBold => SERIF_BOLD,
            Face::Sans => SANS,
        }
    }

    fn font(self) -> Font {
        static FONTS: LazyLock<[Font; 3]> = LazyLock::new(|| {
            [SERIF, SERIF_BOLD, SANS].map(|b| Font::new(Arc::new(b.to_vec()).into(), 0).expect("a bundled font loads"))
        });
        FONTS[self as usize].clone()
    }

    /// The width of `text` at `size` points.
    fn width(self, text: &str, size: f32) -> f32 {
        let font = FontRef::new(self.bytes()).expect("a bundled font parses");
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars().map(|c| charmap.map(c).and_then(|g| metrics.advance_width(g)).unwrap_or(size * 0.5)).sum()
    }
}

/// One piece of text placed on a page: x, baseline y, face, size, text, colour.
type Run = (f32, f32, Face, f32, String, Rgb);

/// Writes pages top to bottom, starting a new page when the next line does not fit.
struct Pages {
    document: Document,
    lines: Vec<Vec<Run>>,
    y: f32,
}

/// Colours as RGB (krilla's colour constructor is not `const`).
type Rgb = (u8, u8, u8);
const INK: Rgb = (31, 35, 40);
const MUTED: Rgb = (107, 100, 89);
const TIME: Rgb = (61, 90, 128);
const ALERT: Rgb = (164, 38, 44);

impl Pages {
    fn new() -> Self {
        Pages { document: Document::new(), lines: vec![Vec::new()], y: MARGIN }
    }

    fn room(&mut self, height: f32) {
        if self.y + height > PAGE.1 - MARGIN {
            self.lines.push(Vec::new());
            self.y = MARGIN;
        }
    }

    /// Text at `x`, wrapped to the right margin, advancing the cursor.
    fn text(&mut self, x: f32, face: Face, size: f32, color: Rgb, text: &str) {
        let leading = size * 1.45;
        for line in wrap(text, face, size, PAGE.0 - MARGIN - x) {
            self.room(leading);
            self.y += leading;
            self.lines.last_mut().expect("a page").push((x, self.y, face, size, line, color));
        }
    }

    /// Text at `x` on the line the next `text` call writes (a meeting's time beside its title).
    fn beside(&mut self, x: f32, face: Face, size: f32, color: Rgb, text: &str, next_size: f32) {
        self.room(next_size * 1.45);
        let y = self.y + next_size * 1.45;
        self.lines.last_mut().expect("a page").push((x, y, face, size, text.to_string(), color));
    }

    fn gap(&mut self, points: f32) {
        self.y += points;
    }

    fn finish(mut self) -> Vec<u8> {
        for page_lines in std::mem::take(&mut self.lines) {
            let mut page = self.document.start_page_with(PageSettings::from_wh(PAGE.0, PAGE.1).expect("A4 is a size"));
            let mut surface = page.surface();
            for (x, y, face, size, text, color) in page_lines {
                surface.set_fill(Some(Fill {
                    paint: rgb::Color::new(color.0, color.1, color.2).into(),
                    ..Default::default()
                }));
                surface.draw_text(Point::from_xy(x, y), face.font(), size, &text, false, TextDirection::Auto);
            }
            surface.finish();
            page.finish();
        }
        self.document.finish().expect("the briefing is a valid PDF")
    }
}

/// Breaks `text` into lines no wider than `width`, at spaces (a word longer than a line stands
/// alone).
fn wrap(text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && face.width(&candidate, size) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The briefing as PDF bytes.
pub fn briefing_pdf(b: &Briefing) -> Vec<u8> {
    let mut p = Pages::new();
    let header = b.header();
    p.text(MARGIN, Face::Serif, 22.0, INK, &header.title);
    p.text(MARGIN, Face::Serif, 13.0, INK, &header.day);
    for n in &header.notes {
        p.text(MARGIN, Face::Sans, 9.0, MUTED, n);
    }
    for s in b.sections() {
        heading(&mut p, &s.title);
        if let Some(e) = s.empty() {
            p.text(MARGIN, Face::Serif, 10.5, MUTED, e);
        }
        match s.body {
            SectionBody::Meetings(ms) => ms.iter().for_each(|m| meeting(&mut p, m)),
            SectionBody::Glance(ms) => {
                for m in ms {
                    p.beside(MARGIN, Face::Sans, 9.5, TIME, &m.when(), 10.5);
                    p.text(INDENT, Face::Serif, 10.5, INK, &m.title);
                }
            }
            SectionBody::Lines(lines) => {
                for l in lines {
                    p.beside(MARGIN, Face::Serif, 10.5, INK, "•", 10.5);
                    p.text(MARGIN + BULLET, Face::Serif, 10.5, INK, l);
                }
            }
        }
    }
    p.gap(18.0);
    p.text(MARGIN, Face::Sans, 8.0, MUTED, &b.prepared());
    p.finish()
}

fn heading(p: &mut Pages, title: &str) {
    p.gap(14.0);
    p.room(40.0);
    p.text(MARGIN, Face::Sans, 8.5, MUTED, &title.to_uppercase());
    p.gap(4.0);
}

fn meeting(p: &mut Pages, m: &BriefingMeeting) {
    p.gap(4.0);
    p.room(60.0);
    if let Some(t) = &m.travel_before {
        p.text(INDENT, Face::Sans, 8.5, MUTED, &format!("Travel: {t}"));
    }
    p.beside(MARGIN, Face::Sans, 9.5, TIME, &m.when(), 11.0);
    p.text(INDENT, Face::SerifBold, 11.0, INK, &m.title);
    for (label, text) in m.details() {
        p.text(INDENT, Face::Serif, 9.5, INK, &format!("{label}: {text}"));
    }
    if !m.conflicts_with.is_empty() {
        p.text(INDENT, Face::Sans, 9.0, ALERT, &format!("Conflicts with {}", m.conflicts_with.join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_width_and_a_long_word_stands_alone() {
        let lines = wrap("the quick brown fox jumps over the lazy dog again and again", Face::Serif, 10.0, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| Face::Serif.width(l, 10.0) <= 120.0 || !l.contains(' ')));
        assert_eq!(wrap("", Face::Sans, 10.0, 100.0), [""]);
        assert_eq!(wrap("Supercalifragilisticexpialidocious", Face::Sans, 10.0, 20.0).len(), 1);
    }

    #[test]
    fn the_pdf_embeds_its_fonts_and_runs_onto_more_pages_when_the_day_is_long() {
        let b = Briefing {
            executive: "Dana Okafor".into(),
            date: "2026-11-24".parse().unwrap(),
            edition: Default::default(),
            zone: chrono_tz::America::New_York,
            other_zone: None,
            zone_reason: None,
            stay: None,
            this_evening: vec![],
            changes_since: None,
            generated_at: "2026-11-24T11:00:00Z".parse().unwrap(),
            meetings: (0..30)
                .map(|i| BriefingMeeting {
                    start: format!("{:02}:00", 8 + i % 10),
                    end: format!("{:02}:30", 8 + i % 10),
                    title: format!("Meeting {i}"),
                    place: Some("Board room, 41st floor".into()),
                    ..Default::default()
                })
                .collect(),
            decisions: vec!["Q4 board pack (final) (from Eleanor Vance)".into()],
            flagged: vec![],
            changes: vec![],
            conflicts: vec![],
            proposals: vec![],
            tomorrow: vec![],
        };
        let pdf = briefing_pdf(&b);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2"), "the fonts are embedded");
        assert!(text.contains("/ToUnicode"), "its text can be extracted");
        assert!(
            text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count() >= 2
                || text.contains("/Count 2")
                || text.contains("/Count 3"),
            "a long day runs onto more pages"
        );
    }
}
