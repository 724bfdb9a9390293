//! CSV cells that are safe to open in a spreadsheet.
//!
//! A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (and, in some
//! programs, a tab or a carriage return) as a formula: `=HYPERLINK("http://evil", "x")` in a
//! service's name would become a live link, `=cmd|' /C calc'!A0` a command. Every CSV egovwatch
//! writes (registry folder, API and page downloads, report tables, command output) therefore
//! prefixes such a cell with an apostrophe, as OWASP recommends ("CSV injection"): the
//! spreadsheet shows the text as it is and runs nothing.
//!
//! Plain numbers (`-1.5`, `+2`) are left alone, so deltas stay numbers. A cell that itself
//! starts with an apostrophe gets one more, so [`restore`] (which the registry CSV reader
//! applies) gives back exactly what was written: export, import and export again stay
//! identical. [`Cells::Raw`] writes cells untouched, for tools that read CSV as data.

use std::borrow::Cow;
use std::io::Write;

/// How cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cells {
    /// Cells a spreadsheet would run as formulas are prefixed with `'` (the default).
    #[default]
    Safe,
    /// Cells exactly as stored.
    Raw,
}

impl std::str::FromStr for Cells {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "safe" => Ok(Cells::Safe),
            "raw" => Ok(Cells::Raw),
            _ => Err(format!("cells are safe or raw, not {s:?}")),
        }
    }
}

/// Characters that make a spreadsheet read a cell as a formula.
fn triggers(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// The cell as written under `cells`.
pub fn cell(s: &str, cells: Cells) -> Cow<'_, str> {
    match (cells, s.chars().next()) {
        (Cells::Safe, Some(c)) if c == '\'' || (triggers(c) && !is_number(s)) => {
            Cow::Owned(format!("'{s}"))
        }
        _ => Cow::Borrowed(s),
    }
}

/// The text a [`Cells::Safe`] cell stands for: one leading apostrophe is dropped when what
/// follows is another apostrophe or would run as a formula. Any other cell is its own text, so a
/// hand-written `'quoted` stays as it is.
pub fn restore(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with('\'') || rest.starts_with(triggers) => rest,
        _ => s,
    }
}

/// A `csv::Writer` that writes every cell through [`cell`].
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
    cells: Cells,
}

impl<W: Write> Writer<W> {
    /// Records end with `\n`, as every CSV of egovwatch.
    pub fn new(w: W, cells: Cells) -> Self {
        Writer {
            inner: csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(w),
            cells,
        }
    }

    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let cells = self.cells;
        self.inner.write_record(
            record
                .into_iter()
                .map(|c| cell(c.as_ref(), cells).into_owned()),
        )
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }

    pub fn into_inner(self) -> std::io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

/// Rows (the first is the header) as one CSV document.
pub fn to_string<R, T>(rows: impl IntoIterator<Item = R>, cells: Cells) -> String
where
    R: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    let mut w = Writer::new(Vec::new(), cells);
    for r in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().map(|v| v.to_vec()).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for (input, want) in [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "'=HYPERLINK(\"http://evil\",\"x\")",
            ),
            ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
            ("-2+3", "'-2+3"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
            ("-1.5", "-1.5"),
            ("+2", "+2"),
            ("42", "42"),
            ("Əhali reyestri", "Əhali reyestri"),
            ("", ""),
            ("-", "'-"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(cell(input, Cells::Safe), want, "{input:?}");
            assert_eq!(cell(input, Cells::Raw), input, "{input:?}");
        }
    }

    #[test]
    fn restore_gives_back_what_was_written() {
        for s in [
            "=1+1", "+x", "-x", "@x", "'x", "''x", "'=x", "x", "", "-3", "'", "\tx",
        ] {
            assert_eq!(restore(&cell(s, Cells::Safe)), s, "{s:?}");
        }
        // A hand-written apostrophe before ordinary text is text.
        assert_eq!(restore("'hello"), "'hello");
    }

    #[test]
    fn documents_quote_and_neutralise() {
        let doc = to_string(
            [vec!["name", "note"], vec!["=cmd|calc", "a, \"b\""]],
            Cells::Safe,
        );
        assert_eq!(doc, "name,note\n'=cmd|calc,\"a, \"\"b\"\"\"\n");
    }
}
