//! HTML: a [`Document`] of sections, written as one self-contained page
//! (`report.html`): charts are embedded as base64 data URIs and the style
//! sheet is inline, so the file opens offline with nothing missing. The page
//! has no scripts. A print style sheet keeps each chart with its caption on
//! one page.

use super::Exporter;
use anyhow::Result;
use base64::Engine as _;

/// A page: a title, a line under it, and its sections in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
}

/// One numbered section of the page, listed in its table of contents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// The anchor (`answer`, `assumptions`), unique in the page.
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Section {
        Section {
            id: id.into(),
            title: title.into(),
            blocks: Vec::new(),
        }
    }
    pub fn heading(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading(text.into()));
    }
    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }
    pub fn table(&mut self, t: HtmlTable) {
        self.blocks.push(Block::Table(t));
    }
    pub fn figure(&mut self, f: Figure) {
        self.blocks.push(Block::Figure(f));
    }
}

/// One block of a section. All text is plain and escaped when written.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A sub-heading inside the section.
    Heading(String),
    Paragraph(String),
    /// A paragraph in a box: the answer a reader should not miss.
    Callout(String),
    /// Items of a bulleted list.
    List(Vec<String>),
    Table(HtmlTable),
    Figure(Figure),
}

/// A table of text cells; `numeric` columns are right-aligned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlTable {
    pub caption: Option<String>,
    pub header: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
    /// Per row, a CSS class (`miss`, `met`) or empty.
    pub row_class: Vec<String>,
}

impl HtmlTable {
    pub fn new(header: &[(&str, bool)]) -> HtmlTable {
        HtmlTable {
            header: header.iter().map(|(h, _)| h.to_string()).collect(),
            numeric: header.iter().map(|(_, n)| *n).collect(),
            ..HtmlTable::default()
        }
    }
    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.header.len(), "row width");
        self.rows.push(row);
        self.row_class.push(String::new());
    }
    pub fn push_class(&mut self, row: Vec<String>, class: &str) {
        self.push(row);
        if let Some(c) = self.row_class.last_mut() {
            *c = class.to_string();
        }
    }
}

/// A PNG chart with its caption: what to see in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub png: Vec<u8>,
    /// Alternative text: what the chart is.
    pub alt: String,
    pub caption: String,
}

/// Writes a [`Document`] as one HTML5 page.
pub struct Html;

impl Exporter for Html {
    type Input = Document;
    const EXTENSION: &'static str = "html";

    fn serialize(&self, doc: &Document) -> Result<Vec<u8>> {
        Ok(page(doc).into_bytes())
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The PNG as a `data:` URI.
pub fn data_uri(png: &[u8]) -> String {
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

const STYLE: &str = r#"
:root { --ink: #1d2430; --muted: #5b6472; --rule: #d5d9e0; --accent: #1f5f9e; --miss: #a3261b; --met: #2d6a2f; }
* { box-sizing: border-box; }
body { font: 16px/1.5 "Noto Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0; background: #f4f5f7; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 1.9em; line-height: 1.2; margin: 0.3em 0 0.2em; }
.subtitle { color: var(--muted); margin: 0 0 1.2em; }
h2 { font-size: 1.45em; border-bottom: 2px solid var(--accent); padding-bottom: 0.15em; margin: 1.8em 0 0.6em; }
h3 { font-size: 1.15em; margin: 1.4em 0 0.4em; }
p { margin: 0.5em 0 0.8em; }
nav ol { columns: 2; margin: 0.4em 0 1em; padding-left: 1.4em; }
nav a, a { color: var(--accent); }
.callout { border-left: 4px solid var(--accent); background: #eef3f9; padding: 0.6em 1em; margin: 0.8em 0; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.9em; width: 100%; }
caption { text-align: left; color: var(--muted); padding-bottom: 0.3em; caption-side: top; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3em 0.6em; vertical-align: top; text-align: left; }
th { background: #f0f2f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.miss td { color: var(--miss); }
tr.met td { color: var(--met); }
td.status-sourced { color: var(--met); font-weight: 600; }
td.status-fitted { color: var(--accent); font-weight: 600; }
td.status-assumed, td.status-solved { color: #8a5a00; font-weight: 600; }
td.status-unlabelled, td.status-default { color: var(--miss); font-weight: 600; }
figure { margin: 1em 0 1.6em; }
figure img { width: 100%; height: auto; border: 1px solid var(--rule); display: block; }
figcaption { color: var(--muted); font-size: 0.95em; margin-top: 0.4em; }
code { font-size: 0.92em; background: #f0f2f5; padding: 0 0.2em; }
footer { color: var(--muted); font-size: 0.85em; margin-top: 3em; border-top: 1px solid var(--rule); padding-top: 0.6em; }
@media (max-width: 700px) { main { padding: 12px; } nav ol { columns: 1; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  section { break-before: page; page-break-before: always; }
  section:first-of-type { break-before: auto; page-break-before: auto; }
  figure, .callout, tr { break-inside: avoid; page-break-inside: avoid; }
  figure img { max-height: 120mm; width: auto; max-width: 100%; margin: 0 auto; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"#;

fn page(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&doc.title)));
    out.push_str(&format!(
        "<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    ));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    out.push_str(&format!(
        "<p class=\"subtitle\">{}</p>\n",
        escape(&doc.subtitle)
    ));
    out.push_str("<nav aria-label=\"Contents\"><strong>Contents</strong><ol>\n");
    for s in &doc.sections {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            escape(&s.id),
            escape(&s.title)
        ));
    }
    out.push_str("</ol></nav>\n");
    for (i, s) in doc.sections.iter().enumerate() {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}. {}</h2>\n",
            escape(&s.id),
            i + 1,
            escape(&s.title)
        ));
        for b in &s.blocks {
            block(b, &mut out);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn block(b: &Block, out: &mut String) {
    match b {
        Block::Heading(t) => out.push_str(&format!("<h3>{}</h3>\n", escape(t))),
        Block::Paragraph(t) => out.push_str(&format!("<p>{}</p>\n", escape(t))),
        Block::Callout(t) => out.push_str(&format!("<p class=\"callout\">{}</p>\n", escape(t))),
        Block::List(items) => {
            out.push_str("<ul>\n");
            for i in items {
                out.push_str(&format!("<li>{}</li>\n", escape(i)));
            }
            out.push_str("</ul>\n");
        }
        Block::Table(t) => table(t, out),
        Block::Figure(f) => out.push_str(&format!(
            "<figure>\n<img src=\"{}\" alt=\"{}\">\n<figcaption>{}</figcaption>\n</figure>\n",
            data_uri(&f.png),
            escape(&f.alt),
            escape(&f.caption)
        )),
    }
}

fn table(t: &HtmlTable, out: &mut String) {
    let class = |i: usize| {
        if t.numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        }
    };
    out.push_str("<table>\n");
    if let Some(c) = &t.caption {
        out.push_str(&format!("<caption>{}</caption>\n", escape(c)));
    }
    out.push_str("<thead><tr>");
    for (i, h) in t.header.iter().enumerate() {
        out.push_str(&format!("<th{}>{}</th>", class(i), escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (r, row) in t.rows.iter().enumerate() {
        match t.row_class.get(r).filter(|c| !c.is_empty()) {
            Some(c) => out.push_str(&format!("<tr class=\"{}\">", escape(c))),
            None => out.push_str("<tr>"),
        }
        for (i, cell) in row.iter().enumerate() {
            // The provenance column is coloured by its value.
            let status = t.header.get(i).is_some_and(|h| h == "status");
            if status {
                out.push_str(&format!(
                    "<td class=\"status-{}\">{}</td>",
                    escape(cell),
                    escape(cell)
                ));
            } else {
                out.push_str(&format!("<td{}>{}</td>", class(i), escape(cell)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_images_are_embedded() {
        let mut s = Section::new("a", "A & B");
        s.paragraph("<script>x</script>");
        s.figure(Figure {
            png: vec![0x89, b'P', b'N', b'G'],
            alt: "chart \"x\"".into(),
            caption: "see".into(),
        });
        let doc = Document {
            title: "T".into(),
            subtitle: "S".into(),
            sections: vec![s],
        };
        let html = String::from_utf8(Html.serialize(&doc).unwrap()).unwrap();
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"), "{html}");
        assert!(!html.contains("<script"), "no scripts: {html}");
        assert!(
            html.contains("src=\"data:image/png;base64,iVBORw==\""),
            "{html}"
        );
        assert!(html.contains("alt=\"chart &quot;x&quot;\""));
        assert!(html.contains("<h2>1. A &amp; B</h2>"));
    }
}
