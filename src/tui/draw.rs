//! The fast drawing primitives: borders, lines and wrapped paragraphs drawn straight into the
//! buffer, each cell for cell what ratatui's own widgets draw (the tests below hold them to it),
//! at a fraction of the cost on every keystroke; and text from a file made safe to draw.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::frame::WrapCache;
use super::theme::Theme;

/// Makes file text safe to draw (see [`crate::export::shown`]): a tab is four spaces, every other
/// control or invisible character a visible escape, so a crafted export cannot drive the
/// terminal or hide part of what it says.
pub fn clean(text: &str) -> String {
    if text.contains('\t') {
        crate::export::shown::for_terminal(&text.replace('\t', "    "), false).into_owned()
    } else {
        crate::export::shown::for_terminal(text, false).into_owned()
    }
}

/// Draws what `Block::bordered().title(title).border_style(style)` draws, touching only the
/// border's cells (the block widget restyles every cell inside too, on every frame).
pub(crate) fn draw_border(buf: &mut Buffer, area: Rect, title: &str, style: Style) {
    let area = area.intersection(buf.area);
    if area.width < 2 || area.height < 2 {
        Block::bordered()
            .title(title)
            .border_style(style)
            .render(area, buf);
        return;
    }
    let (left, right) = (area.left(), area.right() - 1);
    let (top, bottom) = (area.top(), area.bottom() - 1);
    for x in left + 1..right {
        buf[(x, top)].set_symbol("─").set_style(style);
        buf[(x, bottom)].set_symbol("─").set_style(style);
    }
    for y in top + 1..bottom {
        buf[(left, y)].set_symbol("│").set_style(style);
        buf[(right, y)].set_symbol("│").set_style(style);
    }
    for (x, y, corner) in [
        (left, top, "┌"),
        (right, top, "┐"),
        (left, bottom, "└"),
        (right, bottom, "┘"),
    ] {
        buf[(x, y)].set_symbol(corner).set_style(style);
    }
    put_spans(
        buf,
        &Line::raw(title),
        Rect::new(left + 1, top, area.width - 2, 1),
    );
}

/// Draws one line into a one-row area. Like rendering the `Line` widget, without its
/// alignment pass and without restyling the row when the line has no style of its own:
/// the frame is drawn on every keystroke, and most of its rows are lines.
pub(crate) fn put_line(frame: &mut Frame, line: &Line, area: Rect) {
    if area.is_empty() {
        return;
    }
    if matches!(line.alignment, Some(a) if a != ratatui::layout::HorizontalAlignment::Left) {
        frame.render_widget(line, area);
        return;
    }
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    if line.style != Style::default() {
        buf.set_style(area, line.style);
    }
    put_spans(buf, line, area);
}

/// Draws a line's spans from the left of a one-row area, each in the line's style patched
/// with its own, cut at the area's end; the cells past the text keep their style.
pub(crate) fn put_spans(buf: &mut Buffer, line: &Line, area: Rect) {
    let area = area.intersection(buf.area);
    let (mut x, y) = (area.x, area.y);
    for span in &line.spans {
        let style = line.style.patch(span.style);
        let left = area.right().saturating_sub(x);
        if left == 0 {
            break;
        }
        // Printable ASCII and the editor's own symbols are one cell a character: no
        // grapheme segmentation needed.
        if span.content.chars().all(one_cell) {
            let at = buf.index_of(x, y);
            let cells = &mut buf.content[at..at + usize::from(left)];
            for (cell, c) in cells.iter_mut().zip(span.content.chars()) {
                cell.set_char(c).set_style(style);
                x += 1;
            }
        } else {
            x = buf
                .set_stringn(x, y, &span.content, usize::from(left), style)
                .0;
        }
    }
}

pub(crate) fn inner(area: Rect) -> Rect {
    Block::bordered().inner(area)
}

/// The columns a character takes on screen: two for a wide (CJK) one, none for a joining one.
fn cells(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(1)
}

/// The columns a text takes on screen.
pub(crate) fn text_width(text: &str) -> usize {
    text.chars().map(cells).sum()
}

/// `text` in at most `width` columns: cut with "…" when it is wider.
pub(crate) fn truncate(text: &str, width: usize) -> String {
    if text_width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + cells(c) + 1 > width {
            break;
        }
        used += cells(c);
        out.push(c);
    }
    out.push('…');
    out
}

/// Breaks text into lines of at most `width` columns, at spaces where it can (a word wider
/// than a line is cut where the line ends).
pub(crate) fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split(' ') {
            let word_width = text_width(word);
            if used > 0 && used + 1 + word_width > width {
                out.push(std::mem::take(&mut line));
                used = 0;
            }
            if used > 0 {
                line.push(' ');
                used += 1;
            }
            for c in word.chars() {
                if used + cells(c) > width && used > 0 {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cells(c);
            }
        }
        out.push(line);
    }
    out
}

/// Draws `lines` as a paragraph wrapped at words and scrolled by `scroll` rows would. Lines
/// that fit are drawn as lines; only the ones that need it go through the paragraph's
/// wrapping, which costs more than the rest of the frame. Returns whether the last row of
/// the last line is in view (or scrolled past).
pub(crate) fn draw_wrapped(
    frame: &mut Frame,
    cache: &WrapCache,
    lines: &[Line],
    body: Rect,
    scroll: u16,
) -> bool {
    let mut skip = usize::from(scroll);
    let mut y = body.y;
    let mut ended = true;
    for line in lines {
        if y >= body.bottom() {
            ended = false;
            break;
        }
        let cut;
        let line = if line_chars(line) > LONGEST_SHOWN {
            cut = cut_long(line);
            &cut
        } else {
            line
        };
        if line_width(line) <= usize::from(body.width) {
            if skip > 0 {
                skip -= 1;
            } else {
                put_spans(
                    frame.buffer_mut(),
                    line,
                    Rect::new(body.x, y, body.width, 1),
                );
                y += 1;
            }
            continue;
        }
        let key = line_key(line, body.width);
        let total = wrapped_count(cache, key, line, body.width);
        if skip >= total {
            skip -= total;
            continue;
        }
        let left = usize::from(body.bottom() - y);
        if total - skip > left {
            ended = false;
        }
        let wrapped = wrapped_rows(cache, key, line, body.width, skip + left);
        let rows = usize::from(wrapped.area.height);
        let shown = rows.saturating_sub(skip).min(left);
        let buf = frame.buffer_mut();
        for row in 0..shown {
            let from = (skip + row) * usize::from(body.width);
            let cells = &wrapped.content[from..from + usize::from(body.width)];
            let at = buf.index_of(body.x, y);
            buf.content[at..at + cells.len()].clone_from_slice(cells);
            y += 1;
        }
        skip = 0;
    }
    ended
}

/// The most characters of one line the preview wraps and shows: a value of a megabyte is
/// shown in part, with how much more there is, so that typing in it stays light.
pub(crate) const LONGEST_SHOWN: usize = 32 * 1024;

pub(crate) fn line_chars(line: &Line) -> usize {
    line.spans.iter().map(|s| s.content.chars().count()).sum()
}

/// `line` cut at [`LONGEST_SHOWN`] characters, with a note of what is left out.
pub(crate) fn cut_long<'a>(line: &Line<'a>) -> Line<'a> {
    let more = line_chars(line) - LONGEST_SHOWN;
    let mut cut = line_prefix(line, LONGEST_SHOWN);
    cut.spans.push(Span::styled(
        format!("… ({more} more characters not shown)"),
        Style::new().add_modifier(Modifier::DIM),
    ));
    cut
}

/// The cache key of `line` wrapped at `width`.
pub(crate) fn line_key(line: &Line, width: u16) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    line.hash(&mut hasher);
    width.hash(&mut hasher);
    hasher.finish()
}

/// How many rows `line` wraps into at `width` (counted once per line and width, and kept).
pub(crate) fn wrapped_count(cache: &WrapCache, key: u64, line: &Line, width: u16) -> usize {
    let mut counts = cache.counts.borrow_mut();
    if let Some(count) = counts.get(&key) {
        return *count;
    }
    let count = Paragraph::new(line.clone())
        .wrap(Wrap { trim: false })
        .line_count(width);
    if counts.len() >= 4096 {
        counts.clear();
    }
    counts.insert(key, count);
    count
}

/// The first `need` rows (at least) that `line` wraps into at `width`, drawn by a wrapping
/// paragraph and kept while small: the preview's long lines are the same from one keystroke
/// to the next. A long line (a 1 MB message) is drawn only as far as the rows asked for, from
/// a prefix of it: its first rows do not depend on text past them and a word's worth more.
pub(crate) fn wrapped_rows(
    cache: &WrapCache,
    key: u64,
    line: &Line,
    width: u16,
    need: usize,
) -> std::sync::Arc<Buffer> {
    let mut kept = cache.rows.borrow_mut();
    if let Some(rows) = kept.get(&key)
        && usize::from(rows.area.height) >= need.min(cache_rows_total(&cache.counts, key))
    {
        return std::sync::Arc::clone(rows);
    }
    // Enough text for `need` rows and two more: each row holds at most `width` cells.
    let budget = (need + 2).saturating_mul(usize::from(width));
    let prefix = line_prefix(line, budget);
    let paragraph = Paragraph::new(prefix).wrap(Wrap { trim: false });
    let height = paragraph.line_count(width).min(need + 2);
    let height = u16::try_from(height).unwrap_or(u16::MAX);
    let mut rows = Buffer::empty(Rect::new(0, 0, width, height));
    paragraph.render(rows.area, &mut rows);
    let rows = std::sync::Arc::new(rows);
    let cells = rows.content.len();
    let mut held = cache.cells.borrow_mut();
    if kept.len() >= 512 || *held + cells > WrapCache::MAX_CELLS {
        kept.clear();
        *held = 0;
    }
    if cells <= WrapCache::MAX_CELLS / 4 {
        kept.insert(key, std::sync::Arc::clone(&rows));
        *held += cells;
    }
    rows
}

/// The total rows counted for `key`, or none known.
pub(crate) fn cache_rows_total(
    counts: &std::cell::RefCell<HashMap<u64, usize>>,
    key: u64,
) -> usize {
    counts.borrow().get(&key).copied().unwrap_or(usize::MAX)
}

/// `line` cut after about `chars` characters (the whole line when shorter), styles kept.
pub(crate) fn line_prefix<'a>(line: &Line<'a>, chars: usize) -> Line<'a> {
    let mut left = chars;
    let mut spans = Vec::new();
    for span in &line.spans {
        if left == 0 {
            break;
        }
        let count = span.content.chars().count();
        if count <= left {
            spans.push(span.clone());
            left -= count;
        } else {
            let cut: String = span.content.chars().take(left).collect();
            spans.push(Span::styled(cut, span.style));
            left = 0;
        }
    }
    let mut prefix = Line::from(spans).style(line.style);
    prefix.alignment = line.alignment;
    prefix
}

/// Whether `c` is a grapheme of its own, one cell wide: printable ASCII and the symbols the
/// editor draws with.
pub(crate) fn one_cell(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '·'
            | '×'
            | '…'
            | '‹'
            | '›'
            | '←'..='↔'
            | '↳'
            | '─'
            | '│'
            | '┌'
            | '┐'
            | '└'
            | '┘'
            | '▶'
            | '▸'
            | '✓'
            | '✗'
    )
}

/// A line's width in cells; see [`one_cell`] for what is counted without segmenting it.
pub(crate) fn line_width(line: &Line) -> usize {
    line.spans
        .iter()
        .map(|s| {
            if s.content.chars().all(one_cell) {
                s.content.chars().count()
            } else {
                s.width()
            }
        })
        .sum()
}

pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Shows every hidden character (see [`crate::export::shown::is_hidden`]) that a text input drew into
/// `rect` as `�`: the input keeps the text as typed or pasted, the terminal never gets them.
pub(crate) fn scrub_hidden(buf: &mut Buffer, rect: Rect) {
    let rect = rect.intersection(buf.area);
    for y in rect.top()..rect.bottom() {
        for x in rect.left()..rect.right() {
            let Some(cell) = buf.cell_mut((x, y)) else {
                continue;
            };
            if cell.symbol().chars().any(crate::export::shown::is_hidden) {
                let kept: String = cell
                    .symbol()
                    .chars()
                    .filter(|c| !crate::export::shown::is_hidden(*c))
                    .collect();
                cell.set_symbol(if kept.is_empty() { "\u{fffd}" } else { &kept });
            }
        }
    }
}
/// Draws a pane's border and title (highlighted when it has the focus); returns its inside.
pub(crate) fn pane(
    frame: &mut Frame,
    area: Rect,
    title: String,
    focused: bool,
    theme: &Theme,
) -> Rect {
    draw_border(frame.buffer_mut(), area, &title, theme.border(focused));
    inner(area)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_two_columns_in_cutting_and_wrapping() {
        assert_eq!(truncate("你好你好", 5), "你好…");
        assert_eq!(text_width(&truncate("你好你好", 5)), 5);
        for row in wrap_text("Grüße – 你好! Hold on while I connect you 你好你好你好", 10)
        {
            assert!(text_width(&row) <= 10, "{row:?}");
        }
        assert_eq!(wrap_text("ab cd", 8), ["ab cd"]);
    }
    use ratatui::style::Color;

    /// A buffer with something in it already, as a frame has when a pane is drawn.
    fn scribbled(area: Rect) -> Buffer {
        let mut buf = Buffer::empty(area);
        for y in area.top()..area.bottom() {
            buf.set_string(
                area.x,
                y,
                "x".repeat(usize::from(area.width)),
                Style::new().fg(Color::Red),
            );
        }
        buf
    }

    #[test]
    fn panes_draw_exactly_what_a_bordered_block_draws() {
        let styles = [
            Style::new(),
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ];
        let titles = [
            "",
            " Integrations (3) ",
            " a title longer than the pane is wide ",
            " Grüße 你好 ",
        ];
        for (w, h) in [(30, 8), (12, 3), (2, 2), (1, 5), (40, 1), (3, 3)] {
            let area = Rect::new(2, 1, w, h);
            for style in styles {
                for title in titles {
                    let mut ours = scribbled(Rect::new(0, 0, 44, 10));
                    let mut block = ours.clone();
                    draw_border(&mut ours, area, title, style);
                    Block::bordered()
                        .title(title)
                        .border_style(style)
                        .render(area, &mut block);
                    assert_eq!(ours, block, "{w}x{h} {title:?} {style:?}");
                }
            }
        }
    }

    #[test]
    fn wrapped_lines_draw_exactly_what_a_wrapping_paragraph_draws() {
        let lines = vec![
            Line::raw("{"),
            Line::raw(
                "  \"message\": \"Hold on while I connect you with an agent, it will not be long\",",
            ),
            Line::styled("Diagnostics (2)", Style::new().add_modifier(Modifier::BOLD)),
            Line::from(vec![
                Span::raw("✗ "),
                Span::styled(
                    "a long message in red that runs past the edge of the pane",
                    Style::new().fg(Color::Red),
                ),
            ]),
            Line::default(),
            Line::raw("averyveryverylongwordwithoutanyspacesthatmustbesplitsomewhere and more"),
            Line::raw("   leading spaces kept when wrapping is not trimmed at all, see"),
            Line::raw(
                "Grüße 你好 你好 你好 你好 你好 你好 你好 你好 你好 你好 wide characters wrapping",
            ),
            Line::raw("}"),
        ];
        for (width, height) in [(20, 6), (33, 12), (80, 4), (7, 30)] {
            for scroll in [0, 1, 2, 5, 9, 40] {
                let area = Rect::new(1, 1, width, height);
                let cache = WrapCache::default();
                // Twice: the second time from the rows kept the first time.
                for _ in 0..2 {
                    assert_wraps_like_a_paragraph(&cache, &lines, area, (90, 32), scroll);
                }
            }
        }
    }

    /// `draw_wrapped` into `area` of a terminal of `size` draws what a wrapping, scrolled
    /// paragraph draws, cell for cell.
    fn assert_wraps_like_a_paragraph(
        cache: &WrapCache,
        lines: &[Line],
        area: Rect,
        size: (u16, u16),
        scroll: u16,
    ) {
        let terminal =
            || ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.0, size.1)).unwrap();
        let (mut ours, mut theirs) = (terminal(), terminal());
        ours.draw(|frame| {
            draw_wrapped(frame, cache, lines, area, scroll);
        })
        .unwrap();
        theirs
            .draw(|frame| {
                frame.render_widget(
                    Paragraph::new(lines.to_vec())
                        .wrap(Wrap { trim: false })
                        .scroll((scroll, 0)),
                    area,
                )
            })
            .unwrap();
        assert_eq!(
            ours.backend().buffer(),
            theirs.backend().buffer(),
            "{}x{} scrolled {scroll}",
            area.width,
            area.height
        );
    }

    #[test]
    fn a_very_long_line_draws_as_the_paragraph_does_and_keeps_little() {
        // Words of many lengths, one longer than a row, and wide characters.
        let mut text = String::new();
        for i in 0..2500 {
            let word = match i % 7 {
                0 => "a".to_string(),
                1 => "bb".repeat(i % 5 + 1),
                2 => "你好".to_string(),
                3 => "c".repeat(45),
                _ => format!("w{i}"),
            };
            text.push_str(&word);
            text.push(' ');
        }
        let lines = vec![Line::raw("{"), Line::raw(text), Line::raw("}")];
        let cache = WrapCache::default();
        for (width, height) in [(40, 20), (13, 7)] {
            for scroll in [0, 3, 250, 600] {
                let area = Rect::new(0, 0, width, height);
                assert_wraps_like_a_paragraph(&cache, &lines, area, (width, height), scroll);
            }
        }
        // A thousand different long lines (a keystroke each) keep the cache bounded.
        for n in 0..1000 {
            let line = vec![Line::raw(format!("{n} {}", "word ".repeat(2000)))];
            let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 30)).unwrap();
            t.draw(|frame| {
                draw_wrapped(frame, &cache, &line, Rect::new(0, 0, 40, 30), 0);
            })
            .unwrap();
        }
        let held: usize = cache.rows.borrow().values().map(|b| b.content.len()).sum();
        assert!(held <= WrapCache::MAX_CELLS, "{held} cells kept");
        // A megabyte value shows its start and how much more there is.
        let huge = vec![Line::raw("x".repeat(1 << 20))];
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 30)).unwrap();
        t.draw(|frame| {
            draw_wrapped(frame, &cache, &huge, Rect::new(0, 0, 40, 30), 819);
        })
        .unwrap();
        let shown = t.backend().to_string();
        assert!(shown.contains("1015808 more characters"), "{shown}");
    }

    #[test]
    fn lines_draw_exactly_what_the_line_widget_draws() {
        let lines = [
            Line::raw("plain text"),
            Line::styled("dim line", Style::new().add_modifier(Modifier::DIM)),
            Line::from(vec![
                Span::raw("▸"),
                Span::styled("✗", Style::new().fg(Color::Red)),
                Span::raw(" Grüße 你好 wide"),
            ]),
            Line::raw("a line much longer than the row it is drawn into, cut at the edge"),
            Line::raw("  ↳ ok · 3 × 2000 ms … ‹ › ← ↑ → ↓ ↔ ─│┌┐└┘ ▶ ✓"),
            Line::raw("e\u{301} combining, 🇫🇷 flag, 👍🏽 modifier"),
            Line::raw("centred").centered(),
        ];
        for line in &lines {
            for width in [0, 5, 20, 40] {
                let area = Rect::new(1, 2, width, 1);
                let whole = Rect::new(0, 0, 44, 4);
                let mut ours = scribbled(whole);
                let mut widget = ours.clone();
                let mut terminal =
                    ratatui::Terminal::new(ratatui::backend::TestBackend::new(44, 4)).unwrap();
                terminal
                    .draw(|frame| {
                        *frame.buffer_mut() = ours.clone();
                        put_line(frame, line, area);
                        ours = frame.buffer_mut().clone();
                    })
                    .unwrap();
                line.render(area, &mut widget);
                assert_eq!(ours, widget, "{line:?} in {width} columns");
            }
        }
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(clean("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(clean("\u{202e}abc"), "\\u{202e}abc");
        assert_eq!(clean("\u{9b}"), "\\u{9b}");
        assert_eq!(clean("Grüße 你好"), "Grüße 你好");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_splits_long_words() {
        assert_eq!(wrap_text("aaa bbb ccc", 8), ["aaa bbb", "ccc"]);
        assert_eq!(wrap_text("abcdefghijkl", 8), ["abcdefgh", "ijkl"]);
        assert_eq!(wrap_text("a\nb", 8), ["a", "b"]);
    }
}
