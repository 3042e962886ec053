//! Markdown: a [`Page`] of headings, paragraphs and tables, for people to read
//! next to the charts (`report.md`).

use super::Exporter;
use anyhow::Result;

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A Markdown table: cells are already text for people (see [`crate::format`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MdTable {
    pub header: Vec<(String, Align)>,
    pub rows: Vec<Vec<String>>,
}

/// One block of a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `# text` (level 1) or `## text` (level 2), ...
    Heading(usize, String),
    Paragraph(String),
    Table(MdTable),
}

/// A Markdown document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub blocks: Vec<Block>,
}

impl Page {
    pub fn heading(&mut self, level: usize, text: impl Into<String>) {
        self.blocks.push(Block::Heading(level, text.into()));
    }
    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }
    pub fn table(&mut self, t: MdTable) {
        self.blocks.push(Block::Table(t));
    }
}

/// Writes a [`Page`]: blocks separated by one blank line.
pub struct Markdown;

impl Exporter for Markdown {
    type Input = Page;
    const EXTENSION: &'static str = "md";

    fn serialize(&self, page: &Page) -> Result<Vec<u8>> {
        let blocks: Vec<String> = page.blocks.iter().map(block).collect();
        let mut text = blocks.join("\n");
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(text.into_bytes())
    }
}

fn block(b: &Block) -> String {
    match b {
        Block::Heading(level, text) => format!("{} {text}\n", "#".repeat((*level).max(1))),
        Block::Paragraph(text) => format!("{text}\n"),
        Block::Table(t) => table(t),
    }
}

/// A pipe table; `|` inside a cell is escaped so it cannot split the row.
fn table(t: &MdTable) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("|");
    for (h, _) in &t.header {
        out.push_str(&format!(" {} |", cell(h)));
    }
    out.push_str("\n|");
    for (_, a) in &t.header {
        out.push_str(match a {
            Align::Left => "---|",
            Align::Right => "---:|",
        });
    }
    out.push('\n');
    for row in &t.rows {
        out.push('|');
        for c in row {
            out.push_str(&format!(" {} |", cell(c)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_layout() {
        let mut p = Page::default();
        p.heading(1, "Title");
        p.table(MdTable {
            header: vec![("a".into(), Align::Left), ("b".into(), Align::Right)],
            rows: vec![vec!["x|y".into(), "1,000".into()]],
        });
        p.paragraph("End.");
        let text = String::from_utf8(Markdown.serialize(&p).unwrap()).unwrap();
        assert_eq!(
            text,
            "# Title\n\n| a | b |\n|---|---:|\n| x\\|y | 1,000 |\n\nEnd.\n"
        );
    }
}
